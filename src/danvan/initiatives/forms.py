"""The forms of the initiative pages: the list's filters, and one form per write.

Forms only check the shape of the input (a date is a date, a choice is one of the list); the
rules live in the services, whose ``ValidationError`` is put back on the fields by the views.
Numbers are typed the way the active language writes them ("180.000.000" in Vietnamese).
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from danvan.core import limits, numbers
from danvan.core.forms import LongSelect
from danvan.initiatives.catalogues import (
    ContributionKind,
    ContributorType,
    EvidenceKind,
    Field,
    RegistrationKind,
    Status,
)
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR, Indicator
from danvan.initiatives.selectors import PAGE_ORDERINGS
from danvan.orgs.models import Organisation

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
YES_NO = [("", gettext_lazy("Any")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _with_blank(choices, label=None) -> list:
    return [("", label or gettext_lazy("All")), *choices]


class DateInput(forms.DateInput):
    """A date picker the browser draws; the value travels as ``YYYY-MM-DD`` in any language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def decimal_attrs(**extra) -> dict:
    return {"inputmode": "decimal", "autocomplete": "off", **extra}


def normalise_number(text: str) -> str:
    """Return ``text`` as a plain number (``1234.5``) from the active language's way of writing
    it: "1.234,5" in Vietnamese, "1,234.5" in English (``danvan.core.numbers``, the importer's
    reader too). Groups must be of three digits, so a mistyped separator is an error rather
    than a number ten times too big."""
    try:
        return str(numbers.read_number(text or ""))
    except numbers.EntryError:
        raise ValidationError(_("Enter a number."), code="invalid") from None


class NumberField(forms.CharField):
    """A number typed as text in the page's language; cleaned to a plain decimal string that
    the services read exactly (they refuse decimals where a whole number is needed).

    ``max_value`` and ``min_value`` are the limits of ``danvan.core.limits``; a text input has
    no HTML ``max``, so the page states the limit in the field's help and the form checks it.
    """

    def __init__(self, *, max_value: int | None = None, min_value: int | None = None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs=decimal_attrs()))
        kwargs.setdefault("max_length", 30)
        self.max_value, self.min_value = max_value, min_value
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return normalise_number(value)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values or self.max_value is None:
            return
        minimum = -self.max_value if self.min_value is None else self.min_value
        error = limits.amount_error(Decimal(value), maximum=self.max_value, minimum=minimum)
        if error is not None:
            raise error


