"""Forms of the people pages (users and their roles); the rules stay in the services."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from danvan.accounts.addresses import reset_may_go_to
from danvan.accounts.models import Role
from danvan.accounts.scope import is_superadmin
from danvan.accounts.selectors import manageable_areas
from danvan.orgs.forms import AreaChoiceField
from danvan.orgs.selectors import organisation_list


def _organisations(actor):
    """The organisations the administrator manages people of."""
    return organisation_list(actor=actor).order_by("name")


class UserFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class UserForm(forms.Form):
    """A person's details; on creation also a user name and a first password."""

    username = forms.CharField(label=_("User name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    last_name = forms.CharField(label=_("Family and middle names"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, actor, user=None, **kwargs):
        if user is not None:
            kwargs.setdefault(
                "initial",
                {
                    "last_name": user.last_name,
                    "first_name": user.first_name,
                    "email": user.email,
                    "organisation": user.organisation_id,
                    "language": user.language,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(actor)
        self.fields["organisation"].required = not is_superadmin(actor)
        if user is not None:
            for name in ("username", "password1", "password2"):
                del self.fields[name]

    def clean(self):
        values = super().clean()
        if "password1" in self.fields:
            first, second = values.get("password1"), values.get("password2")
            if first and second and first != second:
                self.add_error("password2", _("The two passwords differ."))
        return values

    def create_arguments(self) -> dict:
        values = dict(self.cleaned_data)
        values["password"] = values.pop("password1")
        values.pop("password2")
        return values


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    area = AreaChoiceField(label=_("Area"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    nationwide = forms.BooleanField(
        label=_("Nationwide"),
        required=False,
        help_text=_("The whole country (a central commission); only a super administrator."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        superadmin = is_superadmin(actor)
        roles = [(value, label) for value, label in Role.choices]
        if not superadmin:
            roles = [(v, label) for v, label in roles if v != Role.SUPERADMIN]
            del self.fields["nationwide"]
        self.fields["role"].choices = [("", "—"), *roles]
        self.fields["area"].queryset = manageable_areas(actor=actor, action="user.manage")
        self.fields["organisation"].queryset = _organisations(actor)

    def clean(self):
        values = super().clean()
        nationwide = values.get("nationwide")
        scoped = values.get("area") or values.get("organisation")
        if values.get("role") and values["role"] != Role.SUPERADMIN and not (scoped or nationwide):
            self.add_error("area", _("Choose an area or an organisation for this role."))
        return values


class HeldPasswordResetForm(PasswordResetForm):
    """ "Forgotten your password?": no link goes to an address changed less than a day ago
    that its predecessor has not confirmed. The page answers the same either way, as it does
    for an address nobody has."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if reset_may_go_to(user))
