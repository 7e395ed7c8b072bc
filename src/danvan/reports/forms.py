"""The form that asks for a periodic report, and the reading of the initiative list's filters
for a background export.

The form only shapes the input (a unit within the person's scope, whole numbers, dates);
``reports.services.report_request`` decides what is valid, and its messages go back onto the
fields here.
"""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from danvan.accounts.scope import can_see_unit
from danvan.areas.models import Area
from danvan.initiatives.forms import InitiativeFilterForm
from danvan.initiatives.selectors import ORDERINGS
from danvan.orgs.selectors import organisation_list
from danvan.reports.models import (
    FORMATS_OF,
    MOVEMENT_START,
    DocumentSettings,
    PeriodKind,
    ReportKind,
)
from danvan.review.models import RegistrationRound
from danvan.stats.units import MODES, unit_choices

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
YEAR = forms.NumberInput(attrs={"inputmode": "numeric"})
# The language picker names each language in itself, as the top bar's picker does.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "ar": "العربية"}


def _default_language() -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (get_language() or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


class PeriodicReportForm(forms.Form):
    """What a periodic report covers and how it is written."""

    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a unit within your scope.")},
    )
    # Left on "the way that answers the question", the report is read as the dashboard reads
    # the same unit and year: restated for a year before the unit existed.
    mode = forms.ChoiceField(
        label=gettext_lazy("Boundaries"),
        choices=[
            ("", gettext_lazy("The way that answers this year for this unit")),
            *MODES.items(),
        ],
        initial="",
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "As it was: the units of the time. Restated: every figure moved onto today's units."
        ),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), widget=YEAR)
    period_kind = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=PeriodKind.choices, initial=PeriodKind.SIX_MONTHS
    )
    period_start = forms.DateField(
        label=gettext_lazy("Period start"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Leave empty to start on 1 January."),
    )
    cutoff = forms.DateField(
        label=gettext_lazy("Cut-off"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy(
            "Figures are counted up to this day. Leave empty to use the end of the period; "
            "a custom period needs it."
        ),
    )
    since = forms.IntegerField(
        label=gettext_lazy("Cumulative totals since"),
        initial=MOVEMENT_START,
        widget=YEAR,
        help_text=gettext_lazy("The first year of the totals built and replicated so far."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        widget=forms.RadioSelect,
        initial=FORMATS_OF[ReportKind.PERIODIC][0],
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"))
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Leave empty for the clerk to write it by hand."),
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Document date"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Leave empty for the clerk to write it by hand."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.units = {choice.value: choice for choice in unit_choices(user)}
        options = [(value, self._label(choice)) for value, choice in self.units.items()]
        wanted = self._wanted_unit()
        if wanted is not None and str(wanted.pk) not in self.units:
            options.insert(0, (str(wanted.pk), str(wanted)))
        self.fields["unit"].choices = options
        self.fields["year"].initial = timezone.localdate().year
        self.fields["format"].choices = [
            (code.value, code.label) for code in FORMATS_OF[ReportKind.PERIODIC]
        ]
        self.fields["language"].choices = [
            (code, LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES
        ]
        self.fields["language"].initial = _default_language()

    @staticmethod
    def _label(choice) -> str:
        return ("— " * choice.depth) + choice.label

    def _wanted_unit(self) -> Area | None:
        """A unit the person may read but that is not among the offered ones (a commune
        deeper down, asked for by number), so it can be chosen too."""
        raw = self.data.get(self.add_prefix("unit")) if self.is_bound else self.initial.get("unit")
        raw = str(raw or "")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            return None
        area = Area.objects.filter(pk=int(raw)).first()
        if area is None or not can_see_unit(self.user, area):
            return None
        return area

    def clean_unit(self) -> Area | None:
        value = self.cleaned_data.get("unit") or ""
        if value in self.units:
            return self.units[value].area
        area = self._wanted_unit()
        if area is None:
            raise forms.ValidationError(_("Choose a unit within your scope."))
        return area

    def request_arguments(self) -> dict:
        """The cleaned form as ``report_request`` takes it."""
        data = self.cleaned_data
        return {
            "kind": ReportKind.PERIODIC,
            "area": data["unit"],
            "mode": data.get("mode") or None,
            "year": data["year"],
            "period_kind": data["period_kind"],
            "period_start": data.get("period_start"),
            "cutoff": data.get("cutoff"),
            "since": data["since"],
            "format": data["format"],
            "language": data["language"],
            "number": data.get("number") or "",
            "issued_on": data.get("issued_on"),
        }


def export_arguments(user, data) -> tuple[dict | None, list[str]]:
    """Read the initiative list's filters from ``data``; return the export's ``report_request``
    arguments (None when a filter is not valid) and notes on filters an export cannot apply."""
    form = InitiativeFilterForm(
        data,
        organisations=organisation_list(actor=user),
        areas=Area.objects.all(),
        rounds=RegistrationRound.objects.all(),
    )
    if not form.is_valid():
        return None, []
    clean = form.cleaned_data
    notes = []
    filters = {
        "q": clean.get("q") or None,
        "year": clean.get("year"),
        "field": clean.get("field") or None,
        "status": clean.get("status") or None,
        "organisation": clean["organisation"].pk if clean.get("organisation") else None,
        "round": clean["round"].pk if clean.get("round") else None,
        "exemplary": {"yes": True, "no": False}.get(clean.get("exemplary") or ""),
        "ordering": clean.get("ordering") if clean.get("ordering") in ORDERINGS else None,
    }
    if clean.get("registration_kind"):
        notes.append(_("The export does not filter by registration; it holds every kind."))
    arguments = {
        "kind": ReportKind.INITIATIVES,
        "format": "xlsx",
        "language": _default_language(),
        "area": clean.get("area"),
        "filters": {name: value for name, value in filters.items() if value is not None},
    }
    return arguments, notes


class DocumentSettingsForm(forms.ModelForm):
    """How a unit's documents are headed and signed, and its own Word template. Only shapes
    the input: ``reports.services.save_document_settings`` checks and saves it."""

    template = forms.FileField(
        label=gettext_lazy("Word template"),
        required=False,
        help_text=gettext_lazy(
            "A .docx with placeholders (see the reports guide); leave empty to keep the "
            "current one."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
    remove_template = forms.BooleanField(
        label=gettext_lazy("Use the built-in form again"), required=False
    )

    class Meta:
        model = DocumentSettings
        fields = [
            "form",
            "issuer_lines",
            "symbol",
            "place",
            "authority",
            "position",
            "signatory",
            "recipients",
            "money_style",
        ]
        widgets = {
            "issuer_lines": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "form": forms.RadioSelect,
            "money_style": forms.RadioSelect,
        }
