"""The e-mail settings form: one check box per kind of notification."""

from django import forms
from django.utils.translation import gettext_lazy


class EmailChoicesForm(forms.Form):
    """Which kinds of notification are also e-mailed; every kind stays in the inbox."""

    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind, label) for kind, label, _on in choices]
        if not self.is_bound:
            self.initial["kinds"] = [kind for kind, _label, on in choices if on]
