"""Keep ``ChainRollup``, ``ChainDetailRollup`` and ``ChainKindRollup`` in step with every
write: registrations keyed by their predecessor (the detail table also by the registration's
kind, replication and organisation kind; the table by kind by those without the two fields).

A registration's rows depend on its own unit, year, field, status, exemplary, replication,
continuation and organisation kind, and on its predecessor's unit, year, field, status and
exemplary. So a write to some initiatives moves the rows of those initiatives and of their
successors (whose predecessor changed), read before the write and after it, as
``danvan.stats.rollups`` moves the other tables.

Concurrent writers. A successor's rows depend on two initiatives, so a writer locks, with the
initiatives it writes, their successors (in one statement, in the order of their ids), and
reads their predecessors without a lock. Writers of a model and of its continuation thus
serialize on the continuation: whichever holds it first finishes before the other reads it,
and the other then reads the first one's committed state (a writer of the model cannot commit
its new state while the continuation's writer holds the continuation, so that writer reads
the model as it was). Waits only ever run from a model to its continuations, which are of
later years, so two writers cannot wait for each other. A successor committed by another
writer while the lock waited is found by reading the successors again once locked. A
predecessor that a write links to anew is share-locked before it is read: a writer changing it
at the same moment does not yet see the new link, and either finishes first or, waiting for
the link's writer, reads the link once it is committed; two writers linking to one
predecessor share the lock.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import NamedTuple

from django.db import connection
from django.db.models import Q

from danvan.areas.models import Area
from danvan.initiatives.bulk_sql import among
from danvan.initiatives.catalogues import RegistrationKind
from danvan.initiatives.models import Initiative
from danvan.stats.models import MODES, NATIONAL
from danvan.stats.nodes import nodes_of
from danvan.stats.rollups_base import upsert_all

CHAIN_TABLE = "stats_chainrollup"
CHAIN_KEYS = (
    "mode",
    "area_id",
    "year",
    "field",
    "status",
    "prev_year",
    "prev_field",
    "prev_status",
    "prev_up",
)
CHAIN_COUNTS = ("initiatives", "exemplary", "replicated", "continued", "exemplary_chained")
CHAIN_DETAIL_TABLE = "stats_chaindetailrollup"
CHAIN_DETAIL_KEYS = (
    *CHAIN_KEYS[:5],
    "registration_kind",
    "replicated",
    "org_kind",
    *CHAIN_KEYS[5:],
)
# Replicated and continued are keys of the detail rows, not counts.
CHAIN_DETAIL_COUNTS = ("initiatives", "exemplary", "exemplary_chained")
CHAIN_KIND_TABLE = "stats_chainkindrollup"
CHAIN_KIND_KEYS = (
    "mode",
    "area_id",
    "year",
    "status",
    "registration_kind",
    "replicated",
    "org_kind",
    "prev_year",
    "prev_status",
    "prev_up",
)
# The predecessor as a row keeps it when it cannot be in the node's scope.
NO_PREDECESSOR = (0, "", "", False)

_COLUMNS = (
    "pk",
    "area_id",
    "year",
    "field",
    "status",
    "exemplary",
    "replicated_from_id",
    "registration_kind",
    "continued_from_id",
    "organisation__kind",
    "organisation_id",
)


class Registration(NamedTuple):
    """An initiative's columns that the rollups are keyed by, read once after a write for the
    chain rows and the others (``ChainSnapshot.read``)."""

    area_id: int
    year: int
    field: str
    status: str
    exemplary: bool
    replicated_from_id: int | None
    registration_kind: str
    continued_from_id: int | None
    org_kind: str
    organisation_id: int


@dataclass(frozen=True)
class Link:
    """What one registration adds to the chain rows, and which one it continues."""

    area_id: int
    year: int
    field: str
    status: str
    exemplary: bool
    replicated: bool
    continued: bool
    prev_id: int | None
    org_kind: str


@dataclass
class ChainSnapshot:
    """The registrations whose rows a write moves (``counted``: the written initiatives and
    their successors) and the facts of those and of their predecessors."""

    counted: set[int] = field(default_factory=set)
    links: dict[int, Link] = field(default_factory=dict)
    # The registrations read after a write (``chain_after``), which the other rollups take
    # instead of reading the same rows again.
    read: dict[int, Registration] = field(default_factory=dict)


def registrations(queryset, *, lock: bool, skip_locked: bool = False) -> dict[int, Registration]:
    """The initiatives of ``queryset`` by id, in the order of their ids (``lock``: locked in
    that order; ``skip_locked``: leaving out those another transaction holds)."""
    queryset = queryset.order_by("pk")
    if lock:
        queryset = queryset.select_for_update(of=("self",), skip_locked=skip_locked)
    make = Registration._make
    return {row[0]: make(row[1:]) for row in queryset.values_list(*_COLUMNS)}


def _links(read: dict[int, Registration]) -> dict[int, Link]:
    return {
        pk: Link(
            one.area_id,
            one.year,
            one.field,
            one.status,
            bool(one.exemplary),
            one.replicated_from_id is not None,
            one.registration_kind == RegistrationKind.CONTINUED,
            one.continued_from_id,
            one.org_kind,
        )
        for pk, one in read.items()
    }


def _read(queryset, *, lock: bool) -> dict[int, Link]:
    return _links(registrations(queryset, lock=lock))


def _predecessors(links: dict[int, Link], known: dict[int, Link] | None) -> dict[int, Link]:
    """Read the predecessors of ``links`` that are not among them; after a write, those not
    in ``known`` (the state before it; linked to anew) are locked first."""
    missing = {link.prev_id for link in links.values() if link.prev_id is not None} - set(links)
    new = [] if known is None else sorted(missing - set(known))
    if new and connection.features.has_select_for_update:
        # A share lock: it waits for a writer of the predecessor, never for another writer
        # linking to it (each of which already holds the foreign key's share lock on it).
        table = Initiative._meta.db_table
        marks = ", ".join(["%s"] * len(new))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE id IN ({marks}) ORDER BY id FOR SHARE", new
            )
    if not missing:
        return {}
    return _read(Initiative.objects.filter(among(Initiative, "pk", sorted(missing))), lock=False)


def _around(ids: list[int]) -> Q:
    """The initiatives ``ids`` and their successors; the ids go as one parameter each
    (``among``), since an import's blocks hold thousands of them."""
    return Q(among(Initiative, "pk", ids)) | Q(among(Initiative, "continued_from", ids))


