"""Find the areas, organisations, initiatives and people a spreadsheet names, by code or name.

Officers write codes when they have them and names when they do not. A code is read in the
list in force on the row's date (the legacy 63-province list before 1 July 2025, the current
one from then on; local villages and groups in either); a name is matched ignoring case and
diacritics, and when several units carry it the row is refused with the candidates. Every answer
is cached for the run, so a file of 100,000 rows asks the database once per distinct value.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.accounts.selectors import user_list
from danvan.areas.models import LOCAL_KINDS, REFORM_2025, Area, CodeScheme
from danvan.core.formats import format_date
from danvan.core.text import fold
from danvan.imports.cells import CellError, is_blank, raw_text
from danvan.initiatives.models import Indicator, Initiative
from danvan.initiatives.selectors import initiative_list
from danvan.orgs.models import Organisation

MAX_CANDIDATES = 5
# Codes typed with Arabic-Indic (U+0660…) or Eastern Arabic-Indic (U+06F0…) digits.
_ASCII_DIGITS = str.maketrans(
    {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
)


def plain_code(raw) -> str:
    """Return a code cell as text with ASCII digits: ``٢٢٠١٥`` is the unit ``22015``."""
    return raw_text(raw).translate(_ASCII_DIGITS)


def today() -> datetime.date:
    """The day an import without dates of its own reads codes and names on."""
    return timezone.localdate()


def scheme_on(day: datetime.date) -> str:
    """The official code list in force on ``day``."""
    return CodeScheme.LEGACY if day < REFORM_2025 else CodeScheme.CURRENT


def _describe(area: Area) -> str:
    parent = area.parent.name if area.parent_id else ""
    return f"{area.name} ({parent}, {area.code})" if parent else f"{area.name} ({area.code})"


def _candidates_message(raw: str, found: list, describe) -> str:
    shown = "; ".join(describe(item) for item in found[:MAX_CANDIDATES])
    if len(found) > MAX_CANDIDATES:
        shown += " …"
    return _("“%(raw)s” matches several: %(candidates)s. Give the code instead.") % {
        "raw": raw,
        "candidates": shown,
    }


class AreaFinder:
    def __init__(self):
        self._by_code: dict[tuple[str, str], Area | None] = {}
        self._by_name: dict[tuple[str, str], list[Area]] = {}

    def _code(self, code: str, scheme: str) -> Area | None:
        key = (code, scheme)
        if key not in self._by_code:
            self._by_code[key] = (
                Area.objects.select_related("parent").filter(scheme=scheme, code=code).first()
            )
        return self._by_code[key]

    def by_code(self, raw, day: datetime.date, *, strict: bool = True) -> Area:
        """The unit of code ``raw`` in the list in force on ``day`` (or a local unit).

        Not ``strict``, a code found only in the other list, or a unit not in force on ``day``,
        is returned all the same: the service the row goes to decides whether the record may
        sit there, with the words the form and the API use (naming the units to choose).
        """
        code = plain_code(raw)
        scheme = scheme_on(day)
        area = self._code(code, scheme) or self._code(code, CodeScheme.LOCAL)
        if area is None:
            other = CodeScheme.CURRENT if scheme == CodeScheme.LEGACY else CodeScheme.LEGACY
            if self._code(code, other) is not None:
                if not strict:
                    return self._code(code, other)
                raise CellError(
                    _(
                        "“%(code)s” is a code of the %(other)s, but on %(day)s the %(scheme)s "
                        "were in force."
                    )
                    % {
                        "code": code,
                        "other": CodeScheme(other).label,
                        "scheme": CodeScheme(scheme).label,
                        "day": format_date(day),
                    }
                )
            raise CellError(_("No administrative unit has the code “%(code)s”.") % {"code": code})
        if strict:
            self._check_valid(area, day)
        return area

    def _check_valid(self, area: Area, day: datetime.date) -> None:
        if not area.is_valid_on(day):
            raise CellError(
                _("%(area)s did not exist on %(day)s.")
                % {"area": _describe(area), "day": format_date(day)}
            )

    def _named(self, name: str, scheme: str) -> list[Area]:
        key = (fold(name), scheme)
        if key not in self._by_name:
            schemes = [scheme, CodeScheme.LOCAL]
            base = Area.objects.select_related("parent").filter(scheme__in=schemes)
            found = list(base.filter(name_folded=key[0]))
            if not found:  # "Yên Giang" for "Phường Yên Giang"
                found = list(base.filter(name_folded__endswith=f" {key[0]}"))
            self._by_name[key] = found
        return self._by_name[key]

    def by_name(
        self, raw, day: datetime.date, near: Area | None = None, *, strict: bool = True
    ) -> Area:
        """The unit called ``raw`` in force on ``day``; not ``strict``, failing that, the unit
        of that name in either list (the service decides, as for ``by_code``)."""
        name = raw_text(raw)
        scheme = scheme_on(day)
        named = self._named(name, scheme)
        found = [area for area in named if area.is_valid_on(day)]
        if not found and not strict:
            other = CodeScheme.CURRENT if scheme == CodeScheme.LEGACY else CodeScheme.LEGACY
            found = named or self._named(name, other)
        if not found:
            raise CellError(
                _("No administrative unit named “%(name)s” existed on %(day)s.")
                % {"name": name, "day": format_date(day)}
            )
        if len(found) > 1 and near is not None:
            root = near.path.split(".")[0] + "."
            closer = [area for area in found if (area.path + ".").startswith(root)]
            found = closer or found
        if len(found) > 1:
            raise CellError(_candidates_message(name, found, _describe))
        return found[0]


class OrganisationFinder:
    def __init__(self):
        self._cache: dict[str, list[Organisation]] = {}

    def find(self, raw) -> Organisation:
        text = raw_text(raw)
        if text not in self._cache:
            queryset = Organisation.objects.select_related("seat_area")
            found = list(queryset.filter(code=text)) or list(
                queryset.filter(name_folded=fold(text))
            )
            self._cache[text] = found
        found = self._cache[text]
        if not found:
            raise CellError(_("No organisation has the code or name “%(raw)s”.") % {"raw": text})
        if len(found) > 1:
            raise CellError(
                _candidates_message(text, found, lambda org: f"{org.name} ({org.code})")
            )
        return found[0]


class InitiativeFinder:
    """Initiatives by code, among those ``actor`` may see (others are "no such code", as in
    the API, so an import cannot probe another unit's records)."""

    def __init__(self, actor):
        self.actor = actor
        self._cache: dict[str, Initiative | None] = {}

    def prefetch(self, raws) -> None:
        """Read every code of ``raws`` not yet known in one query (a chunk of a file's rows)."""
        codes = {raw_text(raw).upper() for raw in raws if not is_blank(raw)} - self._cache.keys()
        if codes:
            found = initiative_list(actor=self.actor).filter(code__in=codes)
            self._cache.update(dict.fromkeys(codes))
            self._cache.update((initiative.code, initiative) for initiative in found)

    def known(self) -> list[Initiative]:
        """Every initiative found so far."""
        return [initiative for initiative in self._cache.values() if initiative is not None]

    def find(self, raw, *, required: bool = True) -> Initiative | None:
        code = raw_text(raw).upper()
        if code not in self._cache:
            self._cache[code] = initiative_list(actor=self.actor).filter(code=code).first()
        initiative = self._cache[code]
        if initiative is None and required:
            raise CellError(_("No initiative has the code “%(code)s”.") % {"code": code})
        return initiative


class IndicatorFinder:
    def __init__(self):
        from danvan.imports.cells import Catalogue

        indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
        self.indicators = indicators
        self.catalogue = Catalogue(
            (code, [ind.name_vi, ind.name_en, ind.name_ar]) for code, ind in indicators.items()
        )

    def find(self, raw) -> Indicator:
        return self.indicators[self.catalogue.match(raw)]


class OrganisationCodes:
    """Organisations by their exact code, read fresh for each row: the row may change them."""

    def find(self, code: str) -> Organisation | None:
        return Organisation.objects.select_related("seat_area", "parent").filter(code=code).first()

    def in_area(self, name: str, area: Area) -> Organisation | None:
        """The organisation called ``name`` (ignoring case and diacritics) seated in ``area``;
        a row without a code that names one means it, so a file imported twice adds nothing."""
        found = list(
            Organisation.objects.select_related("seat_area", "parent").filter(
                seat_area=area, name_folded=fold(name)
            )[: MAX_CANDIDATES + 1]
        )
        if len(found) > 1:
            raise CellError(
                _candidates_message(name, found, lambda org: f"{org.name} ({org.code})")
            )
        return found[0] if found else None


class LocalAreaFinder:
    """Villages, residential groups and family groups (the ``local`` list), read fresh."""

    def by_code(self, code: str) -> Area | None:
        area = (
            Area.objects.select_related("parent").filter(scheme=CodeScheme.LOCAL, code=code).first()
        )
        if area is not None and area.kind not in LOCAL_KINDS:
            raise CellError(
                _("“%(code)s” is the code of %(area)s, not of a village or residential group.")
                % {"code": code, "area": _describe(area)}
            )
        return area

    def under(self, parent: Area, name: str) -> Area | None:
        """The local unit called ``name`` (ignoring case and diacritics) directly under
        ``parent``; a row without a code that names one means it."""
        found = list(
            Area.objects.select_related("parent").filter(
                scheme=CodeScheme.LOCAL,
                parent=parent,
                kind__in=LOCAL_KINDS,
                name_folded=fold(name),
            )[: MAX_CANDIDATES + 1]
        )
        if len(found) > 1:
            raise CellError(_candidates_message(name, found, _describe))
        return found[0] if found else None


class UserFinder:
    """People by user name, among those ``actor`` manages: another unit's staff are "new"
    to the import, and creating them is refused because the name is taken, so an import
    cannot read who works elsewhere."""

    def __init__(self, actor):
        self.actor = actor

    def find(self, username: str) -> User | None:
        return user_list(actor=self.actor).filter(username=username).first()
