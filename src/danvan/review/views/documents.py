"""The documents of recognised awards: a reviewer picks the awards (a level, a year, one
decision) and downloads the decision with its list, or the certificates, in Word or PDF.

Only a reviewer (who decides awards) may print them, and only for the awards of their own
scope; the selection and the letterhead come from the query string, so the page is a plain
GET and nothing is saved.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from danvan.accounts.scope import holds
from danvan.core.downloads import bytes_download
from danvan.reports.award_documents import CONTENT_TYPES, WRITERS, form_for, papers_for
from danvan.reports.official_form import Letterhead
from danvan.review.forms import AwardDocumentsForm
from danvan.review.models import RecognitionLevel
from danvan.review.selectors import awards_for_documents

PREVIEW = 50


def _split_reference(reference: str) -> tuple[str, str]:
    """ "1234/QĐ-UBND" → ("1234", "QĐ-UBND"); "12-QĐ/BDVTU" → ("12", "QĐ/BDVTU")."""
    reference = (reference or "").strip()
    for separator in ("/", "-"):
        number, found, symbol = reference.partition(separator)
        if found and number.strip().isdigit():
            return number.strip(), symbol.strip()
    return reference, ""


def _initial_letterhead(awards) -> dict:
    """Start the letterhead from the first award's decision (the one most reviewers print)."""
    first = next((award for award in awards if award.decision_number), None)
    if first is None:
        return {}
    number, symbol = _split_reference(first.decision_number)
    return {
        "issuer_lines": first.issuing_body.upper(),
        "number": number,
        "symbol": symbol,
        "date": first.decision_date,
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@login_required
def award_documents(request):
    """Pick recognised awards and download their decision or certificates."""
    if not holds(request.user, "initiative.award"):
        raise PermissionDenied(_("Only a reviewer who decides awards can print their documents."))
    data = request.GET.copy() if "level" in request.GET else None
    form = AwardDocumentsForm(data, initial={"level": RecognitionLevel.PROVINCE})
    awards = []
    if form.is_valid():
        values = form.cleaned_data
        awards = list(
            awards_for_documents(
                actor=request.user,
                level=values["level"],
                year=values["year"],
                decision_number=values["decision_number"].strip(),
            )
        )
        if "download" in request.GET and awards:
            filled = {**_initial_letterhead(awards), **{k: v for k, v in values.items() if v}}
            issuing_body = awards[0].issuing_body
            letterhead = Letterhead(
                form=values["form_kind"] or form_for(filled.get("issuer_lines", issuing_body)),
                language=values["language"],
                issuer_lines=_lines(filled.get("issuer_lines", "")),
                number=filled.get("number", ""),
                symbol=filled.get("symbol", ""),
                place=filled.get("place", ""),
                date=filled.get("date"),
                year=(filled.get("date").year if filled.get("date") else None) or values["year"],
                authority=filled.get("authority", ""),
                position=filled.get("position", ""),
                signatory=filled.get("signatory", ""),
                recipients=_lines(filled.get("recipients", "")),
            )
            year = values["year"] or max(award.initiative.year for award in awards)
            papers = papers_for(awards, letterhead=letterhead, level=values["level"], year=year)
            content = WRITERS[(values["document"], values["format"])](papers)
            name = f"{values['document']}-{values['level']}-{year}.{values['format']}"
            return bytes_download(content, content_type=CONTENT_TYPES[values["format"]], name=name)
        if not any(data.get(name) for name in AwardDocumentsForm.LETTERHEAD):
            # A first search: offer the awards' own decision to start the letterhead from.
            for name, value in _initial_letterhead(awards).items():
                data[name] = value.isoformat() if hasattr(value, "isoformat") else value
            form = AwardDocumentsForm(data)
            form.is_valid()
    context = {
        "form": form,
        "awards": awards[:PREVIEW],
        "count": len(awards),
        "collectives": sum(1 for award in awards if not award.to_individual),
        "individuals": sum(1 for award in awards if award.to_individual),
        "searched": data is not None,
    }
    return render(request, "review/award_documents.html", context)