def chain_capture(ids) -> ChainSnapshot:
    """Lock the initiatives and their successors, and read them and their predecessors
    before a write."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return ChainSnapshot()
    around = _around(ids)
    links = _read(Initiative.objects.filter(around), lock=True)
    if connection.features.has_select_for_update:
        # Successors committed while the lock waited (see the module's docstring).
        late = Initiative.objects.filter(among(Initiative, "continued_from", ids)).exclude(
            among(Initiative, "pk", links)
        )
        if late.exists():
            links.update(_read(late, lock=True))
    links.update(_predecessors(links, None))
    return ChainSnapshot(_counted(ids, links), links)


def _counted(ids, links: dict[int, Link]) -> set[int]:
    wanted = set(ids)
    return {pk for pk, link in links.items() if pk in wanted or link.prev_id in wanted}


def chain_after(ids, before: ChainSnapshot) -> ChainSnapshot:
    """Read the initiatives and their successors after a write, with their predecessors (a
    predecessor not in ``before``, linked to by the write, is locked first)."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return ChainSnapshot()
    read = registrations(Initiative.objects.filter(_around(ids)), lock=False)
    links = _links(read)
    links.update(_predecessors(links, before.links))
    return ChainSnapshot(_counted(ids, links), links, read)


def chain_moves(snapshot: ChainSnapshot, sign: int, into: dict, context=None) -> None:
    """Add ``sign`` × the snapshot's counted registrations to the per-key deltas ``into``
    (``chain_deltas``: one dict per table; ``context``: the nodes and parents of
    ``_nodes_and_parents``, read once for a write's state before and after)."""
    if not snapshot.counted:
        return
    nodes, parents = context or _nodes_and_parents([snapshot])
    rows, details, kinds = into[CHAIN_TABLE], into[CHAIN_DETAIL_TABLE], into[CHAIN_KIND_TABLE]
    for link, prev, number in _alike(snapshot):
        weight = sign * number
        head = [weight, weight * link.exemplary, weight * link.replicated, weight * link.continued]
        kind = RegistrationKind.CONTINUED if link.continued else RegistrationKind.NEW
        detail = (str(kind), link.replicated, link.org_kind)
        for mode in MODES:
            above = set(nodes[prev.area_id][mode]) if prev is not None else set()
            for node in dict.fromkeys(nodes[link.area_id][mode]):
                if prev is None:
                    key, chained = NO_PREDECESSOR, 0
                elif node in above:
                    key = (prev.year, prev.field, prev.status, False)
                    chained = link.exemplary and prev.exemplary
                elif node != NATIONAL and parents[node] in above:
                    key = (prev.year, prev.field, prev.status, True)
                    chained = link.exemplary and prev.exemplary
                else:
                    key, chained = NO_PREDECESSOR, 0
                own = (mode, node, link.year, link.field, link.status)
                total = rows[(*own, *key)]
                for index, value in enumerate((*head, weight * chained)):
                    total[index] += value
                counts = (weight, head[1], weight * chained)
                # The table by kind keys the predecessor without its field.
                prev_year, _prev_field, prev_status, prev_up = key
                by_kind = (mode, node, link.year, link.status, *detail)
                for total in (
                    details[(*own, *detail, *key)],
                    kinds[(*by_kind, prev_year, prev_status, prev_up)],
                ):
                    for index, value in enumerate(counts):
                        total[index] += value


