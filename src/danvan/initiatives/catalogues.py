"""The fixed catalogues of the movement: fields, statuses, contribution kinds, units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    """The four fields every report is broken down by."""

    ECONOMY = "economy", _("Economy")
    CULTURE_SOCIETY = "culture_society", _("Culture–society")
    DEFENCE_SECURITY = "defence_security", _("National defence–security")
    PARTY_BUILDING = "party_building", _("Party building and the political system")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


# Officers may change an initiative's facts only in these states; a submitted registration waits
# for the reviewer, and a finished one is a record.
EDITABLE_STATUSES = frozenset(
    {Status.DRAFT, Status.RETURNED, Status.REGISTERED, Status.IN_PROGRESS}
)


# The states of an initiative the commission accepted: counted in the figures, and the only
# ones the public may ever see.
REGISTERED_STATUSES = (
    Status.REGISTERED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.DISCONTINUED,
)


class RegistrationKind(models.TextChoices):
    NEW = "new", _("New")
    CONTINUED = "continued", _("Continued from an earlier year")


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    LAND = "land", _("Land donated")
    LABOUR = "labour", _("Labour")
    IN_KIND = "in_kind", _("Assets and materials")


class ContributorType(models.TextChoices):
    HOUSEHOLDS = "households", _("Households")
    INDIVIDUALS = "individuals", _("Individuals")
    BUSINESSES = "businesses", _("Businesses")
    ORGANISATIONS = "organisations", _("Organisations")
    BENEFACTORS = "benefactors", _("Benefactors")


class Unit(models.TextChoices):
    """The one catalogue of measurement units for results and contributions."""

    KM = "km", _("km")
    M = "m", _("m")
    M2 = "m2", _("m²")
    PERCENT = "percent", _("%")
    COUNT = "count", _("count")
    VND = "vnd", _("VND")
    PERSON_DAYS = "person_days", _("person-days")
    HOUSEHOLDS = "households", _("households")
    PEOPLE = "people", _("people")


CONTRIBUTION_UNITS = {
    ContributionKind.MONEY: Unit.VND,
    ContributionKind.LAND: Unit.M2,
    ContributionKind.LABOUR: Unit.PERSON_DAYS,
    ContributionKind.IN_KIND: Unit.VND,
}


class Aggregation(models.TextChoices):
    """How results of one indicator combine across initiatives or periods."""

    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    LATEST = "latest", _("Latest value")
    MAX = "max", _("Maximum")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", _("Other")
