"""Vietnam's administrative tree, as it was and as it is.

Every unit keeps the code of its own scheme: the legacy three-tier list (valid until 2025-06-30)
and the current two-tier list (from 2025-07-01) reuse numbers for different units, so a code
means nothing without its scheme. Units below communes (villages, residential groups, family
groups) are not in the official lists; users create them in the ``local`` scheme.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.history import AuditedHistory
from danvan.core.text import fold

REFORM_2025 = datetime.date(2025, 7, 1)
LEGACY_LAST_DAY = datetime.date(2025, 6, 30)
PATH_SEPARATOR = "."


class CodeScheme(models.TextChoices):
    LEGACY = "legacy", _("Legacy units (until 30 June 2025)")
    CURRENT = "current", _("Current units (from 1 July 2025)")
    LOCAL = "local", _("Local units below communes")


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CENTRAL_CITY = "central_city", _("Centrally-run city")
    DISTRICT = "district", _("Rural district")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    TOWN = "town", _("Town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    VILLAGE = "village", _("Village")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")
    FAMILY_GROUP = "family_group", _("Family group")


PROVINCE_KINDS = {AreaKind.PROVINCE, AreaKind.CENTRAL_CITY}
DISTRICT_KINDS = {
    AreaKind.DISTRICT,
    AreaKind.URBAN_DISTRICT,
    AreaKind.TOWN,
    AreaKind.PROVINCIAL_CITY,
}
COMMUNE_KINDS = {AreaKind.COMMUNE, AreaKind.WARD, AreaKind.TOWNSHIP, AreaKind.SPECIAL_ZONE}
LOCAL_KINDS = {AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP, AreaKind.FAMILY_GROUP}


class AreaLevel(models.IntegerChoices):
    """Coarse level of a unit, the same in both schemes (a legacy district is level 2)."""

    PROVINCE = 1, _("Province level")
    DISTRICT = 2, _("District level")
    COMMUNE = 3, _("Commune level")
    LOCAL = 4, _("Below commune")


def level_of(kind: str) -> int:
    """Return the ``AreaLevel`` of an area kind."""
    if kind in PROVINCE_KINDS:
        return AreaLevel.PROVINCE
    if kind in DISTRICT_KINDS:
        return AreaLevel.DISTRICT
    if kind in COMMUNE_KINDS:
        return AreaLevel.COMMUNE
    return AreaLevel.LOCAL


class AreaQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "AreaQuerySet":
        """Units that existed on ``day``."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> "AreaQuerySet":
        """Units that exist today (no end date)."""
        return self.filter(valid_to__isnull=True)

    def provinces(self) -> "AreaQuerySet":
        return self.filter(level=AreaLevel.PROVINCE)

    def search(self, text: str) -> "AreaQuerySet":
        """Units whose name contains ``text``, ignoring case and diacritics."""
        return self.filter(name_folded__contains=fold(text))


class Area(models.Model):
    """One administrative unit in one code scheme, with its place in the tree."""

    scheme = models.CharField(_("code scheme"), max_length=16, choices=CodeScheme.choices)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AreaKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=AreaLevel.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    history = AuditedHistory()

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="area_code_unique_in_scheme"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="area_valid_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "level"]), models.Index(fields=["valid_to"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.level = level_of(self.kind)
        super().save(*args, **kwargs)

    @property
    def subtree_prefix(self) -> str:
        """Prefix that every descendant's path starts with."""
        return self.path + PATH_SEPARATOR

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed")
    REPARENT = "reparent", _("Moved to another parent")
    CONTINUE = "continue", _("Continued under the new code list")
    ABOLISH = "abolish", _("Level abolished; carried by")


class AreaSuccession(models.Model):
    """A link from a unit that ended to a unit that carries its people and land on.

    A split unit has several successors, each with its ``share`` (a fraction, for restating
    figures) and exactly one ``is_default`` successor used when no share is asked for.
    """

    predecessor = models.ForeignKey(
        Area,
        verbose_name=_("predecessor"),
        on_delete=models.CASCADE,
        related_name="successions_out",
    )
    successor = models.ForeignKey(
        Area,
        verbose_name=_("successor"),
        on_delete=models.CASCADE,
        related_name="successions_in",
    )
    date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices)
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Fraction of a split unit carried by this successor (0 to 1)."),
    )
    is_default = models.BooleanField(_("default successor"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = _("area succession")
        verbose_name_plural = _("area successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="area_succession_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="area_succession_not_self",
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)),
                name="area_succession_share_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"
