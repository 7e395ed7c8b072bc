"""The letterhead of a unit's report: its document settings, or, until its administrators set
them, a header built from the unit's name (the Party committee's Ban Dân vận of that unit),
complete enough to print and to be corrected by hand.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.areas.models import Area, AreaKind
from danvan.reports.models import DocumentSettings, Report
from danvan.reports.official_form import FormKind, Letterhead, formula

# The Party committee of each kind of unit, and the letters its Ban Dân vận signs with
# ("BC/BDVTU": báo cáo of the Ban Dân vận of a Tỉnh ủy).
COMMITTEES = {
    AreaKind.PROVINCE: ("TỈNH ỦY", "TU"),
    AreaKind.CENTRAL_CITY: ("THÀNH ỦY", "TU"),
    AreaKind.DISTRICT: ("HUYỆN ỦY", "HU"),
    AreaKind.URBAN_DISTRICT: ("QUẬN ỦY", "QU"),
    AreaKind.TOWN: ("THỊ ỦY", "TU"),
    AreaKind.PROVINCIAL_CITY: ("THÀNH ỦY", "TU"),
    AreaKind.COMMUNE: ("ĐẢNG ỦY XÃ", "ĐU"),
    AreaKind.WARD: ("ĐẢNG ỦY PHƯỜNG", "ĐU"),
    AreaKind.TOWNSHIP: ("ĐẢNG ỦY THỊ TRẤN", "ĐU"),
    AreaKind.SPECIAL_ZONE: ("ĐẢNG ỦY ĐẶC KHU", "ĐU"),
}
# The kind words a unit's name starts with ("Tỉnh Quảng Ninh" is written "Quảng Ninh" in the
# place-and-date line), longest first.
NAME_PREFIXES = (
    "Thành phố ",
    "Thị trấn ",
    "Thị xã ",
    "Đặc khu ",
    "Phường ",
    "Huyện ",
    "Quận ",
    "Tỉnh ",
    "Xã ",
)


def place_name(area: Area | None) -> str:
    """The unit's name without its kind ("Quảng Ninh"); Hà Nội for the country."""
    if area is None:
        return "Hà Nội"
    for prefix in NAME_PREFIXES:
        if area.name.startswith(prefix):
            return area.name[len(prefix) :]
    return area.name


def default_settings(area: Area | None) -> DocumentSettings:
    """The settings a unit's reports use until its administrators set their own (not saved)."""
    if area is None:
        return DocumentSettings(
            issuer_lines="BAN CHẤP HÀNH TRUNG ƯƠNG\nBAN DÂN VẬN",
            symbol="BC/BDVTW",
            place=place_name(None),
            authority="T/M BAN DÂN VẬN",
            position="TRƯỞNG BAN",
            recipients="Lưu Văn phòng",
        )
    committee, letters = COMMITTEES.get(area.kind, ("", ""))
    place = place_name(area)
    return DocumentSettings(
        area=area,
        issuer_lines=f"{committee} {place}".strip().upper() + "\nBAN DÂN VẬN",
        symbol=f"BC/BDV{letters}",
        place=place,
        authority="T/M BAN DÂN VẬN",
        position="TRƯỞNG BAN",
        recipients="Lưu Văn phòng",
    )


def settings_of(area: Area | None) -> DocumentSettings:
    """The unit's own document settings, or the defaults built from its name."""
    found = DocumentSettings.objects.filter(area=area).first()
    return found or default_settings(area)


def letterhead_of(
    settings: DocumentSettings,
    *,
    language: str,
    kind: str,
    summary: str,
    number: str = "",
    date=None,
    year: int | None = None,
) -> Letterhead:
    """The letterhead of a document headed by ``settings``, in ``language``."""
    return Letterhead(
        form=settings.form or FormKind.PARTY,
        language=language,
        issuer_lines=DocumentSettings.lines(settings.issuer_lines),
        number=number or "",
        symbol=settings.symbol,
        place=settings.place,
        date=date,
        year=year or (date.year if date else None),
        kind=kind,
        summary=summary,
        authority=settings.authority,
        position=settings.position,
        signatory=settings.signatory,
        recipients=DocumentSettings.lines(settings.recipients),
    )


def report_letterhead(report: Report, settings: DocumentSettings, title: str) -> Letterhead:
    """The periodic report's letterhead: "BÁO CÁO" and the report's own title as summary."""
    with translation.override(report.language):
        kind = formula("report", report.language)
        summary = _("The “Skilled Mass Mobilization” emulation movement: %(title)s") % {
            "title": title
        }
    return letterhead_of(
        settings,
        language=report.language,
        kind=kind,
        summary=summary,
        number=report.number,
        date=report.issued_on,
        year=report.issued_on.year if report.issued_on else timezone.localdate().year,
    )
