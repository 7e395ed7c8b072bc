"""Keep the recognition rollups in step with every award and evaluation, in the writing
transaction.

What a model adds to them is read from its own awards and evaluations (a few rows): its counts
per level (``AwardRollup``), its latest grade per level (``GradeRollup``) and the levels at
which its collective is recognised (``CollectiveRollup``, per organisation). A writer of awards
or evaluations ``recognition_capture``\\s the models it touches before the write (locking
them, so two writers of one model's awards cannot both subtract what it held) and
``recognition_settle``\\s after: what the models hold now minus what they held is upserted,
incrementing, as the other rollups are. A change to the models themselves (their unit, year,
field or organisation, their deletion) moves the same figures through ``rollups.capture`` and
``rollups.settle``.

The collectives are a distinct count of organisations. Each organisation has one
``CollectiveRollup`` row per node and year (and one for all years) saying how many of its
models are recognised, per level and field; the upsert returns the row as it is now, under its
lock, so the write knows whether a column went from none to some or back, and moves
``CollectiveCountRollup``'s column by one. Two writers of one organisation's models wait for
each other on that row, never lose a count.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from danvan.initiatives.bulk_sql import among
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Initiative
from danvan.stats.models import (
    ALL_YEARS,
    ANY_LEVEL,
    AWARD_MEASURES,
    AWARD_STAGES,
    COLLECTIVE_COLUMNS,
    EVERY,
    MODES,
    RECOGNITION_LEVELS,
    collective_column,
)
from danvan.stats.nodes import nodes_of
from danvan.stats.rollups_base import upsert

AWARD_TABLE = "stats_awardrollup"
GRADE_TABLE = "stats_graderollup"
COLLECTIVE_TABLE = "stats_collectiverollup"
COLLECTIVE_COUNT_TABLE = "stats_collectivecountrollup"
AWARD_KEYS = ("mode", "area_id", "year", "field", "org_kind", "level", "stages")
GRADE_KEYS = ("mode", "area_id", "year", "field", "level", "grade")
COLLECTIVE_KEYS = ("mode", "area_id", "year", "organisation_id")
COUNT_KEYS = ("mode", "area_id", "year")
# An award past its decision: recognised, then perhaps nominated further or commended.
DECIDED = ("recognised", "nominated", "commended")
STAGE_BITS = {stage: 1 << index for index, stage in enumerate(AWARD_STAGES)}
COLLECTIVE_INDEX = {name: index for index, name in enumerate(COLLECTIVE_COLUMNS)}
_AT = {name: index for index, name in enumerate(AWARD_MEASURES)}
IDS_PER_QUERY = 5000  # sent as one parameter (`among`); blocks only bound the rows read at once


@dataclass
class Held:
    """What one model's awards and evaluations add to the rollups, under its key."""

    area_id: int
    year: int
    field: str
    org_kind: str
    organisation_id: int
    # (level, stages) → the measures of ``AWARD_MEASURES``.
    awards: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    # level → the grade of the latest evaluation at that level.
    grades: dict[str, str] = field(default_factory=dict)
    # The levels at which an award to its collective is past its decision.
    recognised_levels: set[str] = field(default_factory=set)


def _measures(awards: list[tuple[str, str, str]], *, whole: bool) -> list[int]:
    """The measures of a model's awards (stage, kind, name) at one level, or at every level
    (``whole``: persons counted once per name)."""
    values = [0] * len(AWARD_MEASURES)
    values[_AT["initiatives"]] = 1
    collective = [stage for stage, kind, _name in awards if kind == "collective"]
    values[_AT["proposed"]] = int(bool(collective))
    values[_AT["recognised"]] = int(any(stage in DECIDED for stage in collective))
    values[_AT["nominated"]] = int("nominated" in collective)
    values[_AT["commended"]] = int("commended" in collective)
    persons = [(stage, name) for stage, kind, name in awards if kind == "individual"]
    decided = [(stage, name) for stage, name in persons if stage in DECIDED]
    if whole:
        values[_AT["individuals_proposed"]] = len({name for _stage, name in persons})
        values[_AT["individuals"]] = len({name for _stage, name in decided})
    else:
        values[_AT["individuals_proposed"]] = len(persons)
        values[_AT["individuals"]] = len(decided)
    for stage in AWARD_STAGES:
        count = sum(1 for held, _kind, _name in awards if held == stage)
        values[_AT[f"awards_{stage}"]] = count
        values[_AT[f"held_{stage}"]] = int(count > 0)
    return values


