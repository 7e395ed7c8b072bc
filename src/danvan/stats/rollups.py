"""Keep the rollup tables in step with every write, inside the writing transaction.

The domain's services reach these functions through ``danvan.core.upkeep`` (no signals): a
figure is never stale and a failed write leaves no trace in the rollups. With the upkeep
deferred (``DANVAN_STATS_UPKEEP=deferred``, ``danvan.stats.pending``) a save of one ledger
entry appends it to a pending list instead, and ``fold`` takes the pending entries in right
after the commit: the figures then trail such a save by that fold. Changes to an
initiative are handled one way: ``capture`` its facts before the write, ``settle`` after it:
the difference (old key minus, new key plus, for its count, its contributions and, when it
moved, its results) is upserted.
Every upsert increments (``x = x + excluded.x``), so concurrent writers on PostgreSQL never
lose each other's counts; the initiative's row is locked first so two moves of one initiative
cannot both subtract the same old key.

Totals cannot overflow. The rollup columns are signed 64-bit integers; past their range
PostgreSQL refuses every later write to the row (``bigint out of range``) and SQLite silently
turns the sum into an inexact float. Widening the columns would not help SQLite, whose
integers are 64-bit whatever the declared type, nor the sums the dashboards run over them. So
before a new entry or result is written, the national total of each measure it adds to (for a
result, its indicator's total in 10⁻⁴ units) is read, and the entry is refused with a
``ValidationError`` on its field, writing nothing, when the total would pass
``ROLLUP_CEILING`` (half the column's range, see ``danvan.core.limits``). Every other row, and
every sum a selector or the full rebuild runs, holds part of that national total: an
initiative's ledger never sums below zero, so no part can be larger than the whole. The check
reads a few hundred national rows, once per write or per imported chunk; a move of an
initiative between keys (``settle``) leaves the national totals as they were and is not
checked. Two writers passing the check at the same moment add at most twice the headroom,
still inside the column.
"""

import contextvars
import logging
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q, Sum

from danvan.core.limits import ROLLUP_CEILING
from danvan.initiatives.bulk_sql import among
from danvan.initiatives.catalogues import RegistrationKind
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.stats import pending
from danvan.stats.chain_rollups import (
    ChainSnapshot,
    Registration,
    chain_after,
    chain_apply,
    chain_capture,
    chain_deltas,
    chain_moves,
    chain_settle,
    registrations,
)
from danvan.stats.lineage import lineage_changed
from danvan.stats.models import (
    ALL_YEARS,
    MODES,
    NATIONAL,
    REGISTERING_COLUMNS,
    WHOLE_YEAR,
    AreaNode,
)
from danvan.stats.nodes import ensure_area_nodes, nodes_of
from danvan.stats.recognition_rollups import Deltas as RecognitionDeltas
from danvan.stats.recognition_rollups import RecognitionSnapshot, add_rows, held_by
from danvan.stats.recognition_rollups import apply as apply_recognition

# The awards' and evaluations' part of the keeper that ``danvan.core.upkeep`` calls.
from danvan.stats.recognition_rollups import recognition_capture as recognition_capture
from danvan.stats.recognition_rollups import recognition_settle as recognition_settle
from danvan.stats.result_rollups import (
    ResultFact,
    add_results,
    move_results,
    nodes_by_area,
    remove_results,
)

# The results' part of the keeper that ``danvan.core.upkeep`` calls: this module is the keeper.
from danvan.stats.result_rollups import result_headroom as result_headroom
from danvan.stats.result_rollups import result_recorded as result_recorded
from danvan.stats.result_rollups import result_removed as result_removed
from danvan.stats.result_rollups import results_recorded as results_recorded
from danvan.stats.result_rollups import results_removed as results_removed
from danvan.stats.rollups_base import (
    _BY_KIND_INDEX,
    _MONTH_INDEX,
    CONTRIBUTION_TABLE,
    COUNTS,
    DAY_TABLE,
    DECIMAL_CEILING,
    DETAIL_DAY_TABLE,
    DETAIL_TABLE,
    DIMS,
    ENTRIES_AT,
    HOUSEHOLDS_AT,
    INITIATIVE_TABLE,
    KIND_DIMS,
    KIND_INDEX,
    KIND_MONTH_TABLE,
    KIND_TABLE,
    MEASURES,
    MONTH_DIMS,
    NATIONAL_TABLE,
    PEOPLE_AT,
    REGISTERING_INDEX,
    REGISTERING_TABLE,
    SUMMARY_COUNTS,
    SUMMARY_TABLE,
    SUMMARY_YEARS_TABLE,
    WHOLE_KINDS,
    ledger_amount,
    too_large,
    upsert_all,
)
from danvan.stats.taking_part import CLASS_OF, class_of, day_moves, ledgers_of, moves_made

