"""Forms of the organisation pages; the rules stay in ``danvan.orgs.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.selectors import manageable_areas
from danvan.areas.models import Area
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.selectors import organisation_list


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        # Indent by depth so the list reads as a tree (a select cannot nest deeper than one).
        return f"{'— ' * obj.depth}{obj.name}"


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *OrgKind.choices])
    seat_area = AreaChoiceField(label=_("Seat area"), queryset=Area.objects.none())
    parent = forms.ModelChoiceField(
        label=_("Parent organisation"), queryset=Organisation.objects.none(), required=False
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actor, instance: Organisation | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "seat_area": instance.seat_area_id,
                "parent": instance.parent_id,
                "valid_from": instance.valid_from,
                "valid_to": instance.valid_to,
            }
        super().__init__(*args, **kwargs)
        areas = manageable_areas(actor=actor)
        parents = organisation_list(actor=actor).order_by("name")
        if instance is not None:
            # Keep the present seat and parent choosable even outside today's list.
            areas = Area.objects.filter(pk__in=areas.values("pk")) | Area.objects.filter(
                pk=instance.seat_area_id
            )
            parents = parents.exclude(pk=instance.pk)
        self.fields["seat_area"].queryset = areas.order_by("path")
        self.fields["parent"].queryset = parents

    def clean(self):
        values = super().clean()
        start, end = values.get("valid_from"), values.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end cannot be before the start."))
        return values


class OrganisationFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrgKind.choices]
    )
