"""The officer's journey in a real browser, on the demo data, signed in through the login page.

Đỗ Văn Nam, officer of the Fatherland Front of Phường Quảng Yên, registers a model with two
co-organising agencies and submits it; the ward's reviewer returns it with a reason. Nam sees
the badge in the menu, reads the reason in his inbox and opens the model from there; the round's
closing reminder and the award decided later reach the same inbox. He chooses which kinds of
notification are e-mailed. He records that the model replicates a showcased model of a unit in
another province, found by words typed without diacritics, and enters contributions as he
writes them ("38.000.000 ₫"), with households and people counted apart. Then the same inbox,
e-mail settings and a contribution in Arabic, right to left.

The reviewer's side (return, register) goes through the pages too; the daily reminder job and
the award decision run as the server's own command and services would, in a ``danvan shell``
against the demo database (the reviewer's journey covers the award pages).
"""

import datetime
import json
import re
import subprocess
import time

from danvan.core.text import fold
from tests.browser.conftest import (
    DANVAN,
    REPOSITORY,
    SCREENSHOTS,
    _server_env,
    screenshot,
)
from tests.browser.test_initiative_flow import ARABIC_DIGITS, submit_form
from tests.browser.test_initiative_flow import become as sign_in_as

OFFICER = "quangyen.officer"  # Fatherland Front of Phường Quảng Yên
REVIEWER = "quangyen.reviewer"  # the ward's Mass Mobilization Commission
REASON = "Thiếu biên bản họp dân và danh sách hộ tham gia"
DOCS_SCREENSHOTS = REPOSITORY / "docs" / "screenshots"

# Run in the demo database: what the daily job and the reviewer's award decision do.
SERVER_SIDE = """
import datetime, json
from danvan.accounts.models import User
from danvan.initiatives.models import Initiative
from danvan.notifications.models import Notification, NotificationKind
from danvan.review.models import AwardTitle, RegistrationRound, RecognitionLevel
from danvan.review.reminders import send_round_reminders
from danvan.review.services import award_propose, award_recognise

officer = User.objects.get(username="quangyen.officer")
reviewer = User.objects.get(username="quangyen.reviewer")
action = {action!r}
answer = {{}}
if action == "remind":
    for registration_round in RegistrationRound.objects.order_by("-year", "-closes_on"):
        send_round_reminders(
            today=registration_round.closes_on - datetime.timedelta(days=7), days_ahead=7
        )
        if Notification.objects.filter(
            recipient=officer, kind=NotificationKind.ROUND_CLOSING
        ).exists():
            answer["round"] = str(registration_round)
            break
    own = officer.role_assignments.first().organisation_id
    source = (
        Initiative.objects.public().exclude(organisation_id=own)
        .exclude(area__path__startswith=officer.role_assignments.first()
                 .organisation.seat_area.path.split(".")[0])
        .order_by("-year", "code").first()
    )
    answer["source"] = {{"code": source.code, "title": source.title}}
elif action == "award":
    initiative = Initiative.objects.get(code={code!r})
    award = award_propose(
        actor=reviewer, initiative=initiative, title=AwardTitle.objects.order_by("pk").first(),
        level=RecognitionLevel.COMMUNE,
    )
    award_recognise(
        actor=reviewer, award=award, decision_number="15/QĐ-UBND",
        decision_date=datetime.date.today(), issuing_body="UBND phường Quảng Yên",
    )
    answer["award"] = award.pk
print("ANSWER " + json.dumps(answer, ensure_ascii=False))
"""


def server_side(page, action: str, code: str = "") -> dict:
    """Run ``action`` in a ``danvan shell`` on the demo database the server reads."""
    data_dir = page.demo_data_dir
    done = subprocess.run(
        [*DANVAN, "shell", "-c", SERVER_SIDE.format(action=action, code=code)],
        env=_server_env(data_dir),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("ANSWER "))
    return json.loads(line.removeprefix("ANSWER "))


def become(page, username: str, language: str) -> None:
    """Sign ``username`` in, in ``language``, and let the dashboard finish loading (its map
    is fetched after the page: leaving at once would abort that request)."""
    sign_in_as(page, username, language)
    page.wait_for_load_state("networkidle")


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text.translate(ARABIC_DIGITS)) or 0)