logger = logging.getLogger(__name__)


@dataclass
class Facts:
    """What one initiative adds to the rollups: its key, whether it is exemplary, its
    organisation, and its ledger by (year, month, day)."""

    area_id: int
    dims: tuple
    exemplary: bool = False
    organisation_id: int | None = None
    ledger: dict[tuple[int, int, int], list[int]] = field(default_factory=dict)


# Per-key deltas of the counts, the summary, the months, the days, the registering units, the
# months and days by every dimension, the counts and months by kind of organisation, and the
# national totals.
Deltas = tuple[dict, dict, dict, dict, dict, dict, dict, dict, dict, dict]


@dataclass
class Snapshot:
    """The facts of some initiatives before a write."""

    ids: list[int]
    facts: dict[int, Facts]
    chains: ChainSnapshot | None = None
    recognition: RecognitionSnapshot | None = None


def _initiative_facts(
    ids: list[int], *, ledger: bool = True, lock: bool = True, leave_out=(), skip_locked=False
) -> dict[int, Facts]:
    """Read (and lock) the initiatives' keys, and their ledgers grouped by day (without the
    entries ``leave_out``: pending ones, which the rollups do not hold yet; ``skip_locked``:
    without the initiatives another transaction holds).

    The ids go as one parameter (``among``): an import's blocks hold thousands of them."""
    if not ids:
        return {}
    read = registrations(
        Initiative.objects.filter(among(Initiative, "pk", ids)),
        lock=lock,
        skip_locked=skip_locked,
    )
    return _facts_of(read, ids, ledger=ledger, leave_out=leave_out)


def _facts_of(
    read: dict[int, Registration], ids, *, ledger: bool, leave_out=()
) -> dict[int, Facts]:
    """The facts of the initiatives ``ids`` among the registrations ``read`` (an id not read,
    a deleted initiative, has none), with their ledgers when ``ledger`` (less the entries
    ``leave_out``)."""
    facts = {}
    for pk in ids:
        one = read.get(pk)
        if one is None:
            continue
        dims = (
            one.year,
            one.field,
            one.status,
            one.registration_kind,
            one.replicated_from_id is not None,
            one.org_kind,
        )
        facts[pk] = Facts(one.area_id, dims, one.exemplary, one.organisation_id)
    if ledger and facts:
        _read_ledgers(facts, leave_out)
    return facts


def _ledger_rows(ids, *, leave_out=()):
    """The ledgers of initiatives ``ids`` grouped by initiative, day, kind and kind of
    contributor (``leave_out``: entry ids read as if not yet written)."""
    ids = list(ids)
    if not ids:
        return Contribution.objects.none()
    return (
        Contribution.objects.filter(among(Contribution, "initiative", ids))
        .exclude(pk__in=list(leave_out))
        .values("initiative_id", "kind", "date", "contributor_type")
        .annotate(
            amount=Sum("amount"),
            contributors=Sum("contributors"),
            entries=Count("id", filter=Q(corrects__isnull=True)),
        )
        .order_by()
    )


def _taking_part(rows) -> dict[int, dict[tuple, tuple[int, int]]]:
    """Per initiative, the days its households and people taking part moved (``day_moves``)."""
    return {pk: day_moves(ledger) for pk, ledger in ledgers_of(rows).items()}


