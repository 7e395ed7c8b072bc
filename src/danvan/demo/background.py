"""The generated background: every year from 2013 to 2025 in five provinces.

Sizing. Hà Tĩnh's report says that from 2013 it "built and replicated over 19,300 models":
economy ~8,000, culture–society >5,800, defence–security >3,300, Party building 2,200. The
report is of 2023, so the demo makes Hà Tĩnh's initiatives of 2013–2023 (published facts plus
background) come out at exactly 8,000 / 5,810 / 3,310 / 2,200 = 19,320 at full size, about a
third of them replications of earlier models; 2024 and 2025 add more on top. That is about 25,000
initiatives in all with their ledgers and results, written with ``bulk_create`` in about ten
seconds on SQLite, so the full figures are kept rather than scaled down. ``scale`` shrinks every
generated count (tests use a few per cent); the published facts and the fillers that make
Quảng Yên's and Can Lộc's published counts exact are never scaled.

Years 2013–2024 are registered on legacy units (districts still existed); 2025's are registered
from July on the current units that succeed the province's legacy communes.
"""

import random
from dataclasses import dataclass

from django.db.models import Count, Q

from danvan.areas.models import Area, AreaLevel, AreaSuccession, CodeScheme
from danvan.demo.common import FIRST_YEAR, LAST_YEAR
from danvan.demo.hatinh import CAN_LOC_YEAR
from danvan.demo.population import ACTIVE, Generator, Planned
from danvan.demo.quangyen import YEAR as QUANG_YEN_YEAR
from danvan.demo.templates import FIELD_WEIGHTS
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Initiative

HA_TINH_TARGETS = {
    Field.ECONOMY: 8_000,
    Field.CULTURE_SOCIETY: 5_810,
    Field.DEFENCE_SECURITY: 3_310,
    Field.PARTY_BUILDING: 2_200,
}
HA_TINH_REPORT_YEARS = range(FIRST_YEAR, 2024)
REPLICATION_SHARE = 0.3


@dataclass(frozen=True)
class ProvinceSpec:
    name: str  # the legacy province
    per_year: int  # models a year around 2019, before scaling
    exact_fields: dict | None = None  # Hà Tĩnh: exact totals by field over the report's years
    excluded: tuple[tuple[str, str, int], ...] = ()  # (district, province, year) left alone


PROVINCES = (
    ProvinceSpec(
        "Tỉnh Hà Tĩnh",
        1_900,
        HA_TINH_TARGETS,
        (("Huyện Can Lộc", "Tỉnh Hà Tĩnh", CAN_LOC_YEAR),),
    ),
    ProvinceSpec(
        "Tỉnh Quảng Ninh", 160, None, (("Thị xã Quảng Yên", "Tỉnh Quảng Ninh", QUANG_YEN_YEAR),)
    ),
    ProvinceSpec("Tỉnh Nghệ An", 110),
    ProvinceSpec("Tỉnh Thái Bình", 60),
    ProvinceSpec("Thành phố Cần Thơ", 50),
)


def year_weight(year: int) -> float:
    """Later years register more models; the reform year only its second half."""
    weight = 0.7 + 0.05 * (year - FIRST_YEAR)
    return weight * 0.5 if year == LAST_YEAR else weight


def allocate(total: int, weights: dict) -> dict:
    """Split ``total`` over the keys of ``weights`` in whole numbers that add up exactly."""
    whole = sum(weights.values())
    shares = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    leftover = total - sum(counts.values())
    for key in sorted(shares, key=lambda k: counts[k] - shares[k])[:leftover]:
        counts[key] += 1
    return counts