def _blocks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + IDS_PER_QUERY] for start in range(0, len(ids), IDS_PER_QUERY)]


_DIMS = (
    "initiative_id",
    "initiative__area_id",
    "initiative__year",
    "initiative__field",
    "initiative__organisation__kind",
    "initiative__organisation_id",
)


def held_by(ids) -> dict[int, Held]:
    """Read what the models ``ids`` hold, from their awards and evaluations (two queries per
    five thousand models); a model with neither holds nothing and is absent."""
    from danvan.review.models import Award, Evaluation

    held: dict[int, Held] = {}
    by_level: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    latest: dict[tuple[int, str], tuple] = {}
    for block in _blocks(sorted(set(ids))):
        rows = (
            Award.objects.filter(among(Award, "initiative", block))
            .values_list(*_DIMS, "level", "stage", "recipient_kind", "recipient_name")
            .order_by()
        )
        for pk, area_id, year, fld, kind, org, level, stage, recipient, name in rows:
            held.setdefault(pk, Held(area_id, year, fld, kind, org))
            by_level[pk][level].append((stage, recipient, name))
        rows = (
            Evaluation.objects.filter(among(Evaluation, "initiative", block))
            .values_list(*_DIMS, "level", "grade", "created_at", "pk")
            .order_by()
        )
        for pk, area_id, year, fld, kind, org, level, grade, created_at, evaluation in rows:
            held.setdefault(pk, Held(area_id, year, fld, kind, org))
            order = (created_at, evaluation)
            if (pk, level) not in latest or latest[(pk, level)][0] < order:
                latest[(pk, level)] = (order, grade)
    for (pk, level), (_order, grade) in latest.items():
        held[pk].grades[level] = grade
    for pk, levels in by_level.items():
        model = held[pk]
        every: list = []
        for level, awards in levels.items():
            model.awards[(level, 0)] = _measures(awards, whole=False)
            every.extend(awards)
            if any(kind == "collective" and stage in DECIDED for stage, kind, _name in awards):
                model.recognised_levels.add(level)
        stages = 0
        for stage, _kind, _name in every:
            stages |= STAGE_BITS[stage]
        model.awards[(ANY_LEVEL, stages)] = _measures(every, whole=True)
    return held


@dataclass
class Deltas:
    """Per-key deltas of the four recognition tables."""

    awards: dict = field(default_factory=lambda: defaultdict(lambda: [0] * len(AWARD_MEASURES)))
    grades: dict = field(default_factory=lambda: defaultdict(lambda: [0]))
    collectives: dict = field(
        default_factory=lambda: defaultdict(lambda: [0] * len(COLLECTIVE_COLUMNS))
    )


def add_rows(held: dict[int, Held], sign: int, into: Deltas) -> None:
    """Add ``sign`` × what the models hold to the deltas, under every node of their units."""
    if not held:
        return
    nodes = nodes_of({model.area_id for model in held.values()})
    for model in held.values():
        columns = [
            COLLECTIVE_INDEX[collective_column(level, fld)]
            for level in (*model.recognised_levels, EVERY)
            for fld in (model.field, EVERY)
        ]
        for mode in MODES:
            for node in nodes[model.area_id][mode]:
                for (level, stages), measures in model.awards.items():
                    key = (mode, node, model.year, model.field, model.org_kind, level, stages)
                    row = into.awards[key]
                    for index, value in enumerate(measures):
                        row[index] += sign * value
                for level, grade in model.grades.items():
                    into.grades[(mode, node, model.year, model.field, level, grade)][0] += sign
                if not model.recognised_levels:
                    continue
                for year in (model.year, ALL_YEARS):
                    row = into.collectives[(mode, node, year, model.organisation_id)]
                    for index in columns:
                        row[index] += sign


def _upsert_returning(rows: list) -> list[tuple]:
    """``upsert`` of ``CollectiveRollup`` rows, returning each row as it is now."""
    return upsert(COLLECTIVE_TABLE, COLLECTIVE_KEYS, COLLECTIVE_COLUMNS, rows, returning=True)


