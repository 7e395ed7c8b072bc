"""The registering units: agencies and mass organisations seated in an area."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.areas.models import Area
from danvan.core.history import AuditedHistory
from danvan.core.text import fold


class OrgKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front committee")
    WOMENS_UNION = "womens_union", _("Women's Union")
    YOUTH_UNION = "youth_union", _("Youth Union")
    FARMERS_ASSOCIATION = "farmers_association", _("Farmers' Association")
    VETERANS_ASSOCIATION = "veterans_association", _("Veterans' Association")
    TRADE_UNION = "trade_union", _("Trade union")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    MASS_MOBILIZATION_COMMISSION = "mass_mobilization", _("Mass Mobilization Commission")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "OrganisationQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def search(self, text: str) -> "OrganisationQuerySet":
        return self.filter(name_folded__contains=fold(text))


class Organisation(models.Model):
    """A unit that registers initiatives: a commune Women's Union, a ward People's Committee…"""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    seat_area = models.ForeignKey(
        Area,
        verbose_name=_("seat area"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = AuditedHistory()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organisation_valid_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)
