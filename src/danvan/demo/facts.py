"""Registering a published model the way an officer would: through the services.

The facts of the two reports go in through ``initiative_create``, ``contribution_add`` and
``result_add`` so they pass the same validation as typed-in data and leave the same history. A
figure reported as "over 180 million VND" is recorded as 180,000,000 with the "over" kept in
the description: the ledger holds what can be vouched for.

Each model is then taken through the review workflow to the state it is in (see ``workflow``),
by the demo people in charge of it, and a reviewer marks the exemplary ones. ``key`` names a
model the later steps (evaluations, awards, continuations) pick up from ``Generator.facts``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from danvan.areas.models import Area
from danvan.demo.workflow import walk
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import initiative_mark_exemplary
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import contribution_add, initiative_create, result_add
from danvan.orgs.models import Organisation

if TYPE_CHECKING:
    from danvan.demo.population import Generator


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
    key: str = ""  # the name later steps find it by in ``Generator.facts``
    returned_first: str = ""  # why the first submission was sent back, if it was
    reason: str = ""  # why it was returned or discontinued, for those final states


def register(gen: "Generator", fact: Fact, *, code: str | None = None) -> Initiative:
    """Create the initiative of ``fact`` with its ledger and results, then walk its workflow.

    The code comes from the demo's ``CodeBook`` unless ``code`` is given ("" lets the service
    number it, once the sequences have been moved past the demo's codes).
    """
    cast = gen.cast
    start = fact.start_date or datetime.date(fact.year, 1, 1)
    draft = Initiative(area=fact.area, organisation=fact.organisation)
    initiative = initiative_create(
        actor=cast.actor("initiative.create", draft),
        code=gen.codes.next(fact.year) if code is None else code,
        title=fact.title,
        field=fact.field,
        organisation=fact.organisation,
        area=fact.area,
        year=fact.year,
        summary=fact.summary,
        start_date=start,
        end_date=fact.end_date,
        replicated_from=fact.replicated_from,
        continued_from=fact.continued_from,
        people_in_charge=fact.people_in_charge,
        tags=fact.tags,
    )
    for gift in fact.gifts:
        contribution_add(
            actor=cast.actor("contribution.add", initiative),
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
            actor=cast.actor("result.add", initiative),
            initiative=initiative,
            indicator=gen.indicators[outcome.indicator],
            value=Decimal(outcome.value),
            target=Decimal(outcome.target) if outcome.target is not None else None,
            period_start=outcome.period_start or start,
            period_end=outcome.period_end or fact.end_date or year_end,
            note=outcome.note,
        )
    walk(cast, initiative, fact.status, returned_first=fact.returned_first, reason=fact.reason)
    if fact.exemplary:
        initiative_mark_exemplary(
            actor=cast.actor("initiative.mark_exemplary", initiative), initiative=initiative
        )
    if fact.key:
        gen.facts[fact.key] = initiative
    return initiative