def _read_ledgers(facts: dict[int, Facts], leave_out=()) -> None:
    """Fill each fact's ledger by day: amounts, entries and the moves of those taking part."""
    rows = list(_ledger_rows(facts, leave_out=leave_out))
    for row in rows:
        day = row["date"]
        measures = facts[row["initiative_id"]].ledger.setdefault(
            (day.year, day.month, day.day), [0] * len(MEASURES)
        )
        measures[KIND_INDEX[row["kind"]]] += ledger_amount(row["kind"], row["amount"])
        measures[ENTRIES_AT] += row["entries"]
    for pk, moves in _taking_part(rows).items():
        for day, (households, people) in moves.items():
            measures = facts[pk].ledger.setdefault(day, [0] * len(MEASURES))
            measures[HOUSEHOLDS_AT] += households
            measures[PEOPLE_AT] += people


# The households' and people's ledgers read so far by a writer of many entries in one
# transaction (``ledgers_remembered``), by initiative, with the entries it added since.
_ledgers_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "taking_part_ledgers", default=None
)


@contextmanager
def ledgers_remembered():
    """Inside one transaction that adds entries chunk after chunk (an import's apply), read
    each initiative's households and people once, not once per chunk that touches it.

    Exact because the first move of an initiative's figures locks its row until the
    transaction ends (``_initiative_facts``), and every writer of its ledger takes that lock
    before it can commit: from then on its ledger changes only by this transaction's own
    entries, which are added to what was read. Enter it inside the transaction."""
    token = _ledgers_read.set({})
    try:
        yield
    finally:
        _ledgers_read.reset(token)


def _taking_part_moves(entries: list[Contribution]) -> dict[int, dict[tuple, list[int]]]:
    """How the new ``entries`` (already written) moved their initiatives' households and
    people taking part, by day: the moves of the ledgers with them minus without them
    (``moves_made``; only the entries of households and people are read, once per
    transaction inside ``ledgers_remembered``)."""
    added = defaultdict(list)
    for entry in entries:
        if entry.contributors and class_of(entry.contributor_type):
            day = entry.date
            added[entry.initiative_id].append(
                (
                    (day.year, day.month, day.day),
                    entry.kind,
                    entry.contributor_type,
                    entry.contributors,
                )
            )
    if not added:
        return {}
    remembered = _ledgers_read.get()
    ledgers = defaultdict(list)
    if remembered is not None:
        for pk in added.keys() & remembered.keys():
            remembered[pk].extend(added[pk])
            ledgers[pk] = remembered[pk]
    unread = [pk for pk in added if remembered is None or pk not in remembered]
    for pk, day, kind, contributor_type, contributors in (
        Contribution.objects.filter(
            among(Contribution, "initiative", unread), contributor_type__in=[*CLASS_OF]
        )
        .exclude(contributors=0)
        .values_list("initiative_id", "date", "kind", "contributor_type")
        .annotate(Sum("contributors"))
        .order_by()
        if unread
        else ()
    ):
        ledgers[pk].append(((day.year, day.month, day.day), kind, contributor_type, contributors))
    if remembered is not None:
        for pk in unread:
            remembered[pk] = ledgers[pk]
    moves: dict[int, dict[tuple, list[int]]] = {}
    for pk, taken in added.items():
        made = moves_made(ledgers[pk], taken)
        if made:
            moves[pk] = {day: list(move) for day, move in made.items()}
    return moves


def _alike(facts: dict[int, Facts]) -> list[tuple[Facts, int]]:
    """The facts of initiatives that fall on the same keys (unit, dimensions, exemplary,
    organisation), each kind once with its number and their ledgers added up day by day.

    Every initiative's facts are added to a row per node above its unit, in both modes, of
    several tables: a key's row is touched once per node of each initiative. An import of a
    province's models brings thousands that fall on the same keys (the same commune, year,
    field and organisation), and adding them as one touches each row once per kind instead."""
    groups: dict[tuple, list] = {}
    for fact in facts.values():
        key = (fact.area_id, fact.dims, bool(fact.exemplary), fact.organisation_id)
        group = groups.get(key)
        if group is None:
            groups[key] = [fact, 1, False]  # the facts, their number, a ledger of the group's own
            continue
        group[1] += 1
        if not fact.ledger:
            continue
        if not group[2]:
            first = group[0]
            ledger = {day: list(measures) for day, measures in first.ledger.items()}
            group[0] = replace(first, ledger=ledger)
            group[2] = True
        ledger = group[0].ledger
        for day, measures in fact.ledger.items():
            total = ledger.get(day)
            if total is None:
                ledger[day] = list(measures)
            else:
                for index, value in enumerate(measures):
                    total[index] += value
    return [(group[0], group[1]) for group in groups.values()]