class Seats:
    """Where a province's models can be registered: its units of each level and scheme."""

    def __init__(self, spec: ProvinceSpec):
        self.province = Area.objects.get(scheme=CodeScheme.LEGACY, name=spec.name)
        under = Area.objects.filter(path__startswith=self.province.subtree_prefix)
        official = under.filter(scheme=CodeScheme.LEGACY).order_by("code")
        self.communes = list(official.filter(level=AreaLevel.COMMUNE))
        self.districts = list(official.filter(level=AreaLevel.DISTRICT))
        successors = AreaSuccession.objects.filter(
            predecessor__in=[self.province, *self.communes],
            is_default=True,
            successor__scheme=CodeScheme.CURRENT,
        ).values_list("successor_id", flat=True)
        current = Area.objects.filter(pk__in=set(successors)).order_by("code")
        self.current_province = next(a for a in current if a.level == AreaLevel.PROVINCE)
        self.current_communes = [a for a in current if a.level == AreaLevel.COMMUNE]
        self.excluded = {
            year: Area.objects.get(scheme=CodeScheme.LEGACY, name=name, parent__name=parent)
            for name, parent, year in spec.excluded
        }

    def pick(self, rng: random.Random, year: int) -> Area:
        """Pick a seat: mostly communes, some districts and the province itself."""
        roll = rng.random()
        if year == LAST_YEAR:
            return self.current_province if roll < 0.05 else rng.choice(self.current_communes)
        while True:
            if roll < 0.03:
                seat = self.province
            elif roll < 0.12:
                seat = rng.choice(self.districts)
            else:
                seat = rng.choice(self.communes)
            left_out = self.excluded.get(year)
            if left_out is None or not (seat == left_out or seat.parent_id == left_out.pk):
                return seat
            roll = rng.random()


def _existing_by_field(seats: Seats, years: range) -> dict[str, int]:
    """Count the province's initiatives of ``years`` already there (the published facts)."""
    rows = (
        Initiative.objects.filter(
            Q(area__path__startswith=seats.province.subtree_prefix) | Q(area=seats.province),
            year__in=list(years),
        )
        .values("field")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["field"]: row["n"] for row in rows}


def _field_counts(spec: ProvinceSpec, seats: Seats, scale: float, rng: random.Random) -> dict:
    """Return {year: {field: count}} for one province."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    counts: dict[int, dict[str, int]] = {}
    exact_years = HA_TINH_REPORT_YEARS if spec.exact_fields else range(0)
    if spec.exact_fields:
        existing = _existing_by_field(seats, exact_years)
        by_year: dict[str, dict[int, int]] = {}
        for field, target in spec.exact_fields.items():
            wanted = max(0, round(target * scale) - existing.get(field, 0))
            by_year[field] = allocate(wanted, {y: year_weight(y) for y in exact_years})
        for year in exact_years:
            counts[year] = {field: by_year[field][year] for field in spec.exact_fields}
    for year in years:
        if year in exact_years:
            continue
        total = round(spec.per_year * scale * year_weight(year) / year_weight(2019))
        fields = rng.choices(list(FIELD_WEIGHTS), weights=list(FIELD_WEIGHTS.values()), k=total)
        counts[year] = {field: fields.count(field) for field in FIELD_WEIGHTS}
    return counts


def load_background(gen: Generator, *, scale: float = 1.0) -> int:
    """Generate the background population year by year; return how many initiatives."""
    provinces = [(spec, Seats(spec)) for spec in PROVINCES]
    plan = [(seats, _field_counts(spec, seats, scale, gen.rng)) for spec, seats in provinces]
    # Replication sources: earlier years' models of the same province and field.
    origins: dict[tuple[int, str], list[tuple[int, object]]] = {}
    created = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        slots = []
        for seats, counts in plan:
            for field, count in counts[year].items():
                for _ in range(count):
                    seat = seats.pick(gen.rng, year)
                    slots.append((seats, field, seat, gen.kind_for(field)))
        gen.orgs.ensure([(seat, kind) for _, _, seat, kind in slots])
        plans = []
        for seats, field, seat, kind in slots:
            sources = origins.get((seats.province.pk, field))
            source = None
            if sources and gen.rng.random() < REPLICATION_SHARE:
                source = gen.rng.choice(sources)
            plans.append(
                Planned(
                    year,
                    field,
                    gen.orgs.get(seat, kind),
                    seat,
                    source[1] if source else gen.template(field),
                    replicated_from_id=source[0] if source else None,
                    after_reform=year == LAST_YEAR,
                )
            )
        built = gen.build(plans)
        created += len(built)
        for initiative, planned, slot in zip(built, plans, slots, strict=True):
            if planned.replicated_from_id is None and initiative.status in ACTIVE:
                key = (slot[0].province.pk, initiative.field)
                origins.setdefault(key, []).append((initiative.pk, planned.template))
    return created
