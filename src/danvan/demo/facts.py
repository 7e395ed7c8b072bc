"""Registering a published model the way an officer would: through the services.

The facts of the two reports go in through ``initiative_create``, ``contribution_add`` and
``result_add`` so they pass the same validation as typed-in data and leave the same history. A
figure reported as "over 180 million VND" is recorded as 180,000,000 with the "over" kept in
the description: the ledger holds what can be vouched for.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area
from danvan.demo.common import CodeBook, set_status
from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Indicator, Initiative
from danvan.initiatives.services import contribution_add, initiative_create, result_add
from danvan.orgs.models import Organisation


@dataclass(frozen=True)
class Gift:
    """One contribution entry: ``amount`` in VND (money, in kind), m² (land) or person-days."""

    kind: str
    amount: int
    description: str
    contributor_type: str = "households"
    contributors: int = 0
    date: datetime.date | None = None


@dataclass(frozen=True)
class Outcome:
    """One measured result; ``value`` is text so no float rounding reaches the database."""

    indicator: str
    value: str
    note: str = ""
    target: str | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


@dataclass
class Fact:
    """A published model with what it mobilised and achieved."""

    title: str
    field: str
    organisation: Organisation
    area: Area
    year: int
    status: str = Status.COMPLETED
    summary: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    exemplary: bool = False
    replicated_from: Initiative | None = None
    continued_from: Initiative | None = None
    people_in_charge: str = ""
    tags: tuple[str, ...] = ()
    gifts: list[Gift] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def register(fact: Fact, *, codes: CodeBook, indicators: dict[str, Indicator]) -> Initiative:
    """Create the initiative of ``fact`` with its ledger and results, through the services."""
    start = fact.start_date or datetime.date(fact.year, 1, 1)
    initiative = initiative_create(
        actor=SYSTEM,
        code=codes.next(fact.year),
        title=fact.title,
        field=fact.field,
        organisation=fact.organisation,
        area=fact.area,
        year=fact.year,
        summary=fact.summary,
        start_date=start,
        end_date=fact.end_date,
        exemplary=fact.exemplary,
        replicated_from=fact.replicated_from,
        continued_from=fact.continued_from,
        people_in_charge=fact.people_in_charge,
        tags=fact.tags,
    )
    for gift in fact.gifts:
        contribution_add(
            actor=SYSTEM,
            initiative=initiative,
            date=gift.date or start,
            kind=gift.kind,
            amount=gift.amount,
            contributor_type=gift.contributor_type,
            contributors=gift.contributors,
            description=gift.description,
        )
    year_end = datetime.date(fact.year, 12, 31)
    for outcome in fact.outcomes:
        result_add(
            actor=SYSTEM,
            initiative=initiative,
            indicator=indicators[outcome.indicator],
            value=Decimal(outcome.value),
            target=Decimal(outcome.target) if outcome.target is not None else None,
            period_start=outcome.period_start or start,
            period_end=outcome.period_end or fact.end_date or year_end,
            note=outcome.note,
        )
    if fact.status != initiative.status:
        set_status(initiative, fact.status)
    return initiative
