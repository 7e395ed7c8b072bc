"""The shape of figure rows, shared by the rollup selectors and the direct baseline."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from danvan.stats.models import MODES

# Group names a caller may ask for, and the rollup column each one reads. ``level`` groups by
# the children of the scope's area (the next level down); its rows carry ``area_id``.
GROUPS = {
    "year": "year",
    "field": "field",
    "status": "status",
    "registration_kind": "registration_kind",
    "org_kind": "org_kind",
    "replicated": "replicated",
    "level": "area_id",
}
# Rows name the group by its column, except two that would clash: ``level`` rows carry the
# child's ``area_id``, and ``replicated`` (a group) rows carry ``is_replicated`` because
# ``replicated`` is also a measure (how many initiatives were replicated).
OUTPUT_NAMES = {"level": "area_id", "replicated": "is_replicated"}
CONTRIBUTION_GROUPS = {**GROUPS, "contribution_year": "c_year", "contribution_month": "c_month"}
# What the smaller dated tables can be grouped by (the rest is read from the detail pair,
# which keeps the registration kind, the replication and the organisation kind too).
MONTH_GROUPS = {
    name: CONTRIBUTION_GROUPS[name]
    for name in ("year", "field", "status", "level", "contribution_year", "contribution_month")
}
COUNT_MEASURES = (
    "initiatives",
    "built",
    "replicated",
    "new",
    "continued",
    "exemplary",
    "registered",
)
LEDGER_MEASURES = ("money", "land", "labour", "in_kind", "households", "people", "entries")
FIGURE_MEASURES = (*COUNT_MEASURES, *LEDGER_MEASURES[:-1])


def plain(value):
    """Figures as JSON numbers: decimals (land, labour) whole as integers (``1200``), others as
    ``350.5``; dicts and lists walked. JSON encoders would write a decimal as a string."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def columns_for(group_by: Sequence[str], allowed: dict[str, str]) -> list[str]:
    unknown = [name for name in group_by if name not in allowed]
    if unknown:
        raise ValueError(f"cannot group by {unknown[0]!r}")
    return [allowed[name] for name in group_by]


def output_names(group_by: Sequence[str]) -> list[str]:
    """Return the keys that carry the groups in figure rows."""
    return [OUTPUT_NAMES.get(name, name) for name in group_by]


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")


def merge(columns: list[str], names: list[str], rows: Iterable[dict], measures) -> dict:
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[c] for c in columns)
        target = merged.setdefault(key, {n: row[c] for n, c in zip(names, columns, strict=True)})
        for out, src in measures:
            target[out] = target.get(out, 0) + (row[src] or 0)
    return merged


def finish(merged: dict, measures: Sequence[str]) -> list[dict]:
    """Fill missing measures with 0, drop all-zero groups (left by moves), sort by key."""
    rows = []
    for key in sorted(merged, key=lambda k: tuple((v is None, str(v)) for v in k)):
        row = merged[key]
        for name in measures:
            row.setdefault(name, 0)
        if any(row[name] for name in measures):
            rows.append(row)
    return rows
