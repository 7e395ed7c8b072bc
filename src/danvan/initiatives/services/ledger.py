"""The contribution ledger: entries are added, never edited; a correction is an entry of its own."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from danvan.accounts.scope import (
    person_of,
    require_on_initiative,
)
from danvan.core import upkeep
from danvan.core.history import attribute_to
from danvan.core.instances import unsaved
from danvan.core.limits import (
    CONTRIBUTORS_MAX,
    check_amount,
    check_record_date,
    contribution_max,
)
from danvan.core.validation import (
    clean_and_save,
    parse_contribution_amount,
    parse_whole_number,
    reject,
)
from danvan.initiatives.catalogues import (
    ContributionKind,
)
from danvan.initiatives.checks import validate_unsaved
from danvan.initiatives.models import (
    Contribution,
    Initiative,
)


def contribution_build(
    *,
    actor,
    initiative: Initiative,
    date: datetime.date,
    kind: str,
    amount: int | Decimal | str,
    contributor_type: str,
    contributors: int = 0,
    description: str = "",
    validated: bool = False,
) -> Contribution:
    """Return a validated, unsaved ledger entry: the rules of ``contribution_add``, shared
    with the bulk import. ``validated``: these very arguments passed the model's field rules
    before, under the same code (an import's dry run of the same file), which are then not run
    again; the permission on the initiative is checked, and the amounts are read as always."""
    require_on_initiative(actor, "contribution.add", initiative)
    amount = parse_contribution_amount(amount, "amount", kind=kind)
    contributors = parse_whole_number(contributors, "contributors")
    if amount < 0:
        reject("amount", _("An amount cannot be negative."))
    if contributors < 0:
        reject("contributors", _("The number of contributors cannot be negative."))
    check_amount(amount, "amount", maximum=contribution_max(kind))
    check_amount(contributors, "contributors", maximum=CONTRIBUTORS_MAX)
    check_record_date(date, "date")
    if kind == ContributionKind.IN_KIND and not (description or "").strip():
        reject("description", _("Describe the assets or materials given."))
    entry = unsaved(
        Contribution,
        initiative=initiative,
        date=date,
        kind=kind,
        amount=amount,
        contributor_type=contributor_type,
        contributors=contributors,
        description=(description or "").strip(),
        created_by=person_of(actor),
    )
    attribute_to(entry, actor)
    if not validated:
        validate_unsaved(entry)
    return entry


@transaction.atomic
def contribution_add(
    *,
    actor,
    initiative: Initiative,
    date: datetime.date,
    kind: str,
    amount: int | Decimal | str,
    contributor_type: str,
    contributors: int = 0,
    description: str = "",
) -> Contribution:
    """Add an entry to the ledger: money and in-kind value in whole VND, land in m² and labour
    in person-days, each to two decimals at most (350,5 m², half a day). Assets and materials
    need a description of what was given."""
    entry = contribution_build(
        actor=actor,
        initiative=initiative,
        date=date,
        kind=kind,
        amount=amount,
        contributor_type=contributor_type,
        contributors=contributors,
        description=description,
    )
    clean_and_save(entry)
    upkeep.contribution_recorded(entry)
    return entry


def contribution_effective(entry: Contribution) -> tuple[Decimal, int]:
    """Return the amount and contributors of ``entry`` after all its corrections."""
    totals = entry.corrections.aggregate(amount=Sum("amount"), contributors=Sum("contributors"))
    # SQLite sums decimals as floats: 0.1 + 0.2 comes back as 0.300000000000000, which a
    # correction's difference would carry as fifteen decimals. The ledger keeps two.
    return (
        (Decimal(entry.amount) + (totals["amount"] or 0)).quantize(Decimal("0.01")),
        entry.contributors + (totals["contributors"] or 0),
    )


@transaction.atomic
def contribution_correct(
    *,
    actor,
    entry: Contribution,
    amount: int | Decimal | str,
    contributors: int | None = None,
    reason: str,
    date: datetime.date | None = None,
) -> Contribution:
    """Correct an entry to ``amount`` by adding an entry with the difference.

    The original stays as it was; the ledger's sum becomes the corrected total. The amount
    follows the entry's kind: whole đồng, or up to two decimals for land and labour.
    """
    require_on_initiative(actor, "contribution.add", entry.initiative)
    if entry.corrects_id is not None:
        reject("entry", _("Correct the original entry, not a correction."))
    if not (reason or "").strip():
        reject("reason", _("Say why the entry is corrected."))
    amount = parse_contribution_amount(amount, "amount", kind=entry.kind)
    if amount < 0:
        reject("amount", _("An amount cannot be negative."))
    check_amount(amount, "amount", maximum=contribution_max(entry.kind))
    check_record_date(date, "date")
    current_amount, current_contributors = contribution_effective(entry)
    if contributors is None:
        contributors = current_contributors
    contributors = parse_whole_number(contributors, "contributors")
    if contributors < 0:
        reject("contributors", _("The number of contributors cannot be negative."))
    check_amount(contributors, "contributors", maximum=CONTRIBUTORS_MAX)
    if amount == current_amount and contributors == current_contributors:
        reject("amount", _("The correction changes nothing."))
    correction = Contribution(
        initiative=entry.initiative,
        date=date or entry.date,
        kind=entry.kind,
        amount=amount - current_amount,
        contributor_type=entry.contributor_type,
        contributors=contributors - current_contributors,
        description=reason.strip(),
        corrects=entry,
        created_by=person_of(actor),
    )
    attribute_to(correction, actor)
    clean_and_save(correction)
    upkeep.contribution_recorded(correction)
    return correction
