"""Forms of the reviewer's pages: quick actions, the evaluation, and the award path.

The forms only check the shape of the input; the rules (scores within their maximum, which stage
an award may move from, who may act) live in ``danvan.review.services``, whose errors the views
put back on these forms' fields with ``apply_errors``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.areas.models import Area
from danvan.core.forms import LongSelect, ReadyChoices
from danvan.initiatives.catalogues import Field
from danvan.review.models import (
    AwardForm,
    AwardStage,
    AwardTitle,
    CriteriaSet,
    RecipientKind,
    RecipientRole,
    RecognitionLevel,
    RegistrationRound,
)


class ReviewForm(forms.Form):
    """A form of the review pages (rendered with ``web/includes/field.html``)."""


class ReturnForm(ReviewForm):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The officer sees this reason and can correct the registration."),
    )


class EvaluationForm(ReviewForm):
    """One score per criterion of the set, each between 0 and the criterion's maximum."""

    def __init__(self, *args, criteria_set: CriteriaSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria_set.criteria.all())
        for criterion in self.criteria:
            out_of_range = _("The score for “%(name)s” must be between 0 and %(max)s.") % {
                "name": criterion.name,
                "max": _plain(criterion.max_score),
            }
            field = forms.DecimalField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                max_digits=6,
                decimal_places=2,
                error_messages={
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "invalid": _("Enter a number."),
                },
                help_text=_("From 0 to %(max)s points; weight %(weight)s.")
                % {"max": _plain(criterion.max_score), "weight": _plain(criterion.weight)},
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.01",
                        "min": "0",
                        "max": _plain(criterion.max_score),
                        "inputmode": "decimal",
                    }
                ),
            )
            # DecimalField writes its limits with two decimals ("10.00"); show them plainly.
            field.widget.attrs["max"] = _plain(criterion.max_score)
            self.fields[self.field_name(criterion.pk)] = field
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    @staticmethod
    def field_name(criterion_id: int) -> str:
        return f"score_{criterion_id}"

    def score_fields(self):
        return [self[self.field_name(criterion.pk)] for criterion in self.criteria]

    def scores(self) -> dict[int, object]:
        return {
            criterion.pk: self.cleaned_data[self.field_name(criterion.pk)]
            for criterion in self.criteria
        }

    def aliases(self) -> dict[str, str]:
        return {f"scores.{c.pk}": self.field_name(c.pk) for c in self.criteria}


def _plain(value) -> str:
    """A decimal without trailing zeros, for the input's ``max`` and the help text."""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text


class AwardProposeForm(ReviewForm):
    title = forms.ModelChoiceField(
        label=_("Award title"), queryset=AwardTitle.objects.order_by("code")
    )
    level = forms.ChoiceField(label=_("Level"), choices=RecognitionLevel.choices)
    form = forms.ModelChoiceField(
        label=_("Form of award"), queryset=AwardForm.objects.order_by("code"), required=False
    )
    recipient_kind = forms.ChoiceField(
        label=_("Awarded to"),
        choices=RecipientKind.choices,
        initial=RecipientKind.COLLECTIVE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The initiative's collective (its organisation) or one person."),
    )
    recipient_name = forms.CharField(
        label=_("Full name of the person"), required=False, max_length=255
    )
    recipient_role = forms.ChoiceField(
        label=_("The person is"),
        required=False,
        choices=[("", "—"), *RecipientRole.choices],
    )
    recipient_detail = forms.CharField(
        label=_("Position or address"),
        required=False,
        max_length=255,
        help_text=_("E.g. “Trưởng thôn 1” or “Tổ dân phố 3, phường Yên Giang”."),
    )

    def clean_recipient_kind(self) -> str:
        # Left out, the award goes to the collective, as before awards to persons existed.
        return self.cleaned_data.get("recipient_kind") or RecipientKind.COLLECTIVE


class DecisionForm(ReviewForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255)


class RecogniseForm(DecisionForm):
    form = forms.ModelChoiceField(
        label=_("Form of award"), queryset=AwardForm.objects.order_by("code"), required=False
    )
    decision_file = forms.FileField(
        label=_("Scan of the decision"),
        required=False,
        help_text=_("PDF or image of the signed decision."),
    )


def _stage_choices():
    return [("", _("Any stage")), *AwardStage.choices]