def apply(deltas: Deltas) -> None:
    """Upsert the deltas; the collectives' counts move by the organisations' rows that went
    from none to some in a column, or back."""
    upsert(
        AWARD_TABLE,
        AWARD_KEYS,
        AWARD_MEASURES,
        [(*key, *values) for key, values in deltas.awards.items() if any(values)],
    )
    upsert(
        GRADE_TABLE,
        GRADE_KEYS,
        ("initiatives",),
        [(*key, *values) for key, values in deltas.grades.items() if any(values)],
    )
    moved = {key: values for key, values in deltas.collectives.items() if any(values)}
    if not moved:
        return
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COLLECTIVE_COLUMNS))
    width = len(COLLECTIVE_KEYS)
    for row in _upsert_returning([(*key, *values) for key, values in moved.items()]):
        key, now = tuple(row[:width]), row[width:]
        delta = moved[key]
        count = counts[key[:3]]
        for index, value in enumerate(now):
            count[index] += (value > 0) - (value - delta[index] > 0)
    upsert(
        COLLECTIVE_COUNT_TABLE,
        COUNT_KEYS,
        COLLECTIVE_COLUMNS,
        [(*key, *values) for key, values in counts.items() if any(values)],
    )


@dataclass
class RecognitionSnapshot:
    """What some models held before a write of their awards, evaluations or facts."""

    ids: list[int]
    held: dict[int, Held]


def recognition_capture(ids, *, lock: bool = True) -> RecognitionSnapshot:
    """Lock the models ``ids`` (in id order, as every writer of the figures does) and read
    what their awards and evaluations add to the rollups, before a write changes them."""
    ids = sorted({pk for pk in ids if pk is not None})
    if lock:
        for block in _blocks(ids):
            list(
                Initiative.objects.filter(among(Initiative, "pk", block))
                .order_by("pk")
                .select_for_update(of=("self",))
                .values_list("pk", flat=True)
            )
    return RecognitionSnapshot(ids, held_by(ids))


def recognition_settle(snapshot: RecognitionSnapshot, *, held_only: bool = False) -> None:
    """Move the figures by what the captured models hold now minus what they held.

    ``held_only``: only the models that held something are read again, for a write of the
    models' own facts (their unit, year, field, organisation, or their deletion), which never
    adds an award or an evaluation.
    """
    ids = sorted(snapshot.held) if held_only else snapshot.ids
    after = held_by(ids) if ids else {}
    if not snapshot.held and not after:
        return
    deltas = Deltas()
    add_rows(snapshot.held, -1, deltas)
    add_rows(after, +1, deltas)
    apply(deltas)


# --- the rebuild's statements ---------------------------------------------------------------


def _flag(condition: str) -> str:
    return f"MAX(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _count(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _at_stage(stage: str) -> str:
    return f"a.stage = '{stage}'"