class InitiativeFilterForm(forms.Form):
    """The list's search, filters, sorting and page size, read from the query string."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Title or code")}
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    field = forms.ChoiceField(
        label=gettext_lazy("Field"), required=False, choices=_with_blank(Field.choices)
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=_with_blank(Status.choices)
    )
    registration_kind = forms.ChoiceField(
        label=gettext_lazy("Registration"),
        required=False,
        choices=_with_blank(RegistrationKind.choices),
    )
    # The choosers offer up to 300 units and organisations each (``views.listing``), drawn
    # out in Python: through Django's option template they were half of the list's time.
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("All"),
        widget=LongSelect,
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Area"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("All"),
        widget=LongSelect,
    )
    round = forms.ModelChoiceField(
        label=gettext_lazy("Round"), required=False, queryset=None, empty_label=gettext_lazy("All")
    )
    exemplary = forms.ChoiceField(label=gettext_lazy("Exemplary"), required=False, choices=YES_NO)
    ordering = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[(value, value) for value in PAGE_ORDERINGS],
        widget=forms.HiddenInput,
    )
    size = forms.TypedChoiceField(
        label=gettext_lazy("Per page"),
        required=False,
        coerce=int,
        choices=[(size, size) for size in PAGE_SIZES],
        empty_value=DEFAULT_PAGE_SIZE,
    )

    def __init__(self, *args, organisations, areas, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["area"].queryset = areas
        self.fields["round"].queryset = rounds

    def selector_filters(self) -> dict:
        """Return the cleaned filters as ``initiative_browse`` takes them."""
        data = self.cleaned_data
        exemplary = {"yes": True, "no": False}.get(data.get("exemplary") or "")
        return {
            "search": data.get("q") or None,
            "year": data.get("year"),
            "field": data.get("field") or None,
            "status": data.get("status") or None,
            "registration_kind": data.get("registration_kind") or None,
            "organisation": data.get("organisation"),
            "area": data.get("area"),
            "round": data.get("round"),
            "exemplary": exemplary,
            "ordering": data.get("ordering") or "-year",
        }


class ChooserMixin:
    """Limit the options a select draws (a few scoped units) while any id may be sent back; the
    service decides whether the choice is allowed, and says so on the field."""

    def limit_options(self, name: str, options, label=str) -> None:
        field = self.fields[name]
        options = list(options)
        # A person with one organisation has it chosen; otherwise they must pick one.
        choices = [] if field.required and len(options) == 1 else [("", "—")]
        choices += [(option.pk, label(option)) for option in options]
        field.widget.choices = choices


class InitiativeForm(ChooserMixin, forms.Form):
    """Register a new initiative (a draft until it is submitted)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    field = forms.ChoiceField(label=gettext_lazy("Field"), choices=_with_blank(Field.choices, "—"))
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Registering organisation"), queryset=None
    )
    area = forms.ModelChoiceField(label=gettext_lazy("Area"), queryset=None)
    year = forms.IntegerField(
        label=gettext_lazy("Year registered"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), required=False, widget=DateInput)
    end_date = forms.DateField(label=gettext_lazy("End date"), required=False, widget=DateInput)
    people_in_charge = forms.CharField(
        label=gettext_lazy("People in charge"), required=False, max_length=500
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Separate tags with commas."),
    )
    co_organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-organising agencies"),
        required=False,
        queryset=None,
        help_text=gettext_lazy(
            "Other agencies of the province that run the model with the registering one."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    replicated_from = forms.CharField(
        label=gettext_lazy("Replicated from (code)"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("The code of the initiative this one copies, if any."),
    )

    def __init__(self, *args, organisations, areas, area_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].widget.attrs.update(limits.date_attrs())
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = organisations
        self.fields["area"].queryset = areas
        self.limit_options("area", area_options)
        self.fields["co_organisations"].queryset = Organisation.objects.all()
        if "year" in self.fields and not self.is_bound:
            self.initial.setdefault("year", datetime.date.today().year)

    def limit_co_organisations(self, options) -> None:
        """Draw only ``options`` (the province's agencies); the service checks any id sent."""
        self.fields["co_organisations"].widget.choices = [(org.pk, org.name) for org in options]

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class InitiativeEditForm(InitiativeForm):
    """Change an initiative's facts; ``version`` is the one the editor read (no lost update)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The registering organisation and year are the registration itself; they do not change.
        del self.fields["organisation"]
        del self.fields["year"]


class ContributionForm(forms.Form):
    """One entry of the contribution ledger."""

    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=_with_blank(ContributionKind.choices, "—")
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount"),
        help_text=gettext_lazy(
            "Whole VND for money and in-kind value (“38.000.000 ₫” or “38000000”); m² for land "
            "and person-days for labour, up to two decimals (“350.5” m², half a day “0.5”)."
        ),
        max_length=40,
        widget=forms.TextInput(attrs=decimal_attrs()),
    )
    contributor_type = forms.ChoiceField(
        label=gettext_lazy("Contributed by"), choices=_with_blank(ContributorType.choices, "—")
    )
    contributors = NumberField(
        label=gettext_lazy("Number of contributors"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        max_value=limits.CONTRIBUTORS_MAX,
    )
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs.update(limits.date_attrs(limits.latest_record_date()))

    def clean(self):
        data = super().clean()
        kind, text = data.get("kind"), data.get("amount")
        if not (kind and text):
            return data
        try:
            data["amount"] = str(read_amount(text, kind=kind))
        except ValidationError as error:
            self.add_error("amount", error)
            data.pop("amount", None)
        return data


MONEY_KINDS = frozenset({ContributionKind.MONEY, ContributionKind.IN_KIND})


def read_amount(text: str, *, kind: str) -> Decimal:
    """Read a ledger amount as its kind is written: money and in-kind value in whole đồng, with
    or without its sign ("38.000.000 ₫", "38.000.000đ", "38000000"); land and labour as numbers
    in the page's language, to two decimals ("350,5" in Vietnamese, "350.5" in English).

    Raise a ``ValidationError`` that quotes what was typed, or names the kind's rule (its
    decimals, ``danvan.core.limits``, and its ceiling; a negative amount is the service's to
    name)."""
    try:
        if kind in MONEY_KINDS:
            amount = Decimal(numbers.read_money(text))
        else:
            amount = numbers.read_number(text)
    except numbers.EntryError as error:
        raise ValidationError(error.message, code="invalid") from None
    maximum = limits.contribution_max(kind)
    error = limits.contribution_decimals_error(amount, kind) or limits.amount_error(
        amount, maximum=maximum, minimum=-maximum
    )
    if error is not None:
        raise error
    return amount


# What the corrected amount is counted in, by the entry's kind.
CORRECTION_HELP = {
    ContributionKind.MONEY: gettext_lazy("Whole VND (“38.000.000 ₫” or “38000000”)."),
    ContributionKind.IN_KIND: gettext_lazy("Whole VND (“38.000.000 ₫” or “38000000”)."),
    ContributionKind.LAND: gettext_lazy("m², up to two decimals (“350.5”)."),
    ContributionKind.LABOUR: gettext_lazy("Person-days, up to two decimals (half a day: “0.5”)."),
}


class CorrectionForm(forms.Form):
    """Correct a ledger entry to a new amount; the ledger keeps both and adds the difference.

    ``kind`` is the entry's: the amount is read as that kind is written (``read_amount``).
    """

    amount = forms.CharField(
        label=gettext_lazy("Corrected amount"),
        max_length=40,
        widget=forms.TextInput(attrs=decimal_attrs()),
    )
    contributors = NumberField(
        label=gettext_lazy("Corrected number of contributors"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        max_value=limits.CONTRIBUTORS_MAX,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DateInput)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["amount"].help_text = CORRECTION_HELP.get(kind, "")
        self.fields["date"].widget.attrs.update(limits.date_attrs(limits.latest_record_date()))

    def clean_amount(self) -> str:
        return str(read_amount(self.cleaned_data["amount"], kind=self.kind))


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.name} ({obj.get_unit_display()})"


class ResultForm(forms.Form):
    """A measured outcome over a period, with an optional target."""

    indicator = IndicatorChoiceField(
        label=gettext_lazy("Indicator"), queryset=Indicator.objects.order_by("code")
    )
    value = NumberField(label=gettext_lazy("Value"), max_value=limits.RESULT_ANY_MAX)
    target = NumberField(
        label=gettext_lazy("Target"), required=False, max_value=limits.RESULT_ANY_MAX
    )
    period_start = forms.DateField(
        label=gettext_lazy("Period start"), required=False, widget=DateInput
    )
    period_end = forms.DateField(label=gettext_lazy("Period end"), widget=DateInput)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = limits.latest_record_date(limits.RESULT_DAYS_AHEAD)
        for name in ("period_start", "period_end"):
            self.fields[name].widget.attrs.update(limits.date_attrs(latest))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class EvidenceForm(forms.Form):
    """A photo or document; its real type and size are checked by the service."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Photos (JPEG, PNG, WebP), PDF, Word or Excel files."),
        widget=forms.FileInput(
            attrs={
                "accept": ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,image/*",
                "data-dropzone": "evidence",
            }
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=_with_blank(EvidenceKind.choices, gettext_lazy("Decide from the file")),
    )
    title = forms.CharField(
        label=pgettext_lazy("evidence", "Caption"), required=False, max_length=255
    )


class TransitionForm(forms.Form):
    """A workflow action; a return or a discontinuation needs a reason (the service checks)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