def _rows(facts: dict[int, Facts], sign: int, into: Deltas, *, count=True) -> None:
    """Add ``sign`` × the facts to the per-key deltas of the rollups (``count=False`` adds
    only the ledger, for a new entry of an initiative already counted)."""
    counts, summary, months, days, registering, detail_months, detail_days = into[:7]
    kinds, kind_months, national = into[7:]
    nodes = nodes_of({fact.area_id for fact in facts.values()})
    for fact, number in _alike(facts):
        totals = [0] * len(MEASURES)
        for measures in fact.ledger.values():
            for index, value in enumerate(measures):
                totals[index] += value
        weight = sign * number
        head = [weight, weight * fact.exemplary] if count else [0, 0]
        row = _moved([*head, *(sign * value for value in totals)])
        replicated, continued = fact.dims[4], fact.dims[3] == RegistrationKind.CONTINUED
        summary_head = [weight * replicated, weight * continued] if count else [0, 0]
        summary_row = _moved([*head, *summary_head, *(sign * value for value in totals)])
        ledger = [
            (day, _moved([sign * value for value in measures]))
            for day, measures in fact.ledger.items()
        ]
        month_dims = tuple(fact.dims[index] for index in _MONTH_INDEX)
        kind_dims = tuple(fact.dims[index] for index in _BY_KIND_INDEX)
        column = REGISTERING_INDEX[(fact.dims[1], fact.dims[2])]
        for mode in MODES:
            for node in nodes[fact.area_id][mode]:
                total = counts[(mode, node, *fact.dims)]
                for index, value in row:
                    total[index] += value
                total = summary[(mode, node, *month_dims)]
                for index, value in summary_row:
                    total[index] += value
                total = kinds[(mode, node, *kind_dims)]
                for index, value in summary_row:
                    total[index] += value
                if node == NATIONAL:
                    total = national[(mode,)]
                    for index, value in row:  # by position in COUNTS: the measures from 2
                        if index >= 2:
                            total[index - 2] += value
                if count and fact.organisation_id is not None:
                    for year in (fact.dims[0], ALL_YEARS):
                        registering[(mode, node, year, fact.organisation_id)][column] += weight
                for (year, month, day), measures in ledger:
                    by_month = months[(mode, node, *month_dims, year, month)]
                    by_year = months[(mode, node, *month_dims, year, WHOLE_YEAR)]
                    by_day = days[(mode, node, year, month, day, *month_dims)]
                    detail_month = detail_months[(mode, node, year, month, *fact.dims)]
                    detail_year = detail_months[(mode, node, year, WHOLE_YEAR, *fact.dims)]
                    detail_day = detail_days[(mode, node, year, month, day, *fact.dims)]
                    kind_month = kind_months[(mode, node, year, month, *kind_dims)]
                    kind_year = kind_months[(mode, node, year, WHOLE_YEAR, *kind_dims)]
                    for index, value in measures:
                        by_month[index] += value
                        by_year[index] += value
                        by_day[index] += value
                        detail_month[index] += value
                        detail_year[index] += value
                        detail_day[index] += value
                        kind_month[index] += value
                        kind_year[index] += value


def _moved(values: list) -> list[tuple[int, object]]:
    """The measures a row moves, by position (the many zeros of an entry's row are skipped:
    a key's row is touched once per node of every initiative)."""
    return [(index, value) for index, value in enumerate(values) if value]


