"""A long select is written out in Python, with the markup Django's template-rendered one has."""

import pytest
from django import forms
from django.test.html import parse_html

from danvan.core.forms import LongSelect, ReadyChoices

UNITS = [
    ("", "Every unit"),
    (4659, "Tỉnh Thanh Hóa"),
    (4660, "\u2003Huyện Nga Sơn"),
    (4661, "\u2003\u2003Xã Nga Thạch <cũ> & “mới”"),
]


def _both(choices, name, value, attrs):
    ours = LongSelect(choices=choices).render(name, value, attrs)
    django = forms.Select(choices=choices).render(name, value, attrs)
    return parse_html(ours), parse_html(django)


@pytest.mark.parametrize("value", [None, "", 4660, "4661", 9999])
def test_the_same_markup_as_djangos_select_for_any_value(value):
    attrs = {"id": "id_unit", "class": "form-select", "aria-describedby": "id_unit-help"}
    ours, django = _both(UNITS, "unit", value, attrs)
    assert ours == django


def test_names_with_markup_are_escaped_and_only_the_first_match_is_chosen():
    choices = [("a", "<b>bold</b>"), ("a", "again"), ("b", "plain")]
    html = LongSelect(choices=choices).render("kind", "a", {"required": True, "disabled": False})
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert html.count(" selected") == 1
    assert parse_html(html) == parse_html(
        forms.Select(choices=choices).render("kind", "a", {"required": True, "disabled": False})
    )


def test_option_groups_are_kept():
    choices = [("", "—"), ("Quảng Ninh", [(1, "Phường Quảng Yên"), (2, "Xã Tiền An")])]
    ours, django = _both(choices, "area", 2, {"id": "id_area"})
    assert ours == django


class Filters(forms.Form):
    unit = forms.ChoiceField(choices=UNITS, required=False, widget=LongSelect)


def test_a_bound_field_renders_and_validates_as_before():
    form = Filters({"unit": "4660"})
    assert form.is_valid()
    assert '<option value="4660" selected>' in str(form["unit"])
    bad = Filters({"unit": "12"})
    assert not bad.is_valid()
    assert "unit" in bad.errors


class ReadyFilters(forms.Form):
    unit = forms.ChoiceField(required=False, widget=LongSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = ReadyChoices(UNITS)


def test_ready_choices_are_handed_on_without_another_pass():
    form = ReadyFilters({"unit": "4661"})
    assert form.fields["unit"].choices.pairs is UNITS
    assert form.fields["unit"].widget.choices.pairs is UNITS
    assert len(form.fields["unit"].choices) == len(UNITS)
    assert form.fields["unit"].choices[1] == UNITS[1]


def test_ready_choices_render_and_validate_as_a_list_does():
    for value in ("4661", "", "12"):
        ready, listed = ReadyFilters({"unit": value}), Filters({"unit": value})
        assert ready.is_valid() == listed.is_valid()
        assert parse_html(str(ready["unit"])) == parse_html(str(listed["unit"]))


def test_the_pages_style_it_as_a_select_not_a_text_box():
    """``control`` gives a field Bootstrap's class by its widget's type; a long select is
    named "longselect", and was styled as a text box (``form-control``)."""
    from danvan.web.templatetags.web import control

    class Chooser(forms.Form):
        unit = forms.ChoiceField(choices=UNITS, required=False, widget=LongSelect)
        plain = forms.ChoiceField(choices=UNITS, required=False)

    form = Chooser()
    ours = control(form["unit"])
    assert 'class="form-select"' in ours
    renamed = ours.replace('"unit"', '"plain"').replace('"id_unit"', '"id_plain"')
    assert parse_html(renamed) == parse_html(control(form["plain"]))
