"""Registration rounds, a continuation into the next year, and the 2025 round in every state.

Rounds are opened through ``round_create`` by the province's demo reviewer or administrator, each
with its statistics cut-off on 30 November. The initiatives of a round's year and province (the
published models and the background alike) are then linked to it in one UPDATE per round:
``Initiative.round`` has no service of its own, and the background is bulk-written anyway.

The published models end up completed or running, so the demo adds what a round looks like
while it is open: Thiên Lộc's 2023 model carried into 2024 (returned once, then registered and
started), and registrations of the Fatherland Front of today's Quảng Yên ward in 2025 in each of
the other states: a draft, one waiting for the reviewer, one sent back, one registered after a
correction, one discontinued. Those registrations are illustrative, not from the reports.
"""

import datetime
from dataclasses import dataclass

from danvan.areas.models import Area, CodeScheme
from danvan.areas.selectors import area_coverage_q
from danvan.demo.common import legacy_area, organisation
from danvan.demo.facts import Fact, register
from danvan.demo.population import Generator
from danvan.demo.users import current_successor
from danvan.demo.workflow import walk
from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.lifecycle import initiative_continue
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_update
from danvan.orgs.models import OrgKind
from danvan.review.models import RegistrationRound
from danvan.review.services import round_create


@dataclass(frozen=True)
class RoundSpec:
    year: int
    province: str
    scheme: str  # the province of the round's day: legacy until 2024, current from 2025
    opens_on: datetime.date
    closes_on: datetime.date

    @property
    def cutoff_on(self) -> datetime.date:
        return datetime.date(self.year, 11, 30)


D = datetime.date
ROUNDS = (
    RoundSpec(2023, "Tỉnh Hà Tĩnh", CodeScheme.LEGACY, D(2023, 1, 10), D(2023, 3, 31)),
    RoundSpec(2024, "Tỉnh Hà Tĩnh", CodeScheme.LEGACY, D(2024, 1, 10), D(2024, 3, 31)),
    RoundSpec(2024, "Tỉnh Quảng Ninh", CodeScheme.LEGACY, D(2024, 1, 15), D(2024, 3, 31)),
    # After the reform, the 2025 rounds register on the current units from mid-July.
    RoundSpec(2025, "Tỉnh Hà Tĩnh", CodeScheme.CURRENT, D(2025, 7, 15), D(2025, 9, 30)),
    RoundSpec(2025, "Tỉnh Quảng Ninh", CodeScheme.CURRENT, D(2025, 7, 15), D(2025, 9, 30)),
)
THEME = "Phong trào thi đua “Dân vận khéo” năm {year}"


def ensure_rounds(gen: Generator) -> dict[tuple[int, str], RegistrationRound]:
    """Open the demo's rounds; return them by (year, province name)."""
    rounds = {}
    for spec in ROUNDS:
        area = Area.objects.get(scheme=spec.scheme, name=spec.province, parent=None)
        found = RegistrationRound.objects.filter(year=spec.year, area=area).first()
        rounds[spec.year, spec.province] = found or round_create(
            actor=gen.cast.at("round.manage", area),
            year=spec.year,
            area=area,
            opens_on=spec.opens_on,
            closes_on=spec.closes_on,
            cutoff_on=spec.cutoff_on,
            theme=THEME.format(year=spec.year),
        )
    return rounds


def link_rounds(rounds: dict[tuple[int, str], RegistrationRound]) -> int:
    """Put every initiative of a round's year and province in that round; return how many."""
    linked = 0
    for registration_round in rounds.values():
        linked += (
            Initiative.objects.filter(area_coverage_q(area=registration_round.area))
            .filter(year=registration_round.year, round__isnull=True)
            .update(round=registration_round)
        )
    return linked


def _continue_thien_loc(gen: Generator, rounds) -> Initiative:
    """Carry Thiên Lộc's 2023 model into Hà Tĩnh's 2024 round; returned once, then running."""
    earlier = gen.facts["thien_loc_2023"]
    cast = gen.cast
    successor = initiative_continue(
        actor=cast.actor("initiative.continue", earlier),
        initiative=earlier,
        round=rounds[2024, "Tỉnh Hà Tĩnh"],
    )
    initiative_update(
        actor=cast.actor("initiative.update", successor),
        initiative=successor,
        start_date=datetime.date(2024, 1, 15),
        end_date=datetime.date(2024, 12, 31),
        summary=(
            "Năm 2024 tiếp tục vận động Nhân dân trồng hoa hai bên đường, gắn biển số nhà "
            "và cài đặt ứng dụng dịch vụ công trực tuyến."
        ),
    )
    walk(
        cast,
        successor,
        Status.IN_PROGRESS,
        returned_first="Đề nghị bổ sung chỉ tiêu năm 2024 cho từng thôn.",
    )
    gen.facts["thien_loc_2024"] = successor
    return successor


def _quang_yen_2025(gen: Generator) -> None:
    """Register the 2025 examples of the Fatherland Front of today's Quảng Yên ward."""
    ward = current_successor(legacy_area("Phường Yên Giang", "Thị xã Quảng Yên"))
    front = organisation(ward, OrgKind.FATHERLAND_FRONT)
    examples = [
        ("quang_yen_2025_draft", Status.DRAFT, Field.CULTURE_SOCIETY,
         "Dân vận khéo trong phân loại rác thải tại nguồn ở khu dân cư", "", ""),
        ("quang_yen_2025_submitted", Status.SUBMITTED, Field.PARTY_BUILDING,
         "Dân vận khéo vận động người dân kích hoạt tài khoản định danh điện tử mức độ 2",
         "", ""),
        ("quang_yen_2025_returned", Status.RETURNED, Field.CULTURE_SOCIETY,
         "Tuyến phố văn minh “Sáng – Xanh – Sạch – Đẹp”", "",
         "Đề nghị nêu rõ tuyến phố, số hộ tham gia và phần việc Nhân dân đóng góp."),
        ("quang_yen_2025_registered", Status.REGISTERED, Field.DEFENCE_SECURITY,
         "Camera an ninh kết nối tại các khu dân cư",
         "Làm rõ nguồn kinh phí Nhân dân đóng góp và số camera dự kiến lắp đặt.", ""),
        ("quang_yen_2025_discontinued", Status.DISCONTINUED, Field.ECONOMY,
         "Chợ dân sinh thanh toán không dùng tiền mặt", "",
         "Chợ tạm dừng hoạt động để cải tạo; đơn vị đề nghị dừng mô hình, đăng ký lại năm sau."),
    ]  # fmt: skip
    for key, status, field, title, returned_first, reason in examples:
        register(
            gen,
            Fact(
                key=key,
                title=title,
                field=field,
                organisation=front,
                area=ward,
                year=2025,
                status=status,
                start_date=datetime.date(2025, 8, 1),
                end_date=datetime.date(2026, 7, 31),
                people_in_charge="Đỗ Văn Nam",
                returned_first=returned_first,
                reason=reason,
            ),
            code="",
        )


def load_rounds(gen: Generator, rounds) -> None:
    """Continue Thiên Lộc's model, add the 2025 examples, then link everything to its round."""
    _continue_thien_loc(gen, rounds)
    _quang_yen_2025(gen)
    link_rounds(rounds)