def _apply(
    counts: dict,
    summary: dict,
    months: dict,
    days: dict,
    registering: dict,
    detail_months: dict,
    detail_days: dict,
    kinds: dict,
    kind_months: dict,
    national: dict,
) -> None:
    def rows(deltas: dict) -> list:
        return [(*key, *measures) for key, measures in deltas.items() if any(measures)]

    upsert_all(
        [
            (INITIATIVE_TABLE, ("mode", "area_id", *DIMS), COUNTS, rows(counts)),
            (SUMMARY_TABLE, ("mode", "area_id", *MONTH_DIMS), SUMMARY_COUNTS, rows(summary)),
            (
                SUMMARY_YEARS_TABLE,
                ("mode", "area_id", "field", "status"),
                SUMMARY_COUNTS,
                rows(_all_years(summary)),
            ),
            (
                CONTRIBUTION_TABLE,
                ("mode", "area_id", *MONTH_DIMS, "c_year", "c_month"),
                MEASURES,
                rows(months),
            ),
            (
                DAY_TABLE,
                ("mode", "area_id", "c_year", "c_month", "c_day", *MONTH_DIMS),
                MEASURES,
                rows(days),
            ),
            (
                REGISTERING_TABLE,
                ("mode", "area_id", "year", "organisation_id"),
                REGISTERING_COLUMNS,
                rows(registering),
            ),
            (
                DETAIL_TABLE,
                ("mode", "area_id", "c_year", "c_month", *DIMS),
                MEASURES,
                rows(detail_months),
            ),
            (
                DETAIL_DAY_TABLE,
                ("mode", "area_id", "c_year", "c_month", "c_day", *DIMS),
                MEASURES,
                rows(detail_days),
            ),
            (KIND_TABLE, ("mode", "area_id", *KIND_DIMS), SUMMARY_COUNTS, rows(kinds)),
            (
                KIND_MONTH_TABLE,
                ("mode", "area_id", "c_year", "c_month", *KIND_DIMS),
                MEASURES,
                rows(kind_months),
            ),
            (NATIONAL_TABLE, ("mode",), MEASURES, rows(national)),
        ]
    )


def _all_years(summary: dict) -> dict:
    """The summary's deltas with the registration year added up: the all-years rows move by
    what every year's rows of their node, field and status move."""
    folded: dict = defaultdict(lambda: [0] * len(SUMMARY_COUNTS))
    for (mode, node, _year, of_field, status), measures in summary.items():
        total = folded[(mode, node, of_field, status)]
        for index, value in enumerate(measures):
            total[index] += value
    return folded


def _deltas() -> Deltas:
    """Empty per-key deltas of the counts, the summary, the months, the days, the
    registering units, the months and days by every dimension, the counts and months by kind
    of organisation, and the national totals."""
    return (
        defaultdict(lambda: [0] * len(COUNTS)),
        defaultdict(lambda: [0] * len(SUMMARY_COUNTS)),
        defaultdict(lambda: [0] * len(MEASURES)),
        defaultdict(lambda: [0] * len(MEASURES)),
        defaultdict(lambda: [0] * len(REGISTERING_COLUMNS)),
        defaultdict(lambda: [0] * len(MEASURES)),
        defaultdict(lambda: [0] * len(MEASURES)),
        defaultdict(lambda: [0] * len(SUMMARY_COUNTS)),
        defaultdict(lambda: [0] * len(MEASURES)),
        defaultdict(lambda: [0] * len(MEASURES)),
    )


def capture(ids) -> Snapshot:
    """Lock the initiatives and remember their facts before a write that may change them."""
    ids = [pk for pk in ids if pk is not None]
    # The chain rows' lock (the initiatives and their successors, in id order) comes first:
    # it holds every row the counts' lock takes.
    chains = chain_capture(ids)
    # Their pending entries are taken off the list: the rollups do not hold them, so the
    # facts before leave them out and the facts after (in ``settle``) count them.
    taken = {entry.pk for entry in pending.take(ids)} if pending.deferred() else ()
    facts = _initiative_facts(ids, leave_out=taken)
    return Snapshot(ids, facts, chains, recognition_capture(ids, lock=False))


