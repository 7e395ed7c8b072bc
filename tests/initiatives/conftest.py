"""The Yên Giang ward Women's Union, its officer Lan and a registered initiative."""

import datetime

import pytest
from django.utils import translation

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import CodeScheme
from danvan.initiatives.catalogues import Field
from danvan.initiatives.services import initiative_create
from danvan.orgs.models import OrgKind
from tests.factories import OrganisationFactory
from tests.people import world  # noqa: F401


@pytest.fixture
def yen_giang(areas):
    return areas("Phường Yên Giang", CodeScheme.LEGACY)


@pytest.fixture
def hoi_lhpn(yen_giang):
    return OrganisationFactory(
        code="ORG-HLHPN-YG",
        name="Hội LHPN phường Yên Giang",
        kind=OrgKind.WOMENS_UNION,
        seat_area=yen_giang,
    )


@pytest.fixture
def cultural_houses(hoi_lhpn, yen_giang):
    """The 2024 model "exploiting and managing residential cultural houses"."""
    return initiative_create(
        actor=SYSTEM,
        title="Khai thác, quản lý nhà văn hóa khu dân cư",
        field=Field.CULTURE_SOCIETY,
        organisation=hoi_lhpn,
        area=yen_giang,
        year=2024,
        start_date=datetime.date(2024, 1, 15),
        people_in_charge="Lan",
        tags=["nhà văn hóa", "khu dân cư"],
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def docx_bytes() -> bytes:
    """A minimal Word file: what the sniffer looks for is the ``word/`` part."""
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": "<w:document>Báo cáo 6 tháng</w:document>".encode(),
        }
    )


@pytest.fixture
def xlsx_bytes() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b"<workbook/>",
        }
    )


@pytest.fixture
def docx_bomb() -> bytes:
    """A Word file whose document part unpacks to 50 MB of zeros from a few kilobytes."""
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b"\x00" * (50 * 1024 * 1024),
        }
    )


@pytest.fixture
def lan(lan, hoi_lhpn):
    """Lan, officer of the Women's Union of Yên Giang: she records its figures."""
    from danvan.accounts.models import RoleAssignment

    lan.organisation = hoi_lhpn
    lan.save()
    RoleAssignment.objects.create(user=lan, role="officer", organisation=hoi_lhpn)
    return lan


@pytest.fixture(autouse=True)
def english():
    """Compare labels and messages in English, whatever catalogues are compiled."""
    with translation.override("en"):
        yield
