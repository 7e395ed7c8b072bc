"""The summary that opens a periodic report, written from its figures in the report's language.

It reads as the commissions write theirs ("In 2024, 32 units and agencies registered 138
models…"; "Since 2013 the province has built and replicated over 19,300 models, of which…"),
but every number in it is a figure of ``PeriodicFigures``, formatted for the language, so the
text can never say something the tables do not.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.core.formats import format_number, format_percent
from danvan.initiatives.catalogues import Field, Unit
from danvan.reports.figures import PeriodicFigures
from danvan.reports.wording import prose_date, prose_money

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


def narrative(
    figures: PeriodicFigures, language: str, *, money_style: str = "millions"
) -> list[str]:
    """Return the summary paragraphs of ``figures`` in ``language``, money written in
    ``money_style``."""
    with translation.override(language):
        return [
            text
            for text in (
                _registrations(figures, language),
                _contributions(figures, language, money_style),
                _results(figures, language),
                _cumulative(figures, language),
            )
            if text
        ]


def plural_count(value) -> int:
    """The count a plural form is chosen by: a whole amount itself, a fraction (half a labour
    day) the "many" form, as "0,5 ngày công" / "0.5 labour days" are said."""
    whole = int(value or 0)
    return whole if whole == (value or 0) else 2


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
    detail = _detail(totals, language)
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


def _parts(language: str, items) -> str:
    """Join the parts of one sentence ("4 new, 1 continued from earlier years")."""
    return (", " if language != "ar" else "، ").join(items)


def _detail(totals: dict, language: str) -> str:
    """What the year's models are, each kind said once and only when there is one: "continued"
    (registered again from an earlier year) and "replicated" (copied from a model elsewhere)
    are explained here, the first time they are used."""
    words = {
        "new": lambda n: ngettext("%(count)s new", "%(count)s new", n),
        "continued": lambda n: ngettext(
            "%(count)s continued from earlier years", "%(count)s continued from earlier years", n
        ),
        "built": lambda n: ngettext(
            "%(count)s built where it is", "%(count)s built where they are", n
        ),
        "replicated": lambda n: ngettext(
            "%(count)s replicated from a model elsewhere",
            "%(count)s replicated from models elsewhere",
            n,
        ),
        "exemplary": lambda n: ngettext("%(count)s exemplary", "%(count)s exemplary", n),
    }
    items = [
        words[name](totals[name]) % {"count": _number(totals[name], language)}
        for name in _DETAIL
        if totals.get(name)
    ]
    return _("Of these: %(list)s.") % {"list": _parts(language, items)} if items else ""


_DETAIL = ("new", "continued", "built", "replicated", "exemplary")
# Indicators that measure what the contribution ledger records: the summary gives the
# ledger's figure (the contributions of the period), not a second figure for the same thing.
LEDGER_INDICATORS = frozenset({"land_donated_m2"})


def _contributions(figures: PeriodicFigures, language: str, money_style: str) -> str:
    """What residents gave in the period, each kind only when something was given; nothing
    when nothing was recorded."""
    given = figures.contributions
    items = []
    if given["money"]:
        items.append(
            _("%(money)s in money") % {"money": prose_money(given["money"], language, money_style)}
        )
    if given["land"]:
        items.append(_("%(land)s m² of land") % {"land": _number(given["land"], language)})
    if given["labour"]:
        items.append(
            ngettext(
                "%(labour)s labour day", "%(labour)s labour days", plural_count(given["labour"])
            )
            % {"labour": _number(given["labour"], language)}
        )
    if given["in_kind"]:
        items.append(
            _("assets and materials worth %(in_kind)s")
            % {"in_kind": prose_money(given["in_kind"], language, money_style)}
        )
    if not items:
        return ""
    text = _("From %(start)s to %(cutoff)s, residents contributed %(list)s.") % {
        "start": prose_date(figures.start, language),
        "cutoff": prose_date(figures.cutoff, language),
        "list": _parts(language, items),
    }
    taking_part = taking_part_words(given, language)
    if taking_part:
        text += " " + _("At least %(list)s took part.") % {"list": taking_part}
    return text


def taking_part_words(given: dict, language: str) -> str:
    """Households and people taking part, said apart and never added ("120 hộ và 35 người");
    empty when neither was counted."""
    parts = []
    if given["households"]:
        parts.append(
            ngettext("%(count)s household", "%(count)s households", given["households"])
            % {"count": _number(given["households"], language)}
        )
    if given["people"]:
        parts.append(
            ngettext("%(count)s person", "%(count)s people", given["people"])
            % {"count": _number(given["people"], language)}
        )
    return _parts(language, parts) if parts else ""


def _results(figures: PeriodicFigures, language: str) -> str:
    if not figures.results:
        return ""
    items = [
        _("%(name)s: %(value)s")
        % {"name": indicator_name(row, language), "value": result_value(row, language)}
        for row in figures.results
        if row.get("code") not in LEDGER_INDICATORS
    ]
    if not items:
        return ""
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
