"""Bulk generation of initiatives with their contributions and results.

The published facts are few; a dashboard needs thousands of rows to be worth looking at. The
generated rows skip the services and go in with ``bulk_create`` (tens of thousands in seconds),
so this module fills in what ``save()`` would have: folded titles and names. Their statuses are
written directly too, without the workflow's trail that the published models get (see
``danvan.demo.workflow``). Everything random comes from the one ``random.Random`` it is given,
consumed in a fixed order, so the same seed gives the same rows.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from danvan.areas.models import Area
from danvan.core.text import fold
from danvan.demo.common import AS_OF, CodeBook, lower_first, org_fields
from danvan.demo.templates import KINDS_BY_FIELD, PROFILES, TEMPLATES, Template
from danvan.demo.workflow import Cast
from danvan.initiatives.catalogues import ContributionKind, Status, Unit
from danvan.initiatives.models import Contribution, Indicator, Initiative, Result
from danvan.orgs.models import Organisation

BATCH = 1000
# Measured gifts, some of them to the half: 344,5 m² of land, 14,5 days of labour.
MEASURED = {ContributionKind.LAND, ContributionKind.LABOUR}
ACTIVE = {Status.IN_PROGRESS, Status.COMPLETED, Status.DISCONTINUED}
# (status, weight) by how long ago the initiative was registered, seen from the end of 2025.
STATUS_WEIGHTS = {
    "past": (
        (Status.COMPLETED, 62),
        (Status.IN_PROGRESS, 14),
        (Status.REGISTERED, 12),
        (Status.DISCONTINUED, 8),
        (Status.RETURNED, 4),
    ),
    "last": (
        (Status.COMPLETED, 40),
        (Status.IN_PROGRESS, 38),
        (Status.REGISTERED, 14),
        (Status.DISCONTINUED, 4),
        (Status.RETURNED, 2),
        (Status.SUBMITTED, 2),
    ),
    "current": (
        (Status.REGISTERED, 38),
        (Status.IN_PROGRESS, 30),
        (Status.SUBMITTED, 15),
        (Status.DRAFT, 10),
        (Status.RETURNED, 4),
        (Status.COMPLETED, 3),
    ),
}
CONTRIBUTORS = {
    "households": (5, 300),
    "individuals": (5, 150),
    "businesses": (1, 10),
    "benefactors": (1, 20),
    "organisations": (1, 5),
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Đình", "Hữu", "Minh", "Thanh", "Quang", "Thị Thu", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam")


@dataclass
class Planned:
    """One initiative to generate: who registers it, where, when, and what it is about."""

    year: int
    field: str
    organisation: Organisation
    area: Area
    template: Template
    replicated_from_id: int | None = None
    after_reform: bool = False


def weighted(rng: random.Random, choices) -> str:
    """Return one value of ``(value, weight)`` pairs."""
    values = [value for value, _ in choices]
    return rng.choices(values, weights=[weight for _, weight in choices])[0]


def log_uniform(rng: random.Random, low: int, high: int, step: int) -> int:
    """Return a whole amount spread evenly in magnitude: many small gifts, a few large."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return max(step, int(value) // step * step)


class OrgBook:
    """The demo organisations by (seat, kind); missing ones are created in bulk."""

    def __init__(self) -> None:
        self.known: dict[str, Organisation] = {}

    def get(self, area: Area, kind: str) -> Organisation:
        return self.known[org_fields(area, kind)["code"]]

    def ensure(self, wanted: list[tuple[Area, str]]) -> None:
        """Make sure an organisation exists for each (area, kind)."""
        fields_by_code = {}
        for area, kind in wanted:
            fields = org_fields(area, kind)
            if fields["code"] not in self.known:
                fields_by_code[fields["code"]] = fields
        if not fields_by_code:
            return
        for org in Organisation.objects.filter(code__in=list(fields_by_code)):
            self.known[org.code] = org
        missing = [
            Organisation(name_folded=fold(fields["name"]), **fields)
            for code, fields in fields_by_code.items()
            if code not in self.known
        ]
        for org in Organisation.objects.bulk_create(missing, batch_size=BATCH):
            self.known[org.code] = org