def settle(snapshot: Snapshot) -> None:
    """Move the captured initiatives' figures from their old keys to their keys now.

    A deleted initiative has no key now, a created one had none before. Results move only
    when the unit changed, and then only between the nodes the move actually leaves or joins.
    """
    # First, as it may wait for a predecessor the write links to: no rollup row is held yet.
    chains = chain_after(snapshot.ids, snapshot.chains or ChainSnapshot())
    # The same rows, read once: the chain's read holds every one of the ids.
    after = _facts_of(chains.read, snapshot.ids, ledger=True)
    deltas = _deltas()
    _rows(snapshot.facts, -1, deltas)
    _rows(after, +1, deltas)
    _apply(*deltas)
    chain_settle(snapshot.chains, chains)
    moved = {
        pk: (fact.area_id, after[pk].area_id)
        for pk, fact in snapshot.facts.items()
        if pk in after and after[pk].area_id != fact.area_id
    }
    if moved:
        move_results(moved)
    if snapshot.recognition is not None:
        # The awards and evaluations move with their model (or go with it).
        recognition_settle(snapshot.recognition, held_only=True)


def initiative_created(initiative: Initiative) -> None:
    """Count a new initiative."""
    settle(Snapshot([initiative.pk], {}))


_NATIONAL_NAMES = MEASURES[:ENTRIES_AT]


def _national_ledger_totals(leave_out=()) -> list:
    """The national total of each ledger measure (the larger of the two modes' totals), with
    what the pending entries (but ``leave_out``) will add when the upkeep is deferred.

    Read on every save, so from ``NationalTotal``, one row per mode (adding up the summary's
    seven hundred national rows took 2–3 ms a save at national scale). One statement written
    out: the ORM took longer to build it than the database to answer."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mode, {', '.join(_NATIONAL_NAMES)} FROM {NATIONAL_TABLE}")
        totals = _totals_of(cursor.fetchall())
    if pending.deferred():
        _add_pending(totals, pending.totals(leave_out))
    return totals


def _totals_of(rows) -> list:
    """The larger of the modes' national totals, from rows of (mode, *measures), each measure
    as its column holds it (PostgreSQL sums whole numbers as decimals, SQLite decimals as
    floats)."""
    totals = [0] * len(_NATIONAL_NAMES)
    for _mode, *sums in rows:
        for index, (name, value) in enumerate(zip(_NATIONAL_NAMES, sums, strict=True)):
            value = ledger_amount(name, value) if name in KIND_INDEX else int(value or 0)
            totals[index] = max(totals[index], value)
    return totals


def contribution_headroom(entries, totals: list | None = None) -> dict[int, ValidationError]:
    """Return, by position, the entries that would carry a national total past the ceiling
    (``totals``: the national totals without them, when the caller has read them).

    The entries are added in their order, so in a batch the first one too many is named (and
    every later one that still does not fit). Households and people taking part grow by at
    most an entry's contributors.
    """
    entries = list(entries)
    if not entries:
        return {}
    if totals is None:
        # The entries being checked may be pending already (a deferred save appends first).
        totals = _national_ledger_totals(leave_out=[entry.pk for entry in entries if entry.pk])
    errors = {}
    for position, entry in enumerate(entries):
        index = KIND_INDEX[entry.kind]
        amount = totals[index] + ledger_amount(entry.kind, entry.amount)
        counted = HOUSEHOLDS_AT if class_of(entry.contributor_type) == "households" else PEOPLE_AT
        people = totals[counted] + max(entry.contributors, 0)
        ceiling = ROLLUP_CEILING if entry.kind in WHOLE_KINDS else DECIMAL_CEILING
        if amount > ceiling:
            errors[position] = too_large("amount", ceiling)
        elif people > ROLLUP_CEILING:
            errors[position] = too_large("contributors", ROLLUP_CEILING)
        else:
            totals[index], totals[counted] = amount, people
    return errors


def _add_pending(totals: list, rows) -> None:
    """Add to the national ``totals`` what pending entries will add, from rows of (kind,
    contributor type, amount, contributors)."""
    for kind, contributor_type, amount, contributors in rows:
        totals[KIND_INDEX[kind]] += ledger_amount(kind, amount)
        counted = HOUSEHOLDS_AT if class_of(contributor_type) == "households" else PEOPLE_AT
        totals[counted] += max(contributors or 0, 0)


def _require_contribution_headroom(entries, totals: list | None = None) -> None:
    errors = contribution_headroom(entries, totals)
    if errors:
        raise errors[min(errors)]


def contribution_recorded(entry: Contribution) -> None:
    """Add one ledger entry (an original or a correction) under its initiative's key.

    The initiative's row is locked (a concurrent move must not carry the ledger without this
    entry, nor this entry land under the key it just left). An entry that would carry a
    national total past the ceiling is refused before any rollup row is touched.

    With the upkeep deferred (``danvan.stats.pending``) the entry is appended to the pending
    list instead, under the same lock and the same check, and folded in after the commit.
    """
    if pending.deferred():
        national, waiting = pending.defer(entry, NATIONAL_TABLE, _NATIONAL_NAMES)
        totals = _totals_of(national)
        _add_pending(totals, waiting)
        _require_contribution_headroom([entry], totals)  # a refusal rolls the append back too
        transaction.on_commit(fold_soon, robust=True)
        return
    contributions_recorded([entry])


def contributions_recorded(entries) -> None:
    """Add ledger entries (already written) under their initiatives' keys: the deltas of all
    of them, applied in the chunked upserts, one pass for a whole batch. The households and
    people taking part move by the difference the entries make to their initiatives' ledgers."""
    entries = list(entries)
    if not entries:
        return
    ids = sorted({entry.initiative_id for entry in entries})
    facts = _initiative_facts(ids, ledger=False)
    _require_contribution_headroom(entries)
    if pending.deferred():
        # Their pending entries come in with these: the moves of those taking part are read
        # against a ledger that holds both.
        entries += pending.take(ids)
    _add_entries(facts, entries)


