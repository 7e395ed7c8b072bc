"""The base tables' answer for every grouping of one scope, read once at its finest.

Every figure the direct readings (``danvan.stats.direct``) return is a sum over things that
each fall in exactly one group: a registration counted (a model under its first registration
in scope), a ledger entry, one day's move of the households and people taking part. The
scope, not the grouping, decides which of them are counted. So the answer for any grouping is
the answer for the finest grouping added up, and ``finish`` (sorting, dropping all-zero rows)
applied as the direct reading applies it.

The exactness tests compare the rollups with the base tables for many groupings of each
scope. Asked once per grouping, the reference was most of their time (1,500 readings a seed
in ``test_chains``, ~30 ms each on SQLite); ``Reference`` reads each scope's finest rows once,
with units (``level``) and without. ``test_reference.py`` checks the sums against the direct
reading asked grouping by grouping.
"""

from collections.abc import Callable, Sequence

from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.shape import FIGURE_MEASURES, LEDGER_MEASURES, finish, output_names

# Every dimension of the registration, for the direct readings of the initiatives.
INITIATIVE_FINEST = ("year", "field", "status", "registration_kind", "org_kind", "replicated")
# And of the ledger, with the days' year and month.
CONTRIBUTION_FINEST = (*INITIATIVE_FINEST, "contribution_year", "contribution_month")


class Reference:
    """``direct(**scope, group_by=...)`` for any ``group_by`` drawn from ``finest`` (and
    ``level``), from at most two readings of the scope: with the units and without."""

    def __init__(
        self,
        direct: Callable[..., list[dict]],
        finest: Sequence[str],
        measures: Sequence[str],
        **scope,
    ):
        self.direct = direct
        self.finest = tuple(finest)
        self.measures = tuple(measures)
        self.scope = scope
        self._rows: dict[bool, list[dict]] = {}

    def _finest_rows(self, level: bool) -> list[dict]:
        if level not in self._rows:
            group_by = ("level", *self.finest) if level else self.finest
            self._rows[level] = self.direct(**self.scope, group_by=group_by)
        return self._rows[level]

    def __call__(self, group_by: Sequence[str] = ()) -> list[dict]:
        unknown = set(group_by) - {"level", *self.finest}
        assert not unknown, f"{unknown} is not in the finest grouping {self.finest}"
        names = output_names(group_by)
        merged: dict[tuple, dict] = {}
        for row in self._finest_rows("level" in group_by):
            key = tuple(row[name] for name in names)
            target = merged.setdefault(key, dict(zip(names, key, strict=True)))
            for name in self.measures:
                target[name] = target.get(name, 0) + row[name]
        return finish(merged, self.measures)

    def total(self) -> dict:
        """The ungrouped row, zeros where nothing is counted."""
        return next(iter(self(())), None) or dict.fromkeys(self.measures, 0)


def initiatives_from_base_tables(**scope) -> Reference:
    """``initiative_figures_direct`` of ``scope`` for every grouping."""
    return Reference(initiative_figures_direct, INITIATIVE_FINEST, FIGURE_MEASURES, **scope)


def contributions_from_base_tables(**scope) -> Reference:
    """``contribution_figures_direct`` of ``scope`` (a period among it) for every grouping."""
    return Reference(contribution_figures_direct, CONTRIBUTION_FINEST, LEDGER_MEASURES, **scope)