class Generator:
    """Turn planned initiatives into rows, in bulk."""

    def __init__(
        self,
        rng: random.Random,
        codes: CodeBook,
        indicators: dict[str, Indicator],
        cast: Cast | None = None,
    ):
        self.rng = rng
        self.codes = codes
        self.indicators = indicators
        self.cast = cast or Cast()
        self.orgs = OrgBook()
        self.created = 0
        # The published models later steps refer to, by the ``key`` of their ``Fact``.
        self.facts: dict[str, Initiative] = {}

    def template(self, field: str) -> Template:
        return self.rng.choice(TEMPLATES[field])

    def kind_for(self, field: str) -> str:
        return weighted(self.rng, KINDS_BY_FIELD[field])

    def _status(self, year: int) -> str:
        if year >= AS_OF.year:
            return weighted(self.rng, STATUS_WEIGHTS["current"])
        if year == AS_OF.year - 1:
            return weighted(self.rng, STATUS_WEIGHTS["last"])
        return weighted(self.rng, STATUS_WEIGHTS["past"])

    def _dates(self, plan: Planned, status: str) -> tuple[datetime.date, datetime.date | None]:
        rng = self.rng
        first_month = 7 if plan.after_reform else 1
        last_month = 11 if plan.after_reform else 9
        start = datetime.date(plan.year, rng.randint(first_month, last_month), rng.randint(1, 28))
        if status == Status.COMPLETED:
            end = min(start + datetime.timedelta(days=rng.randint(90, 540)), AS_OF)
        elif status == Status.DISCONTINUED:
            end = min(start + datetime.timedelta(days=rng.randint(60, 300)), AS_OF)
        elif status == Status.IN_PROGRESS and plan.year < AS_OF.year - 1:
            end = None  # a standing model, still running
        else:
            end = datetime.date(plan.year + 1, 12, 31)
        return start, max(end, start) if end else None

    def _person(self) -> str:
        rng = self.rng
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def _initiative(self, plan: Planned) -> Initiative:
        status = self._status(plan.year)
        start, end = self._dates(plan, status)
        title = f"{plan.template.title} tại {lower_first(plan.area.name)}"
        return Initiative(
            code=self.codes.next(plan.year),
            title=title,
            title_folded=fold(title),
            summary=f"Mô hình do {plan.organisation.name} đăng ký năm {plan.year}.",
            field=plan.field,
            organisation=plan.organisation,
            area=plan.area,
            year=plan.year,
            start_date=start,
            end_date=end,
            status=status,
            exemplary=status == Status.COMPLETED and self.rng.random() < 0.04,
            replicated_from_id=plan.replicated_from_id,
            people_in_charge=self._person(),
        )

    def _contributions(self, initiative: Initiative) -> list[Contribution]:
        if initiative.status not in ACTIVE and not (
            initiative.status == Status.REGISTERED and self.rng.random() < 0.4
        ):
            return []
        rng, rows = self.rng, []
        last = min(initiative.end_date or AS_OF, AS_OF, datetime.date(initiative.year, 12, 31))
        span = max(0, (last - initiative.start_date).days)
        for profile in PROFILES[initiative.field]:
            if rng.random() >= profile.probability:
                continue
            contributor_type = rng.choice(profile.contributor_types)
            low, high = CONTRIBUTORS[contributor_type]
            day = initiative.start_date + datetime.timedelta(days=rng.randint(0, span))
            amount = log_uniform(rng, profile.low, profile.high, profile.step)
            if profile.kind in MEASURED and amount % 10 == 5:
                amount -= Decimal("0.5")  # about one in ten, without another draw of the seed
            rows.append(
                Contribution(
                    initiative=initiative,
                    date=day,
                    kind=profile.kind,
                    amount=amount,
                    description=rng.choice(profile.descriptions) if profile.descriptions else "",
                    contributor_type=contributor_type,
                    contributors=rng.randint(low, high),
                )
            )
        return rows

    def _results(self, initiative: Initiative, template: Template, skip: frozenset) -> list:
        if initiative.status not in ACTIVE:
            return []
        rng, rows = self.rng, []
        period_end = initiative.end_date or datetime.date(initiative.year, 12, 31)
        period_end = min(period_end, AS_OF)
        for spec in template.results:
            if spec.indicator in skip:
                continue
            indicator = self.indicators[spec.indicator]
            value = Decimal(str(round(rng.uniform(spec.low, spec.high), spec.places)))
            target = None
            if rng.random() < 0.3:
                target = (value * Decimal(str(round(rng.uniform(1.0, 1.3), 2)))).quantize(
                    Decimal(1) if spec.places == 0 else Decimal("0.1")
                )
                if indicator.unit == Unit.PERCENT:
                    target = min(target, Decimal(100))
            rows.append(
                Result(
                    initiative=initiative,
                    indicator=indicator,
                    value=value,
                    target=target,
                    period_start=initiative.start_date,
                    period_end=max(period_end, initiative.start_date),
                )
            )
        return rows

    def build(self, plans: list[Planned], skip_indicators: frozenset = frozenset()) -> list:
        """Create the planned initiatives, then their ledgers and results; return them."""
        initiatives = [self._initiative(plan) for plan in plans]
        Initiative.objects.bulk_create(initiatives, batch_size=BATCH)
        contributions, results = [], []
        for initiative, plan in zip(initiatives, plans, strict=True):
            contributions.extend(self._contributions(initiative))
            results.extend(self._results(initiative, plan.template, skip_indicators))
        Contribution.objects.bulk_create(contributions, batch_size=BATCH)
        Result.objects.bulk_create(results, batch_size=BATCH)
        self.created += len(initiatives)
        return initiatives

    def plan_for_org(self, year: int, field: str, org: Organisation, area: Area) -> Planned:
        """Plan one initiative of a given organisation (the fillers of the published counts)."""
        return Planned(year, field, org, area, self.template(field))