def _add_entries(facts: dict[int, Facts], entries: list[Contribution]) -> None:
    """Add written ledger ``entries`` to the rollups under the keys of ``facts`` (their
    initiatives, locked)."""
    for entry in entries:
        day = entry.date
        measures = facts[entry.initiative_id].ledger.setdefault(
            (day.year, day.month, day.day), [0] * len(MEASURES)
        )
        measures[KIND_INDEX[entry.kind]] += ledger_amount(entry.kind, entry.amount)
        measures[ENTRIES_AT] += 0 if entry.corrects_id else 1
    for pk, moves in _taking_part_moves(entries).items():
        for day, (households, people) in moves.items():
            measures = facts[pk].ledger.setdefault(day, [0] * len(MEASURES))
            measures[HOUSEHOLDS_AT] += households
            measures[PEOPLE_AT] += people
    deltas = _deltas()
    _rows(facts, +1, deltas, count=False)
    _apply(*deltas)


# Initiatives whose pending entries one fold takes in: a few hundred saves' worth, one
# statement per rollup table, each locking its rows once for all of them.
FOLD_BATCH = 500
# How many folds one committed save runs before it leaves the rest to the next save or to the
# task worker (``fold_waiting``), so a save under a steady stream of others still returns.
FOLD_ROUNDS = 4
# The advisory lock one folder at a time holds ("danvan" in ASCII).
FOLD_LOCK = 0x64616E76616E


def fold(*, batch: int = FOLD_BATCH) -> int:
    """Take the pending entries of the initiatives of the oldest ``batch`` into the rollups, in
    one transaction; return how many entries.

    An initiative another transaction holds is left for later: a saver of it folds after its
    own commit, and any other writer of it (a change, an import) takes its pending entries in
    itself. So a fold never waits behind an import's long transaction."""
    with transaction.atomic():
        ids = pending.oldest(batch)
        if not ids:
            return 0
        facts = _initiative_facts(ids, ledger=False, skip_locked=True)
        entries = pending.take(list(facts))
        _add_entries(facts, entries)
        unread = set(ids) - set(facts)
        if unread:
            # Deleted past the services (which take the entries in first): no key to go under.
            kept = Initiative.objects.filter(pk__in=unread).values_list("pk", flat=True)
            pending.take(unread - set(kept))
        return len(entries)