def badge(page) -> int:
    """The unread count the menu shows (0 when there is no badge)."""
    found = page.locator("#inbox-badge")
    return digits(found.inner_text()) if found.count() else 0


def keep(page, name: str) -> None:
    """A screenshot for the docs, next to the run's own."""
    path = screenshot(page, name, full_page=name.startswith("officer-initiative-detail"))
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (DOCS_SCREENSHOTS / path.name).write_bytes(path.read_bytes())


def contribution(page, detail_url, *, kind, amount, contributor_type, contributors) -> None:
    page.goto(detail_url + "contributions/new/")
    page.locator("#id_date").fill(datetime.date.today().isoformat())
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_amount").fill(amount)
    page.locator("#id_contributor_type").select_option(contributor_type)
    page.locator("#id_contributors").fill(contributors)
    submit_form(page)


def test_the_officer_is_told_replicates_and_records_contributions_as_written(page, demo_data_dir):
    page.demo_data_dir = demo_data_dir
    page.set_default_timeout(30_000)
    title = f"Thắp sáng đường quê khu 5 {time.time_ns()}"

    # --- Registers a model with its co-organising agencies, and submits it. -----------------
    become(page, OFFICER, "vi")
    page.goto(page.base_url + "/initiatives/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_field").select_option("economy")
    area = page.locator("#id_area option:not([value=''])").first.get_attribute("value")
    page.locator("#id_area").select_option(area)
    agencies = page.locator("#id_co_organisations option")
    assert agencies.count() >= 2
    chosen = [agencies.nth(i).get_attribute("value") for i in range(2)]
    names = [agencies.nth(i).inner_text() for i in range(2)]
    page.locator("#id_co_organisations").select_option(chosen)
    keep(page, "officer-form-co-organisers")
    submit_form(page)
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    detail_url = page.url
    listed = page.locator("#co-organisations li").all_inner_texts()
    assert sorted(listed) == sorted(names)
    code = page.locator("dl.facts dd").first.inner_text().strip()
    page.locator("form[data-action=submit] button").click()
    page.wait_for_url(detail_url)
    assert page.locator("#initiative-status.status-submitted").count() == 1

    # --- The reviewer returns it, with a reason. ----------------------------------------------
    become(page, REVIEWER, "vi")
    page.goto(detail_url)
    page.locator("form[data-action=return] textarea").fill(REASON)
    page.locator("form[data-action=return] button").click()
    page.wait_for_url(detail_url)
    assert page.locator("#initiative-status.status-returned").count() == 1

    # --- The officer sees the badge, reads the reason in the inbox, opens the model. ----------
    become(page, OFFICER, "vi")
    unread = badge(page)
    assert unread >= 1
    page.locator("#inbox-link").click()
    page.wait_for_url(page.base_url + "/inbox/")
    returned = page.locator(".notification[data-kind=returned]", has_text=code).first
    assert REASON in returned.inner_text()
    assert "notification-unread" in returned.get_attribute("class")
    keep(page, "officer-inbox")
    returned.locator("form[action$='/open/'] button").click()
    page.wait_for_url(detail_url)
    assert REASON in page.locator("#return-reason").inner_text()  # at the top, not in history
    assert badge(page) == unread - 1

    # …submits it again; the reviewer registers it this time.
    page.locator("form[data-action=submit] button").click()
    page.wait_for_url(detail_url)
    become(page, REVIEWER, "vi")
    page.goto(detail_url)
    page.locator("form[data-action=register] button").click()
    page.wait_for_url(detail_url)
    assert page.locator("#initiative-status.status-registered").count() == 1

    # --- The round's closing reminder and the award decided reach the same inbox. -------------
    found = server_side(page, "remind")
    server_side(page, "award", code)
    become(page, OFFICER, "vi")
    page.goto(page.base_url + "/inbox/?unread=1")
    assert page.locator(".notification[data-kind=awarded]", has_text=code).count() == 1
    page.goto(page.base_url + "/inbox/")
    assert page.locator(".notification[data-kind=round_closing]").count() >= 1
    assert page.locator(".notification[data-kind=round_closing]").first.inner_text()
    assert found["round"]
    # Marked unread again, then everything read: the badge goes.
    read_one = page.locator(".notification:not(.notification-unread)").first
    read_one.locator("button[data-mark=unread]").click()
    page.wait_for_url(page.base_url + "/inbox/")
    assert badge(page) >= 1
    page.locator("#mark-all-read").click()
    page.wait_for_url(page.base_url + "/inbox/")
    assert page.locator("#inbox-badge").count() == 0

    # --- E-mails: returns and awards on, then returns off again (the demo starts all off). ----
    page.locator("#email-settings-link").click()
    page.wait_for_url(page.base_url + "/inbox/settings/")
    page.locator("input[value=returned]").check()
    page.locator("input[value=awarded]").check()
    submit_form(page, "#email-settings")
    page.wait_for_url(page.base_url + "/inbox/settings/")
    assert page.locator("input[value=returned]").is_checked()
    page.locator("input[value=returned]").uncheck()
    submit_form(page, "#email-settings")
    page.wait_for_url(page.base_url + "/inbox/settings/")
    assert not page.locator("input[value=returned]").is_checked()
    assert page.locator("input[value=awarded]").is_checked()
    keep(page, "officer-email-settings")

    # --- Replicates a showcased model of a unit in another province, found by plain words. ----
    source = found["source"]
    page.goto(detail_url)
    page.locator("#record-replication").click()
    page.wait_for_url(detail_url + "replication/")
    words = " ".join(fold(source["title"]).split()[:4])
    with page.expect_response(lambda r: "/replication/?q=" in r.url and r.status == 200):
        page.locator("#replication-search").fill(words)
    pick = page.locator(f".replication-results li[data-code='{source['code']}']")
    pick.wait_for()
    keep(page, "officer-replication-search")
    pick.locator("button").click()
    page.wait_for_url(detail_url)
    assert source["code"] in page.locator(".replication-ancestors").inner_text()

    # --- Contributions as written: money with its sign, land with a comma, people apart. ------
    contribution(
        page,
        detail_url,
        kind="money",
        amount="38.000.000 ₫",
        contributor_type="households",
        contributors="120",
    )
    page.wait_for_url(detail_url)
    assert digits(page.locator("[data-total=money]").inner_text()) == 38_000_000
    contribution(
        page, detail_url, kind="money", amount="38.000.000,5 ₫", contributor_type="households",
        contributors="1",
    )  # fmt: skip
    error = page.locator("#id_amount-error")
    assert "38.000.000,5 ₫" in error.inner_text()
    keep(page, "officer-contribution-error")
    contribution(
        page, detail_url, kind="land", amount="350,5", contributor_type="households",
        contributors="80",
    )  # fmt: skip
    page.wait_for_url(detail_url)
    assert page.locator("[data-total=land]").inner_text().startswith("350,5")  # "350,5 m²"
    contribution(
        page, detail_url, kind="labour", amount="12,5", contributor_type="individuals",
        contributors="35",
    )  # fmt: skip
    page.wait_for_url(detail_url)
    assert page.locator("[data-total=labour]").inner_text().startswith("12,5")
    contribution(
        page, detail_url, kind="labour", amount="0,125", contributor_type="individuals",
        contributors="1",
    )  # fmt: skip
    # At most two decimals: refused on the amount, nothing recorded.
    assert page.locator("#id_amount-error").inner_text().strip()
    page.goto(detail_url)
    assert page.locator("[data-total=labour]").inner_text().startswith("12,5")
    taking_part = page.locator("#taking-part")
    assert digits(taking_part.locator("[data-type=households]").inner_text()) == 120
    assert digits(taking_part.locator("[data-type=individuals]").inner_text()) == 35
    keep(page, "officer-initiative-detail")

    # --- The same in Arabic, right to left: inbox, e-mail settings, money with its sign. ------
    become(page, OFFICER, "ar")
    page.goto(page.base_url + "/inbox/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".notification[data-kind=returned]", has_text=code).count() == 1
    keep(page, "officer-inbox-ar")
    page.goto(page.base_url + "/inbox/settings/")
    assert page.locator("input[value=awarded]").is_checked()
    contribution(
        page, detail_url, kind="money", amount="1.500.000 ₫", contributor_type="businesses",
        contributors="2",
    )  # fmt: skip
    page.wait_for_url(detail_url)
    assert digits(page.locator("[data-total=money]").inner_text()) == 39_500_000
    keep(page, "officer-initiative-detail-ar")
    assert SCREENSHOTS.exists()
