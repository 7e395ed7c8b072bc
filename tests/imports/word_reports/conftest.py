"""Reports built in the tests and uploaded by the shared cast (``tests/people.py``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.initiatives.catalogues import Unit
from tests.factories import IndicatorFactory
from tests.imports.word_reports.builder import Report, Row, TableSpec, build
from tests.people import world  # noqa: F401

TITLE = "Kết quả thực hiện phong trào thi đua “Dân vận khéo” năm 2024"


def yen_giang_report(**changes) -> Report:
    """A report of the Women's Union of Yên Giang ward: two models in a table (one of a unit
    not in the lists), figures in a cell and in a sentence."""
    report = Report(
        name="yen-giang",
        issuer="Hội LHPN phường Yên Giang",
        place="Yên Giang",
        date="ngày 10 tháng 12 năm 2024",
        title=TITLE,
        blocks=[
            TableSpec(
                rows=[
                    Row(
                        "Thắp sáng đường quê khu 1",
                        "Hội LHPN phường Yên Giang",
                        "culture_society",
                        "Văn hóa - xã hội",
                        "Lắp {{m:120}} đèn chiếu sáng",
                    ),
                    Row(
                        "Chi hội phụ nữ 5 không 3 sạch",
                        "Chi hội phụ nữ khu 9",
                        "party_building",
                        "Xây dựng Đảng",
                    ),
                ]
            ),
            (
                "p",
                "Mô hình “Thắp sáng đường quê khu 1” đã vận động hội viên đóng góp "
                "{{money:180000000:trieu:q=hơn}} và {{days:320}}.",
                "Thắp sáng đường quê khu 1",
            ),
        ],
    )
    for name, value in changes.items():
        setattr(report, name, value)
    return report


@pytest.fixture
def lights(db):
    return IndicatorFactory(
        code="lights_m", unit=Unit.M, name_vi="Đường được lắp đèn chiếu sáng", name_en="Lit roads"
    )


@pytest.fixture
def report_file(tmp_path):
    """The bytes of a report built from a spec."""

    def make(report: Report | None = None) -> bytes:
        path = tmp_path / "report.docx"
        build(report or yen_giang_report(), path)
        return path.read_bytes()

    return make


def upload_of(content: bytes, name: str = "bao-cao.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