def fold_soon() -> None:
    """Fold the pending entries right after a save commits, unless another process is folding.

    One process folds at a time (an advisory lock, taken without waiting); a saver that finds
    it taken returns at once, as its entry is committed and the folder looks again after each
    fold. So under eight savers one folds for all, a few hundred entries a statement, and none
    waits on another's rollup rows. A fold that fails (a lost connection) leaves the entries
    pending for the next save or the task worker."""
    if connection.vendor != "postgresql":
        return
    try:
        for _ in range(FOLD_ROUNDS):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [FOLD_LOCK])
                if not cursor.fetchone()[0]:
                    return
                try:
                    fold()
                finally:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [FOLD_LOCK])
            if not pending.waiting():
                return
    except DatabaseError:
        logger.warning("The pending ledger entries could not be folded now", exc_info=True)


def fold_waiting() -> int:
    """Fold every pending entry, waiting for a fold in progress (the task worker's sweep, the
    exactness check, switching the upkeep back to inline). Return how many entries."""
    if connection.vendor != "postgresql":
        return 0
    folded = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [FOLD_LOCK])
        try:
            while count := fold():
                folded += count
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [FOLD_LOCK])
    return folded


def pending_before_rebuild(*, every_table: bool) -> None:
    """Settle the pending list inside a rebuild's transaction, before it reads the ledger.

    No fold runs until the rebuild commits (the folders' lock, held to the end of the
    transaction) and no entry joins the list (``pending.lock``). A rebuild of ``every_table``
    counts the pending entries from the ledger, so the list is emptied; one of some tables only
    leaves the others as they are, so the entries are folded into all of them first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FOLD_LOCK])
    pending.lock()
    if every_table:
        pending.clear()
        return
    while fold():
        pass


# --- results -----------------------------------------------------------------------------


# --- the tree changed ------------------------------------------------------------------------


def areas_changed(area_ids) -> None:
    """Re-file the figures recorded on units whose place in the tree or whose successors
    changed (a unit moved, closed, or given a successor), inside the writing transaction.

    The ``AreaNode`` rows of those units are recomputed; their initiatives' figures leave the
    nodes they were counted under and join the new ones (counts and ledgers by difference,
    results between the nodes that differ), so a moved village is counted under its new
    commune the moment it moves, with no rebuild.
    """
    lineage_changed()
    transaction.on_commit(lineage_changed)  # and again once the change is visible to all
    cached = set(
        AreaNode.objects.filter(area_id__in=set(area_ids)).values_list("area_id", flat=True)
    )
    if not cached:
        return
    ids = list(Initiative.objects.filter(area_id__in=cached).values_list("pk", flat=True))
    # Their successors' chain rows move too: whether their predecessor is under a node changed.
    chains = chain_capture(ids)
    # Their pending entries stay pending: they are folded in under the units' nodes then.
    facts = _initiative_facts(ids, leave_out=pending.of(ids) if pending.deferred() else ())
    before = nodes_by_area(cached)
    deltas = _deltas()
    _rows(facts, -1, deltas)
    held = held_by(ids)
    recognition = RecognitionDeltas()
    add_rows(held, -1, recognition)
    chain_rows = chain_deltas()
    chain_moves(chains, -1, chain_rows)
    AreaNode.objects.filter(area_id__in=cached).delete()
    ensure_area_nodes(cached)
    after = nodes_by_area(cached)
    _rows(facts, +1, deltas)
    _apply(*deltas)
    add_rows(held, +1, recognition)
    apply_recognition(recognition)
    chain_moves(chain_after(ids, chains), +1, chain_rows)
    chain_apply(chain_rows)
    results = list(Result.objects.filter(initiative_id__in=ids).select_related(None))
    if not results:
        return
    area_of = {pk: fact.area_id for pk, fact in facts.items()}
    leave = {key: [n for n in nodes if n not in after[key]] for key, nodes in before.items()}
    join = {key: [n for n in nodes if n not in before[key]] for key, nodes in after.items()}
    removed = [ResultFact.of(r, area_of[r.initiative_id]) for r in results]
    remove_results(removed, leave)
    add_results(removed, join)
