"""Factories for people, roles, rounds, criteria and awards (the review side of danvan)."""

import datetime

import factory
from django.contrib.auth.hashers import make_password

from danvan.accounts.models import Role, RoleAssignment
from danvan.review.models import (
    AwardForm,
    AwardTitle,
    CriteriaSet,
    Criterion,
    GradeThreshold,
    RegistrationRound,
)
from tests.factories import UserFactory


class PersonFactory(UserFactory):
    """A user with an e-mail address and no usable password (hashing is slow and not needed)."""

    email = factory.LazyAttribute(lambda o: f"{o.username}@danvan.test")
    password = factory.LazyFunction(lambda: make_password(None))


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(PersonFactory)
    role = Role.VIEWER
    area = None
    organisation = None


class RegistrationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationRound

    year = 2025
    theme = "Dân vận khéo"
    area = None
    opens_on = datetime.date(2025, 1, 15)
    closes_on = datetime.date(2025, 3, 31)
    cutoff_on = datetime.date(2025, 11, 30)


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    name = factory.Sequence(lambda n: f"Tiêu chí đánh giá {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    weight = 10
    max_score = 10
    order = factory.Sequence(lambda n: n)


class GradeThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeThreshold

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    min_total = 50
    grade = "Đạt"


class AwardTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardTitle
        django_get_or_create = ("code",)

    code = "exemplary_model"
    name_vi = "Mô hình Dân vận khéo tiêu biểu"
    name_en = "Exemplary Skilled Mass Mobilization model"
    name_ar = "نموذج تعبئة جماهيرية ماهرة نموذجي"


class AwardFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardForm
        django_get_or_create = ("code",)

    code = "pc_certificate"
    name_vi = "Giấy khen của Ủy ban nhân dân"
    name_en = "Certificate of merit of the People's Committee"
    name_ar = "شهادة تقدير من اللجنة الشعبية"
