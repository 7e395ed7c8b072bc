"""The words reports use for fields, kinds of organisation, units and table headers.

Every pattern is matched on folded text (lower case, no diacritics, "đ" as "d"), so a report
typed without marks or with a wrong mark ("kinh tê", "Hôi Nông dân") reads the same.
"""

import re

from danvan.core.text import fold
from danvan.imports.word_reports.numbers import folded
from danvan.initiatives.catalogues import Field, Unit
from danvan.orgs.models import OrgKind

# --- Fields -------------------------------------------------------------------------------------
# Tried in order; the first that matches wins. Short forms (VH-XH, QP-AN) as officers write them.
FIELD_WORDS: list[tuple[str, re.Pattern]] = [
    (Field.PARTY_BUILDING, re.compile(r"xay dung dang|he thong chinh tri|\bxdd\b|\bhttc\b")),
    (
        Field.DEFENCE_SECURITY,
        re.compile(r"quoc phong|an ninh|trat tu|\bqp\s*-?\s*an\b|\bqp\b|\ban\s*-?\s*tt\b"),
    ),
    (Field.CULTURE_SOCIETY, re.compile(r"van hoa|xa hoi|\bvh\s*-?\s*xh\b|giao duc|y te")),
    (Field.ECONOMY, re.compile(r"kinh te|\bkt\b|san xuat|nong nghiep")),
]


def field_of(text: str) -> str:
    """The field a cell or a heading names, or "" when it names none."""
    words = fold(text)
    for field, pattern in FIELD_WORDS:
        if pattern.search(words):
            return field
    return ""


# --- Kinds of organisation ---------------------------------------------------------------------
ORG_WORDS: list[tuple[str, re.Pattern]] = [
    (OrgKind.MASS_MOBILIZATION_COMMISSION, re.compile(r"ban dan van|\bbdv\b")),
    (
        OrgKind.WOMENS_UNION,
        re.compile(r"hoi lhpn|lien hiep phu nu|hoi phu nu|\blhpn\b|\bphu nu\b|\bhpn\b"),
    ),
    (OrgKind.YOUTH_UNION, re.compile(r"doan thanh nien|doan tn|\bdtn\b|\bdoan xa\b|thanh nien")),
    (OrgKind.FARMERS_ASSOCIATION, re.compile(r"hoi nong dan|\bhnd\b|nong dan")),
    (OrgKind.VETERANS_ASSOCIATION, re.compile(r"cuu chien binh|\bccb\b")),
    (OrgKind.FATHERLAND_FRONT, re.compile(r"mat tran|\bmttq\b|\bub mttq\b")),
    (OrgKind.TRADE_UNION, re.compile(r"cong doan")),
    (OrgKind.POLICE, re.compile(r"cong an")),
    (OrgKind.MILITARY, re.compile(r"quan su|\bchqs\b|bien phong|quan doi")),
    (OrgKind.PEOPLES_COMMITTEE, re.compile(r"\bubnd\b|uy ban nhan dan")),
    (OrgKind.PARTY_COMMITTEE, re.compile(r"dang uy|chi bo|huyen uy|tinh uy|thi uy|thanh uy")),
    (OrgKind.SCHOOL, re.compile(r"\btruong\b")),
    (OrgKind.ENTERPRISE, re.compile(r"cong ty|doanh nghiep|hop tac xa|\bhtx\b")),
]


def org_kind_of(text: str) -> str:
    """The kind of organisation a unit's name says ("Hội LHPN xã …" → Women's Union)."""
    words = fold(text)
    for kind, pattern in ORG_WORDS:
        if pattern.search(words):
            return kind
    return ""


# "xã Thiên Lộc", "phường Yên Giang", "thị trấn Nghèn": the unit a name is seated in. The words
# after the kind, up to a comma or the end, are the unit's own name.
AREA_NAME = re.compile(
    r"\b(?P<kind>thi tran|thi xa|thanh pho|phuong|xa|huyen|tinh|dac khu)\s+(?!uy\b)"
    r"(?P<name>[^,;()\n–-]+)",
)
AREA_PREFIX = {
    "thi tran": "Thị trấn",
    "thi xa": "Thị xã",
    "thanh pho": "Thành phố",
    "phuong": "Phường",
    "xa": "Xã",
    "huyen": "Huyện",
    "tinh": "Tỉnh",
    "dac khu": "Đặc khu",
}


def area_name_in(text: str) -> str:
    """The administrative unit a unit's name ends with, written as the official list writes it
    ("Hội LHPN xã Thiên Lộc" → "Xã Thiên Lộc"); "" when there is none. The first such unit is
    the seat: "Đoàn TN xã X, huyện Y" is seated in X."""
    words = folded(text)
    found = AREA_NAME.search(words)
    if found is None:
        return ""
    start, end = found.span("name")
    original = " ".join(text[start:end].split())
    return f"{AREA_PREFIX[found.group('kind')]} {_title(original)}" if original else ""