# What decides the rows a registration moves: all its facts but the link, and of the one it
# continues, what ``chain_moves`` reads.
_LINK_FACTS = tuple(item.name for item in fields(Link) if item.name != "prev_id")
_PREDECESSOR_FACTS = ("area_id", "year", "field", "status", "exemplary")


def _alike(snapshot: ChainSnapshot) -> list[tuple[Link, Link | None, int]]:
    """The snapshot's counted registrations that move the same rows (the same facts, each with
    a predecessor of the same facts, or none), once each with their number: an import's
    thousands of new registrations of a commune's year and field are added together (see
    ``rollups._alike``)."""
    links = snapshot.links
    alike: dict[tuple, list] = {}
    for pk in snapshot.counted:
        link = links[pk]
        prev = links.get(link.prev_id) if link.prev_id is not None else None
        key = (
            tuple(getattr(link, name) for name in _LINK_FACTS),
            None if prev is None else tuple(getattr(prev, name) for name in _PREDECESSOR_FACTS),
        )
        group = alike.get(key)
        if group is None:
            alike[key] = [link, prev, 1]
        else:
            group[2] += 1
    return [(link, prev, number) for link, prev, number in alike.values()]


def _nodes_and_parents(snapshots) -> tuple[dict, dict[int, int]]:
    """The nodes of the units of the snapshots' counted registrations and of their
    predecessors, and the parent node of each node a registration with a predecessor is
    counted under (the country above the top units; read only when one continues another)."""
    areas: set[int] = set()
    chained: set[int] = set()
    for snapshot in snapshots:
        for pk in snapshot.counted:
            link = snapshot.links[pk]
            areas.add(link.area_id)
            if link.prev_id in snapshot.links:
                areas.add(snapshot.links[link.prev_id].area_id)
                chained.add(link.area_id)
    nodes = nodes_of(areas)
    wanted = {
        node for area in chained for mode in MODES for node in nodes[area][mode] if node != NATIONAL
    }
    if not wanted:
        return nodes, {}
    parents = {
        pk: parent or NATIONAL
        for pk, parent in Area.objects.filter(pk__in=wanted).values_list("pk", "parent_id")
    }
    return nodes, parents


def chain_deltas() -> dict[str, dict]:
    """The per-key deltas of a write, one dict per chain table."""
    return {
        CHAIN_TABLE: defaultdict(lambda: [0] * len(CHAIN_COUNTS)),
        CHAIN_DETAIL_TABLE: defaultdict(lambda: [0] * len(CHAIN_DETAIL_COUNTS)),
        CHAIN_KIND_TABLE: defaultdict(lambda: [0] * len(CHAIN_DETAIL_COUNTS)),
    }


def chain_apply(into: dict[str, dict]) -> None:
    """Write a write's deltas to the chain tables (one statement on PostgreSQL)."""
    upsert_all(
        [
            (
                table,
                keys,
                counts,
                [(*key, *measures) for key, measures in into[table].items() if any(measures)],
            )
            for table, keys, counts in (
                (CHAIN_TABLE, CHAIN_KEYS, CHAIN_COUNTS),
                (CHAIN_DETAIL_TABLE, CHAIN_DETAIL_KEYS, CHAIN_DETAIL_COUNTS),
                (CHAIN_KIND_TABLE, CHAIN_KIND_KEYS, CHAIN_DETAIL_COUNTS),
            )
        ]
    )


def chain_settle(before: ChainSnapshot | None, after: ChainSnapshot) -> None:
    """Move the chain rows of a write's initiatives and their successors from their state
    ``before`` it to their state ``after`` it (``chain_after``, read before any rollup row is
    written: a predecessor it locks must not be waited for while holding rollup rows)."""
    before = before or ChainSnapshot()
    if not before.counted and not after.counted:
        return
    context = _nodes_and_parents([before, after])
    into = chain_deltas()
    chain_moves(before, -1, into, context)
    chain_moves(after, +1, into, context)
    chain_apply(into)