def recognition_statements(target: dict[str, str]) -> list[str]:
    """The INSERT … SELECT of the four recognition rollups from the awards and evaluations,
    into ``target``'s tables; the counts of collectives are folded out of the organisations'
    rows just written, so they come last."""
    collective = "a.recipient_kind = 'collective'"
    person = "a.recipient_kind = 'individual'"
    decided = f"a.stage IN ({_quoted(DECIDED)})"
    shared = [
        _flag(collective),
        _flag(f"{collective} AND {decided}"),
        _flag(f"{collective} AND {_at_stage('nominated')}"),
        _flag(f"{collective} AND {_at_stage('commended')}"),
    ]
    by_stage = [_count(_at_stage(stage)) for stage in AWARD_STAGES]
    by_stage += [_flag(_at_stage(stage)) for stage in AWARD_STAGES]
    stages = " + ".join(f"{_flag(_at_stage(stage))} * {bit}" for stage, bit in STAGE_BITS.items())
    measures = ", ".join(AWARD_MEASURES)

    def named(values: list[str]) -> str:
        # The measures of ``AWARD_MEASURES`` after ``initiatives``, by name.
        return ", ".join(
            f"{value} AS {name}" for value, name in zip(values, AWARD_MEASURES[1:], strict=True)
        )

    per_level = (
        "SELECT a.initiative_id, a.level AS level, 0 AS stages, 1 AS initiatives, "
        + named([*shared, _count(person), _count(f"{person} AND {decided}"), *by_stage])
        + " FROM review_award a GROUP BY a.initiative_id, a.level"
    )
    persons = "COUNT(DISTINCT CASE WHEN {} THEN a.recipient_name END)"
    every = (
        f"SELECT a.initiative_id, '{ANY_LEVEL}' AS level, {stages} AS stages, 1 AS initiatives, "
        + named(
            [
                *shared,
                persons.format(person),
                persons.format(f"{person} AND {decided}"),
                *by_stage,
            ]
        )
        + " FROM review_award a GROUP BY a.initiative_id"
    )
    per_unit = (
        "SELECT i.area_id, i.year, i.field, o.kind AS org_kind, x.level, x.stages, "
        + ", ".join(f"SUM(x.{m}) AS {m}" for m in AWARD_MEASURES)
        + f" FROM ({per_level} UNION ALL {every}) x "
        "JOIN initiatives_initiative i ON i.id = x.initiative_id "
        "JOIN orgs_organisation o ON o.id = i.organisation_id "
        "GROUP BY i.area_id, i.year, i.field, o.kind, x.level, x.stages"
    )
    award_key = "n.mode, n.node_id, u.year, u.field, u.org_kind, u.level, u.stages"
    latest = (
        "SELECT e.initiative_id, e.level, e.grade, ROW_NUMBER() OVER (PARTITION BY "
        "e.initiative_id, e.level ORDER BY e.created_at DESC, e.id DESC) AS rank "
        "FROM review_evaluation e"
    )
    graded = (
        "SELECT i.area_id, i.year, i.field, l.level, l.grade, COUNT(*) AS n "
        f"FROM ({latest}) l JOIN initiatives_initiative i ON i.id = l.initiative_id "
        "WHERE l.rank = 1 GROUP BY i.area_id, i.year, i.field, l.level, l.grade"
    )
    grade_key = "n.mode, n.node_id, u.year, u.field, u.level, u.grade"
    recognised_at = (
        f"SELECT a.initiative_id, a.level FROM review_award a WHERE {collective} AND {decided} "
        "GROUP BY a.initiative_id, a.level UNION ALL "
        f"SELECT a.initiative_id, '{EVERY}' FROM review_award a "
        f"WHERE {collective} AND {decided} GROUP BY a.initiative_id"
    )
    sums = []
    for level in (*RECOGNITION_LEVELS, EVERY):
        for fld in (*Field.values, EVERY):
            condition = f"r.level = '{level}'" + ("" if fld == EVERY else f" AND i.field = '{fld}'")
            sums.append(f"{_count(condition)} AS {collective_column(level, fld)}")
    per_organisation = (
        f"SELECT i.area_id, i.year, i.organisation_id, {', '.join(sums)} "
        f"FROM ({recognised_at}) r JOIN initiatives_initiative i ON i.id = r.initiative_id "
        "GROUP BY i.area_id, i.year, i.organisation_id"
    )
    columns = ", ".join(COLLECTIVE_COLUMNS)
    organisations = target[COLLECTIVE_TABLE]
    return [
        f"INSERT INTO {target[AWARD_TABLE]} ({', '.join(AWARD_KEYS)}, {measures}) "
        f"SELECT {award_key}, "
        + ", ".join(f"SUM(u.{m})" for m in AWARD_MEASURES)
        + f" FROM ({per_unit}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        f"GROUP BY {award_key} ORDER BY {award_key}",
        f"INSERT INTO {target[GRADE_TABLE]} ({', '.join(GRADE_KEYS)}, initiatives) "
        f"SELECT {grade_key}, SUM(u.n) FROM ({graded}) u "
        "JOIN stats_areanode n ON n.area_id = u.area_id "
        f"GROUP BY {grade_key} ORDER BY {grade_key}",
        f"INSERT INTO {organisations} ({', '.join(COLLECTIVE_KEYS)}, {columns}) "
        "SELECT n.mode, n.node_id, u.year, u.organisation_id, "
        + ", ".join(f"SUM(u.{c})" for c in COLLECTIVE_COLUMNS)
        + f" FROM ({per_organisation}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        "GROUP BY n.mode, n.node_id, u.year, u.organisation_id "
        "ORDER BY n.mode, n.node_id, u.year, u.organisation_id",
        # Every year of an organisation under a node: the sum of its years' rows.
        f"INSERT INTO {organisations} ({', '.join(COLLECTIVE_KEYS)}, {columns}) "
        f"SELECT mode, area_id, {ALL_YEARS}, organisation_id, "
        + ", ".join(f"SUM({c})" for c in COLLECTIVE_COLUMNS)
        + f" FROM {organisations} WHERE year <> {ALL_YEARS} "
        "GROUP BY mode, area_id, organisation_id ORDER BY mode, area_id, organisation_id",
        f"INSERT INTO {target[COLLECTIVE_COUNT_TABLE]} ({', '.join(COUNT_KEYS)}, {columns}) "
        "SELECT mode, area_id, year, "
        + ", ".join(f"{_count(f'{c} > 0')}" for c in COLLECTIVE_COLUMNS)
        + f" FROM {organisations} GROUP BY mode, area_id, year ORDER BY mode, area_id, year",
    ]