class AwardListFilter(ReviewForm):
    """The filters of the award list; bad values are ignored by the view, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=_stage_choices)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Any level")), *RecognitionLevel.choices],
    )
    recipient_kind = forms.ChoiceField(
        label=_("Awarded to"),
        required=False,
        choices=[("", _("Collectives and individuals")), *RecipientKind.choices],
    )


QUEUE_PAGE_SIZES = (20, 50, 100, 200)


class QueueFilterForm(ReviewForm):
    """The queue's search, filters, sorting and page size, all read from the address (GET), so
    a filtered list can be bookmarked and shared. Bad values are reported, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=None, widget=LongSelect)
    organisation = forms.ModelChoiceField(
        label=_("Registering organisation"), required=False, queryset=None, widget=LongSelect
    )
    field = forms.ChoiceField(label=_("Field"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    round = forms.ModelChoiceField(label=_("Round"), required=False, queryset=None)
    changed_from = forms.DateField(
        label=_("Changed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    changed_to = forms.DateField(
        label=_("Changed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    size = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        empty_value=QUEUE_PAGE_SIZES[0],
        choices=[(size, str(size)) for size in QUEUE_PAGE_SIZES],
    )

    def __init__(self, *args, choices: dict, statuses, sorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Area.objects.filter(pk__in=[a.pk for a in choices["areas"]])
        self.fields["unit"].choices = ReadyChoices(
            [("", _("Every unit"))]
            + [
                (area.pk, "\u2003" * max(area.path.count("."), 0) + area.name)
                for area in choices["areas"]
            ]
        )
        # The options are drawn from the lists already read; the querysets only check a choice
        # sent back (drawn from them, a province's thousands of organisations were read twice).
        self.fields["organisation"].queryset = choices["registering"]
        self.fields["organisation"].choices = ReadyChoices(
            [("", _("Every organisation")), *choices["organisations"]]
        )
        self.fields["round"].queryset = RegistrationRound.objects.filter(
            pk__in=[r.pk for r in choices["rounds"]]
        )
        self.fields["round"].choices = [("", _("Every round"))] + [
            (round_.pk, str(round_)) for round_ in choices["rounds"]
        ]
        self.fields["field"].choices = [("", _("Every field")), *Field.choices]
        self.fields["status"].choices = [("", _("Every status")), *statuses]
        self.fields["sort"].choices = sorts

    def clean(self):
        values = super().clean()
        start, end = values.get("changed_from"), values.get("changed_to")
        if start and end and start > end:
            self.add_error("changed_to", _("The end of the range is before its start."))
        return values


class BulkReturnForm(ReviewForm):
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One reason for every initiative chosen; each officer sees it."),
    )


class AwardDocumentsForm(ReviewForm):
    """Which recognised awards to print, as what, and the decision's letterhead.

    The letterhead's fields start from the awards' own decision (number, date, issuing body)
    and can be corrected before printing; nothing here is saved.
    """

    level = forms.ChoiceField(label=_("Level"), choices=RecognitionLevel.choices)
    year = forms.IntegerField(
        label=_("Year of the models"), required=False, min_value=2000, max_value=2100
    )
    decision_number = forms.CharField(
        label=_("Only the awards of decision number"), required=False, max_length=80
    )
    document = forms.ChoiceField(
        label=pgettext_lazy("award documents", "Document"),
        required=False,
        choices=[
            ("decision", _("The decision with its list")),
            ("certificates", _("The certificates, one per award")),
        ],
        initial="decision",
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("docx", "Word (DOCX)"), ("pdf", "PDF")],
        initial="docx",
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        required=False,
        choices=[("vi", "Tiếng Việt"), ("en", "English"), ("ar", "العربية")],
        initial="vi",
    )
    form_kind = forms.ChoiceField(
        label=_("Form"),
        required=False,
        choices=[
            ("", _("As the issuing body is (a People's Committee: the State form)")),
            ("party", _("Party form (Hướng dẫn 36-HD/VPTW)")),
            ("state", _("State form (Nghị định 30/2020/NĐ-CP)")),
        ],
    )
    issuer_lines = forms.CharField(
        label=_("Issuing body"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One line each, the body it belongs to first (e.g. “TỈNH ỦY QUẢNG NINH”)."),
    )
    number = forms.CharField(label=_("Number"), required=False, max_length=40)
    symbol = forms.CharField(label=_("Symbol"), required=False, max_length=40)
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    authority = forms.CharField(
        label=_("Signing on behalf of"),
        required=False,
        max_length=200,
        help_text=_("E.g. “T/M BAN DÂN VẬN” or “CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH”."),
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    signatory = forms.CharField(label=_("Signed by"), required=False, max_length=200)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line (“Nơi nhận”)."),
    )

    SELECTION = ("level", "year", "decision_number")

    def clean(self):
        data = super().clean()
        # Left out (a first search), the document is the decision in Word, in Vietnamese.
        for name, default in (("document", "decision"), ("format", "docx"), ("language", "vi")):
            data[name] = data.get(name) or default
        return data

    LETTERHEAD = (
        "form_kind",
        "issuer_lines",
        "number",
        "symbol",
        "place",
        "date",
        "authority",
        "position",
        "signatory",
        "recipients",
    )


class CriteriaSetForm(ReviewForm):
    """A criteria set's name, province and round; its criteria and grades come in formsets."""

    name = forms.CharField(label=_("Name"), max_length=255)
    area = forms.ModelChoiceField(
        label=_("Province or unit"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Leave empty for a national set."),
    )
    round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=RegistrationRound.objects.none(),
        required=False,
        help_text=_("A set for a round is the only one that round's initiatives are scored by."),
    )

    def __init__(self, *args, areas, rounds, national: bool, fixed_area: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].required = not national
        self.fields["area"].empty_label = _("The whole country") if national else None
        if not national:
            self.fields["area"].help_text = ""
        self.fields["round"].queryset = rounds
        self.fields["round"].empty_label = _("No round (any year)")
        if fixed_area:
            self.fields["area"].disabled = True


class CriterionForm(ReviewForm):
    name = forms.CharField(label=_("Criterion"), max_length=255)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=6, decimal_places=2)
    max_score = forms.DecimalField(
        label=_("Maximum score"), min_value=1, max_digits=6, decimal_places=2
    )


class ThresholdForm(ReviewForm):
    min_total = forms.DecimalField(
        label=_("Lowest total"), min_value=0, max_value=100, max_digits=6, decimal_places=2
    )
    grade = forms.CharField(label=_("Grade"), max_length=100)


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=2, can_delete=True, max_num=50, validate_max=True
)
ThresholdFormSet = forms.formset_factory(
    ThresholdForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


class CriteriaCopyForm(ReviewForm):
    round = forms.ModelChoiceField(
        label=_("Into the round"), queryset=RegistrationRound.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("Name of the copy"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to name it after the set and the round's year."),
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].empty_label = _("No round (any year)")
