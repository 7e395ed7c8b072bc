"""factory-boy factories for the domain models.

Factories build plausible records directly; tests of a service call the service itself.
"""

import datetime

import factory
from django.contrib.auth import get_user_model

from danvan.areas.models import Area, AreaKind, CodeScheme
from danvan.initiatives.catalogues import (
    Aggregation,
    ContributionKind,
    ContributorType,
    Field,
    Unit,
)
from danvan.initiatives.models import Contribution, Indicator, Initiative, Result
from danvan.orgs.models import Organisation, OrgKind


class UserFactory(factory.django.DjangoModelFactory):
    """A user; tests name them after people of the domain (officer Lan, reviewer Minh)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    password = factory.django.Password("danvan-test-password")


class AreaFactory(factory.django.DjangoModelFactory):
    """A unit in the local scheme; pass ``parent`` to place it in the tree."""

    class Meta:
        model = Area
        skip_postgeneration_save = True

    scheme = CodeScheme.LOCAL
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = AreaKind.COMMUNE
    parent = None
    path = "pending"

    @factory.post_generation
    def place(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.path = f"{obj.parent.path}.{obj.pk}" if obj.parent else str(obj.pk)
        obj.depth = obj.path.count(".")
        obj.save(update_fields=["path", "depth"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"ORG-T{n:05d}")
    name = factory.Sequence(lambda n: f"Hội Liên hiệp Phụ nữ xã {n}")
    kind = OrgKind.WOMENS_UNION
    seat_area = factory.SubFactory(AreaFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    code = factory.Sequence(lambda n: f"DVK-T-{n:06d}")
    title = factory.Sequence(lambda n: f"Mô hình dân vận khéo số {n}")
    field = Field.ECONOMY
    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.SelfAttribute("organisation.seat_area")
    year = 2024
    start_date = datetime.date(2024, 1, 15)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    initiative = factory.SubFactory(InitiativeFactory)
    date = datetime.date(2024, 3, 1)
    kind = ContributionKind.MONEY
    amount = 10_000_000
    contributor_type = ContributorType.HOUSEHOLDS
    contributors = 12


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ind_{n}")
    name_vi = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    name_ar = factory.Sequence(lambda n: f"مؤشر {n}")
    unit = Unit.M
    aggregation = Aggregation.SUM


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    initiative = factory.SubFactory(InitiativeFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    value = "120"
    period_end = datetime.date(2024, 12, 31)
