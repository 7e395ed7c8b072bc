"""Match what a report names to the official lists: units, organisations, indicators.

Areas are read by name in the list in force on the report's day (the 63-province list for years
before July 2025), with the lookups the spreadsheet imports use. An organisation is found by its
exact name, else by its kind and the unit its name ends with ("Hội LHPN xã Thiên Lộc" → the
Women's Union seated in Thiên Lộc); when neither gives exactly one, the person chooses.
"""

import datetime
from dataclasses import dataclass

from danvan.core.text import fold
from danvan.imports.cells import CellError
from danvan.imports.lookups import AreaFinder
from danvan.initiatives.models import Indicator
from danvan.initiatives.selectors import initiative_list
from danvan.orgs.models import Organisation


@dataclass
class Found:
    organisation: Organisation | None = None
    problem: str = ""


class Resolver:
    def __init__(self, actor, day: datetime.date | None):
        self.actor = actor
        self.day = day or datetime.date.today()
        self.areas = AreaFinder()
        self._organisations: dict[tuple, Found] = {}
        self._indicators: list[Indicator] | None = None
        self._titles: dict[str, list] | None = None

    def read_titles(self, titles) -> None:
        """Read in one query the initiatives the actor may see that carry one of ``titles``
        (a report of 500 models asks once, not 500 times)."""
        folded = {fold(title) for title in titles if title}
        self._titles = {}
        found = initiative_list(actor=self.actor).filter(title_folded__in=folded)
        for initiative in found.select_related(None).only("pk", "code", "title_folded", "year"):
            self._titles.setdefault(initiative.title_folded, []).append(initiative)

    def organisation(self, unit: str, org_kind: str, area_name: str) -> Found:
        key = (fold(unit), org_kind, area_name)
        if key not in self._organisations:
            self._organisations[key] = self._find(unit, org_kind, area_name)
        return self._organisations[key]

    def _find(self, unit: str, org_kind: str, area_name: str) -> Found:
        if not unit:
            return Found(problem="no_unit")
        named = list(
            Organisation.objects.select_related("seat_area").filter(name_folded=fold(unit))
        )
        if len(named) == 1:
            return Found(named[0])
        if not (org_kind and area_name):
            return Found(problem="not_found")
        try:
            area = self.areas.by_name(area_name, self.day, strict=False)
        except CellError:
            return Found(problem="no_area")
        candidates = list(
            Organisation.objects.select_related("seat_area").filter(kind=org_kind, seat_area=area)[
                :2
            ]
        )
        if len(candidates) == 1:
            return Found(candidates[0])
        return Found(problem="several" if candidates else "not_found")

    def existing_initiative(self, title: str, year: int | None):
        """An initiative the actor may see with exactly this title (and year), or None."""
        if not title:
            return None
        if self._titles is None:
            self.read_titles([title])
            found, self._titles = self._titles.get(fold(title), []), None
        else:
            found = self._titles.get(fold(title), [])
        if year:
            found = [initiative for initiative in found if initiative.year == year]
        return found[0] if len(found) == 1 else None

    def indicator(self, unit: str, words: str) -> Indicator | None:
        """The indicator of ``unit`` whose name shares most words with ``words``; None when
        none does or two do equally (the person chooses)."""
        if self._indicators is None:
            self._indicators = list(Indicator.objects.all())
        low = set(fold(words).split())
        scored = []
        for indicator in self._indicators:
            if indicator.unit != unit:
                continue
            name = set(fold(indicator.name_vi).split())
            scored.append((len(name & low) / max(len(name), 1), indicator))
        scored.sort(key=lambda pair: -pair[0])
        if not scored or scored[0][0] < 0.5:
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None
        return scored[0][1]

    def indicators_of(self, unit: str) -> list[Indicator]:
        if self._indicators is None:
            self._indicators = list(Indicator.objects.all())
        return [indicator for indicator in self._indicators if indicator.unit == unit]
