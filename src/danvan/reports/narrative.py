"""The summary that opens a periodic report, written from its figures in the report's language.

It reads as the commissions write theirs ("In 2024, 32 units and agencies registered 138
models…"; "Since 2013 the province has built and replicated over 19,300 models, of which…"),
but every number in it is a figure of ``PeriodicFigures``, formatted for the language, so the
text can never say something the tables do not.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.core.formats import format_date, format_money, format_number, format_percent
from danvan.initiatives.catalogues import Field, Unit
from danvan.reports.figures import PeriodicFigures

# How a language separates the items of a run-on list ("economy 8,000; culture–society …").
LIST_SEPARATORS = {"ar": "؛ "}


def _join(items: list[str], language: str) -> str:
    return LIST_SEPARATORS.get(language, "; ").join(items)


def scope_name(figures: PeriodicFigures) -> str:
    return figures.area.name if figures.area else _("the whole country")


def result_value(figure: dict, language: str) -> str:
    """A result with its unit ("7,1 km", "96%"); a percentage is written as one."""
    if figure["unit"] == Unit.PERCENT:
        return format_percent(figure["value"], language)
    number = format_number(figure["value"], language)
    if figure["unit"] == Unit.COUNT:
        return number
    return f"{number} {Unit(figure['unit']).label}"


def indicator_name(figure: dict, language: str) -> str:
    """The indicator's name in ``language``, Vietnamese when it has none."""
    return figure["names"].get(language) or figure["names"]["vi"]


def narrative(figures: PeriodicFigures, language: str) -> list[str]:
    """Return the summary paragraphs of ``figures`` in ``language``."""
    with translation.override(language):
        return [
            text
            for text in (
                _registrations(figures, language),
                _contributions(figures, language),
                _results(figures, language),
                _cumulative(figures, language),
            )
            if text
        ]


def _number(value, language: str) -> str:
    return format_number(value or 0, language)


def _registrations(figures: PeriodicFigures, language: str) -> str:
    totals = figures.totals
    if figures.area:
        where = _("in %(area)s") % {"area": figures.area.name}
    else:
        where = _("across the country")
    if not totals["initiatives"]:
        return _("In %(year)s, no “Skilled Mass Mobilization” model was registered %(where)s.") % {
            "year": figures.year,
            "where": where,
        }
    who = ngettext(
        "%(units)s unit or agency",
        "%(units)s units and agencies",
        figures.units,
    ) % {"units": _number(figures.units, language)}
    opening = ngettext(
        "In %(year)s, %(who)s %(where)s registered %(initiatives)s “Skilled Mass "
        "Mobilization” model.",
        "In %(year)s, %(who)s %(where)s registered %(initiatives)s “Skilled Mass "
        "Mobilization” models.",
        totals["initiatives"],
    ) % {
        "year": figures.year,
        "who": who,
        "where": where,
        "initiatives": _number(totals["initiatives"], language),
    }
    detail = _(
        "Of these, %(new)s new and %(continued)s continued from earlier years; %(built)s "
        "built where they are and %(replicated)s replicated from elsewhere; %(exemplary)s "
        "exemplary."
    ) % {name: _number(totals[name], language) for name in _DETAIL}
    fields = [
        _("%(name)s: %(value)s")
        % {"name": Field(row["field"]).label, "value": _number(row["initiatives"], language)}
        for row in figures.by_field
    ]
    by_field = _("By field: %(list)s.") % {"list": _join(fields, language)} if fields else ""
    awards = _awards(figures, language)
    return " ".join(part for part in (opening, detail, by_field, awards) if part)


def level_phrase(level: str) -> str:
    """A recognition level as the reports write it after a verb ("at district level")."""
    phrases = {
        "commune": _("at commune level"),
        "district": _("at district level"),
        "province": _("at province level"),
        "central": _("at central level"),
    }
    return str(phrases.get(level, level))


# How a language separates the parts of one sentence ("612 …, 35 …, 19 …").
COMMAS = {"ar": "، "}


