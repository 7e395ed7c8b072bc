"""People who use danvan."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.history import AuditedHistory
from danvan.core.text import fold
from danvan.orgs.models import Organisation


class User(AbstractUser):
    """A person, belonging to the organisation they work for."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    # The user name, names (both orders) and e-mail folded for search ("nguyen" finds
    # "Nguyễn"): databases cannot fold "đ", so it is done once, on save.
    search_folded = models.CharField(max_length=1000, editable=False, blank=True, default="")
    # When the e-mail address last changed, the address it replaced, and whether that old
    # address confirmed the change: a "forgotten password" link goes to an address that is
    # less than a day old only once the old one confirmed it (see ``accounts.addresses``).
    email_changed_at = models.DateTimeField(_("e-mail changed at"), null=True, blank=True)
    email_previous = models.EmailField(_("previous e-mail"), blank=True, default="")
    email_change_confirmed = models.BooleanField(_("e-mail change confirmed"), default=False)

    history = AuditedHistory(excluded_fields=["password", "last_login", "search_folded"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """The name as Vietnamese write it, family name first: "Vũ Thị Lan" (``last_name``
        holds the family and middle names, ``first_name`` the given name)."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    def save(self, *args, **kwargs):
        self.search_folded = search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & SEARCHED_FIELDS:
            kwargs["update_fields"] = {*update_fields, "search_folded"}
        super().save(*args, **kwargs)


SEARCHED_FIELDS = {"username", "first_name", "last_name", "email"}


def search_text(user) -> str:
    """Return what a search of people looks in, folded; " | " keeps the parts apart."""
    first, last = user.first_name or "", user.last_name or ""
    parts = [user.username or "", f"{last} {first}", f"{first} {last}", user.email or ""]
    return fold(" | ".join(parts))[:1000]


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Administrator")
    SUPERADMIN = "superadmin", _("Super administrator")


class RoleAssignment(models.Model):
    """A role a user holds over a scope: an area subtree and/or one organisation.

    An area scope on a current unit also covers the historical units that map into it. When
    both are set, a record must match both. A nationwide assignment covers the whole country;
    a super administrator's assignment has no scope at all.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nationwide = models.BooleanField(
        _("nationwide"),
        default=False,
        help_text=_("Holds the role over the whole country (a central commission)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="superadmin")
                | models.Q(nationwide=True, area__isnull=True, organisation__isnull=True)
                | models.Q(nationwide=False, area__isnull=False)
                | models.Q(nationwide=False, organisation__isnull=False),
                name="role_assignment_has_scope",
                violation_error_message=_(
                    "Choose an area or an organisation for this role, or make it nationwide."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area", "organisation"],
                name="role_assignment_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = " / ".join(str(part) for part in (self.area, self.organisation) if part)
        return f"{self.user}: {self.get_role_display()} {scope}".strip()


class ApiToken(models.Model):
    """A personal API token; it acts exactly as its user, within the user's scopes.

    Only a hash of the key is stored: the key is shown once, when it is created. The prefix is
    kept in clear to find the row and to let people tell their tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class UserSession(models.Model):
    """A signed-in session of a person, so they can see where they are signed in and end it.

    Recorded at sign-in. It belongs to Django's session row: when the session ends (sign-out,
    "sign out of the others", ``clearsessions``) the row goes with it. The session key itself
    is never shown; the page names sessions by this row's id.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
    )
    session = models.OneToOneField("sessions.Session", on_delete=models.CASCADE, related_name="+")
    signed_in_at = models.DateTimeField(_("signed in at"))
    last_seen_at = models.DateTimeField(_("last seen"))
    address = models.CharField(_("address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.address})"
