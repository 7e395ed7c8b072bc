"""The people, places and initiatives the accounts, review and notification tests share.

Quảng Ninh (current province) — officer Lan of the Women's Union of Yên Giang ward (a legacy
ward merged on 1 July 2025 into the current Phường Quảng Yên), officer Thu of the Yên Giang
People's Committee, reviewer Minh of Phường Quảng Yên, reviewer Đức of the neighbouring Phường
Hà An, viewer Quân and administrator Tuấn of the province. Hà Tĩnh — reviewer Hoa of the
province, officer Nga of the Thiên Lộc Women's Union (legacy Xã Thiên Lộc, now Xã Can Lộc).
Root is the super administrator. Import the fixtures into a ``conftest.py`` to use them.
"""

from types import SimpleNamespace

import pytest

from danvan.accounts.models import Role
from danvan.areas.models import AreaKind, CodeScheme
from danvan.initiatives.catalogues import Field, Status
from danvan.orgs.models import OrgKind
from tests.factories import AreaFactory, InitiativeFactory, OrganisationFactory
from tests.factories_review import PersonFactory, RoleAssignmentFactory


def person(
    username: str, role: str | None = None, *, area=None, organisation=None, member_of=None, **extra
):
    """Create a person working for ``member_of`` and, when ``role`` is given, one assignment."""
    user = PersonFactory(username=username, organisation=member_of, **extra)
    if role is not None:
        RoleAssignmentFactory(user=user, role=role, area=area, organisation=organisation)
    return user


@pytest.fixture
def world(areas):
    """Build the shared cast; each test gets a fresh copy (rolled back afterwards)."""
    w = SimpleNamespace()
    # Places.
    w.quang_ninh = areas("Tỉnh Quảng Ninh")
    w.quang_yen = areas("Phường Quảng Yên")
    w.ha_an = areas("Phường Hà An")
    w.yen_giang = areas("Phường Yên Giang", scheme=CodeScheme.LEGACY)
    w.tien_an = areas("Xã Tiền An", scheme=CodeScheme.LEGACY)
    w.zone_1 = AreaFactory(name="Khu 1", kind=AreaKind.RESIDENTIAL_GROUP, parent=w.yen_giang)
    w.ha_tinh = areas("Tỉnh Hà Tĩnh")
    w.can_loc = areas("Xã Can Lộc")
    w.thien_loc = areas("Xã Thiên Lộc", scheme=CodeScheme.LEGACY)
    # Organisations.
    w.wu_yen_giang = OrganisationFactory(
        name="Hội LHPN phường Yên Giang", kind=OrgKind.WOMENS_UNION, seat_area=w.yen_giang
    )
    w.pc_yen_giang = OrganisationFactory(
        name="UBND phường Yên Giang", kind=OrgKind.PEOPLES_COMMITTEE, seat_area=w.yen_giang
    )
    w.yu_ha_an = OrganisationFactory(
        name="Đoàn Thanh niên phường Hà An", kind=OrgKind.YOUTH_UNION, seat_area=w.ha_an
    )
    w.commission_qn = OrganisationFactory(
        name="Ban Dân vận Tỉnh ủy Quảng Ninh",
        kind=OrgKind.MASS_MOBILIZATION_COMMISSION,
        seat_area=w.quang_ninh,
    )
    w.wu_thien_loc = OrganisationFactory(
        name="Hội LHPN xã Thiên Lộc", kind=OrgKind.WOMENS_UNION, seat_area=w.thien_loc
    )
    w.commission_ht = OrganisationFactory(
        name="Ban Dân vận Tỉnh ủy Hà Tĩnh",
        kind=OrgKind.MASS_MOBILIZATION_COMMISSION,
        seat_area=w.ha_tinh,
    )
    # People.
    w.lan = person(
        "lan",
        Role.OFFICER,
        organisation=w.wu_yen_giang,
        member_of=w.wu_yen_giang,
        first_name="Lan",
        last_name="Nguyễn",
    )
    w.thu = person(
        "thu",
        Role.OFFICER,
        area=w.yen_giang,
        organisation=w.pc_yen_giang,
        member_of=w.pc_yen_giang,
    )
    w.minh = person("minh", Role.REVIEWER, area=w.quang_yen, member_of=w.commission_qn)
    w.duc = person("duc", Role.REVIEWER, area=w.ha_an, member_of=w.commission_qn)
    w.hoa = person("hoa", Role.REVIEWER, area=w.ha_tinh, member_of=w.commission_ht)
    w.nga = person("nga", Role.OFFICER, organisation=w.wu_thien_loc, member_of=w.wu_thien_loc)
    w.quan = person("quan", Role.VIEWER, area=w.quang_ninh, member_of=w.commission_qn)
    w.tuan = person("tuan", Role.ADMIN, area=w.quang_ninh, member_of=w.commission_qn)
    w.root = person("root", Role.SUPERADMIN)
    # Initiatives, recorded under the units of their day.
    w.cultural_houses = InitiativeFactory(
        title="Khai thác, quản lý nhà văn hóa khu dân cư",
        field=Field.CULTURE_SOCIETY,
        organisation=w.wu_yen_giang,
        area=w.zone_1,
    )
    w.digital = InitiativeFactory(
        title="Dân vận khéo trong chuyển đổi số toàn diện",
        field=Field.PARTY_BUILDING,
        organisation=w.pc_yen_giang,
        area=w.yen_giang,
        status=Status.COMPLETED,
    )
    w.railings = InitiativeFactory(
        title="Lan can chống đuối nước tuyến đường kênh sinh thái",
        field=Field.DEFENCE_SECURITY,
        organisation=w.yu_ha_an,
        area=w.ha_an,
    )
    w.thien_loc_roads = InitiativeFactory(
        title="Đường hoa, nhà số, chuyển đổi số là mục tiêu",
        field=Field.ECONOMY,
        organisation=w.wu_thien_loc,
        area=w.thien_loc,
        status=Status.IN_PROGRESS,
    )
    return w