def _awards(figures: PeriodicFigures, language: str) -> str:
    """Recognition level by level, in the published reports' words and order ("612 models were
    recognised at district level, 35 proposed at province level, 19 recognised at province
    level"), then the collectives and individuals honoured, then the evaluation grades; nothing
    when no award and no evaluation was recorded.

    A level's proposals are said for every level but the lowest one with awards: the lowest
    level's proposals still waiting are the reviewers' work, not a published figure.
    """
    recognition = figures.recognition
    parts = []
    for index, row in enumerate(recognition["levels"]):
        where = level_phrase(row["level"])
        if index and row["proposed"]:
            parts.append(
                ngettext(
                    "%(count)s model was proposed %(level)s",
                    "%(count)s models were proposed %(level)s",
                    row["proposed"],
                )
                % {"count": _number(row["proposed"], language), "level": where}
            )
        if row["recognised"]:
            parts.append(
                ngettext(
                    "%(count)s model was recognised %(level)s",
                    "%(count)s models were recognised %(level)s",
                    row["recognised"],
                )
                % {"count": _number(row["recognised"], language), "level": where}
            )
    sentences = []
    if parts:
        sentences.append(COMMAS.get(language, ", ").join(parts) + ".")
    totals = recognition["totals"]
    if totals.get("individuals"):
        sentences.append(
            _("%(collectives)s collectives and %(individuals)s individuals were honoured.")
            % {
                "collectives": _number(totals.get("collectives"), language),
                "individuals": _number(totals["individuals"], language),
            }
        )
    by_level: dict[str, list[str]] = {}
    for row in figures.grades:
        if row["grade"]:
            by_level.setdefault(row["level"], []).append(
                ngettext(
                    "%(count)s model graded “%(grade)s”",
                    "%(count)s models graded “%(grade)s”",
                    row["initiatives"],
                )
                % {"count": _number(row["initiatives"], language), "grade": row["grade"]}
            )
    for level, items in by_level.items():
        sentences.append(
            _("Evaluated %(level)s: %(list)s.")
            % {
                "level": level_phrase(level) if level else _("at a level not recorded"),
                "list": COMMAS.get(language, ", ").join(items),
            }
        )
    return " ".join(sentences)


_DETAIL = ("new", "continued", "built", "replicated", "exemplary")


def _contributions(figures: PeriodicFigures, language: str) -> str:
    period = {
        "start": format_date(figures.start, language),
        "cutoff": format_date(figures.cutoff, language),
    }
    given = figures.contributions
    if not any(given[name] for name in ("money", "land", "labour", "in_kind", "contributors")):
        return _("From %(start)s to %(cutoff)s, no contribution was recorded.") % period
    return _(
        "From %(start)s to %(cutoff)s, residents contributed %(money)s in money, %(land)s m² "
        "of land, %(labour)s labour days and assets and materials worth %(in_kind)s; "
        "%(contributors)s contributors took part."
    ) % {
        **period,
        "money": format_money(given["money"], language),
        "land": _number(given["land"], language),
        "labour": _number(given["labour"], language),
        "in_kind": format_money(given["in_kind"], language),
        "contributors": _number(given["contributors"], language),
    }


def _results(figures: PeriodicFigures, language: str) -> str:
    if not figures.results:
        return ""
    items = [
        _("%(name)s: %(value)s")
        % {"name": indicator_name(row, language), "value": result_value(row, language)}
        for row in figures.results
    ]
    return _("Results in %(year)s: %(list)s.") % {
        "year": figures.cutoff.year,
        "list": _join(items, language),
    }


def _cumulative(figures: PeriodicFigures, language: str) -> str:
    cumulative = figures.cumulative
    total = cumulative["total"]["initiatives"]
    if not total:
        return ""
    fields = [
        _("%(name)s: %(value)s")
        % {"name": Field(row["field"]).label, "value": _number(row["initiatives"], language)}
        for row in cumulative["rows"]
    ]
    return _(
        "Since %(since)s, %(scope)s has built and replicated %(total)s models, of which %(list)s."
    ) % {
        "since": cumulative["since"],
        "scope": scope_name(figures),
        "total": _number(total, language),
        "list": _join(fields, language),
    }