def _title(name: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


# --- Units --------------------------------------------------------------------------------------
# After a number, on folded text. ``None`` as a unit code means a count of what the noun names.
# "1 tỷ 200 triệu đồng", "3 triệu 500 nghìn đồng": a sum written in two scales.
MONEY_TWO_SCALES = re.compile(
    r"\s*(?P<big>ty|ti|trieu)\s+(?P<rest>\d{1,3})\s*(?P<small>trieu|nghin|ngan)"
    r"\s*(?:dong(?!\s*gop)|vnd|d\b)"
)
MONEY = re.compile(
    r"\s*(?P<scale>nghin|ngan|trieu|ty|ti)?\s*(?P<cur>dong(?!\s*gop)|vnd|vn d\b|d\b)",
)
UNIT_PATTERNS: list[tuple[str, re.Pattern, int]] = [
    (Unit.M2, re.compile(r"\s*(?:m2|m 2|met vuong)(?![\w])"), 1),
    (Unit.M2, re.compile(r"\s*(?:ha|hecta|hec ta)(?![\w])"), 10_000),
    (Unit.KM, re.compile(r"\s*(?:km|ki lo met|kilomet|cay so)(?![\w])"), 1),
    (Unit.M, re.compile(r"\s*(?:m|met)(?![\w²2])(?!\s*vuong)"), 1),
    (Unit.PERCENT, re.compile(r"\s*(?:%|phan tram)"), 1),
    (Unit.PERSON_DAYS, re.compile(r"\s*(?:ngay cong|cong lao dong)(?![\w])"), 1),
    (Unit.HOUSEHOLDS, re.compile(r"\s*(?:ho gia dinh|ho dan|ho)(?![\w])(?!\s*tro)"), 1),
    (Unit.PEOPLE, re.compile(r"\s*(?:luot nguoi|nguoi dan|nguoi|nhan khau)(?![\w])"), 1),
]
# Counted things: "34 vườn tạp", "2 cháu", "16 máy điều hòa". Longest first.
COUNT_NOUNS = sorted(
    [
        "vuon tap",
        "vuon ho",
        "vuon mau",
        "vuon",
        "khu dan cu",
        "khu dan cu kieu mau",
        "chau",
        "em",
        "tuyen duong",
        "tuyen",
        "camera",
        "may dieu hoa",
        "chiec",
        "bo",
        "ngoi nha",
        "can nha",
        "nha",
        "nha van hoa",
        "cot den",
        "bong den",
        "cay xanh",
        "cay",
        "suat qua",
        "xuat qua",
        "phan qua",
        "thon",
        "cau lac bo",
        "to lien gia",
        "to tu quan",
        "to",
        "diem",
        "cuoc",
        "buoi",
        "lop",
    ],
    key=len,
    reverse=True,
)
COUNT_RE = re.compile(r"\s*(?P<noun>" + "|".join(re.escape(n) for n in COUNT_NOUNS) + r")(?![\w])")

# Words before a measure that make it a dimension of something else, not a figure of its own:
# "đường bê tông rộng 3 m", "cao 2 m". After it: "từ 5 m trở lên".
DIMENSION_BEFORE = re.compile(r"(?:\brong|\bcao|\bsau|\bday|\bduong kinh|\blen)\s*(?:tu\s*)?$")
DIMENSION_AFTER = re.compile(r"^\s*(?:tro len|tro xuong)")
# Verbs after which "trên" is "on" (a place), not "more than": "chiếu sáng trên 3 km đường".
PLACE_VERB = re.compile(r"(?:\bsang|\blap|\blap dat|\btrong|\bdat|\bxay|\bve|\bke)\s*$")
# Words that make a money figure an asset's value, and a land figure a donation.
IN_KIND = re.compile(r"tri gia|tuong duong|hien vat|vat chat|vat tu|trang thiet bi|may |tai san")
LAND = re.compile(r"hien\s*(?:\S+\s*){0,2}dat|\bdat\b|giai phong mat bang")
# A range ("từ 5 đến 7 km") or a date is never read as one figure: neither its start nor its end.
RANGE_AFTER = re.compile(r"^\s*(?:-|–|den|toi)\s*\d")
RANGE_BEFORE = re.compile(
    r"\d[\d.,]*\s*(?:nghin|ngan|trieu|ty|ti|%|km|m2|m)?\s*(?:-|–|den|toi)\s*$"
)
# A rate is not a total: "120 triệu đồng/hộ", "40 triệu đồng mỗi nhà".
# Matched on the text as written (lower case, with its marks): "mỗi" (each) and "mới" (new)
# fold alike.
RATE_AFTER = re.compile(r"^\s*(?:/\s*\w|m[ỗổôo]i\b|một (?:hộ|người|năm|tháng)\b)")
# "mỗi nhà 40 triệu đồng": per each, for the person to multiply or not.
PER_EACH_BEFORE = re.compile(r"\bm[ỗổôo]i\s+\S+(?:\s+\S+)?\s*$")
# A change, not a level: "tăng 3,2% so với năm trước".
CHANGE_BEFORE = re.compile(r"\b(?:tang|giam)(?:\s+them)?\s*$")

# --- Table headers -------------------------------------------------------------------------------
HEADER_WORDS: dict[str, re.Pattern] = {
    "number": re.compile(r"^(?:stt|tt|so tt|so thu tu)$"),
    "title": re.compile(r"ten mo hinh|^mo hinh|noi dung mo hinh|ten mo hinh.*dien hinh"),
    "unit": re.compile(r"don vi|co quan|to chuc|chu the"),
    "field": re.compile(r"linh vuc"),
    "result": re.compile(r"ket qua|hieu qua|gia tri"),
    "year": re.compile(r"^nam|nam dang ky|thoi gian"),
    "note": re.compile(r"ghi chu"),
}
TOTAL_ROW = re.compile(r"^(?:tong cong|tong so|tong|cong)\b")
