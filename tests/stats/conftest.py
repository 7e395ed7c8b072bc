"""Official units and registering organisations of the statistics tests."""

import pytest

from danvan.areas.models import AreaKind, CodeScheme
from danvan.initiatives.catalogues import Aggregation, Unit
from danvan.orgs.models import OrgKind
from tests.factories import AreaFactory, IndicatorFactory, OrganisationFactory


@pytest.fixture
def units(areas):
    """Legacy units of 2024 (merged, split) and the current units that carry them on."""
    yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
    found = {
        "yen_giang": yen_giang,
        "lien_hoa": areas("Xã Liên Hòa", CodeScheme.LEGACY, parent="Thị xã Quảng Yên"),
        "thien_loc": areas("Xã Thiên Lộc", CodeScheme.LEGACY, parent="Huyện Can Lộc"),
        "quang_yen": areas("Phường Quảng Yên"),
        "can_loc": areas("Xã Can Lộc"),
        "phuong_lien_hoa": areas("Phường Liên Hòa"),
        "ha_an": areas("Phường Hà An"),
    }
    # A zone created under the legacy ward: it never ended, its ward did.
    found["zone_1"] = AreaFactory(
        name="Khu 1 Yên Giang", kind=AreaKind.RESIDENTIAL_GROUP, parent=yen_giang
    )
    return found


@pytest.fixture
def orgs(units):
    return [
        OrganisationFactory(kind=OrgKind.WOMENS_UNION, seat_area=units["yen_giang"]),
        OrganisationFactory(kind=OrgKind.YOUTH_UNION, seat_area=units["lien_hoa"]),
        OrganisationFactory(kind=OrgKind.PEOPLES_COMMITTEE, seat_area=units["thien_loc"]),
        OrganisationFactory(kind=OrgKind.FATHERLAND_FRONT, seat_area=units["quang_yen"]),
    ]


@pytest.fixture
def indicators(db):
    return {
        "canal_km": IndicatorFactory(code="t_canal_km", unit=Unit.KM, aggregation=Aggregation.SUM),
        "sim_4g": IndicatorFactory(
            code="t_sim_4g", unit=Unit.PERCENT, aggregation=Aggregation.AVERAGE
        ),
        "qr_fees": IndicatorFactory(
            code="t_qr_fees", unit=Unit.PERCENT, aggregation=Aggregation.LATEST
        ),
        "sponsored": IndicatorFactory(
            code="t_sponsored", unit=Unit.COUNT, aggregation=Aggregation.MAX
        ),
    }
