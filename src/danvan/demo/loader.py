"""``load_demo``: the demo data set, built from the facts in DOMAIN.md, in one transaction.

Order matters for determinism: the demo people and the rounds, the indicator catalogue, then
Quảng Yên's facts, Hà Tĩnh's facts, then the background, each consuming the one seeded random
stream and the one ``CodeBook`` in the same order on every run. The same seed and scale give the
same rows, codes included. After the code sequences are moved past the demo's codes come the
steps numbered by the services: a continuation, the 2025 examples in every workflow state, the
links to the rounds, evaluations and awards (none of them random).

Idempotence: the whole load is one transaction, so a database holds all of the demo or none of
it. A second run finds the demo's marker organisation and stops at once. To load another seed or
size, start from a fresh database. Loading into a database that already holds initiatives not made
by the demo is refused: the demo's fixed codes could collide with them.
"""

import random
import time
from dataclasses import dataclass, field

from django.db import transaction

from danvan.accounts.models import RoleAssignment
from danvan.areas.models import Area, CodeScheme
from danvan.demo.background import load_background
from danvan.demo.common import CodeBook, DemoError, org_code
from danvan.demo.hatinh import load_ha_tinh
from danvan.demo.indicators import ensure_indicators
from danvan.demo.population import Generator
from danvan.demo.quangyen import load_quang_yen
from danvan.demo.recognition import load_recognition
from danvan.demo.rounds import ensure_rounds, load_rounds
from danvan.demo.users import DemoLogin, demo_logins, ensure_admin, ensure_people
from danvan.demo.workflow import Cast
from danvan.initiatives.models import Contribution, Initiative, Result, StatusChange
from danvan.orgs.models import Organisation, OrgKind
from danvan.review.models import Award, Evaluation, RegistrationRound
from danvan.stats.rebuild import rebuild_rollups

DEFAULT_SEED = 20240701
# The Yên Giang ward People's Committee, one of the first organisations the demo creates (for
# its officer), marks a database that holds the demo.
MARKER_AREA = ("legacy", "07162")


@dataclass
class DemoReport:
    loaded: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)


def _marker_code() -> str:
    area = Area(scheme=MARKER_AREA[0], code=MARKER_AREA[1])
    return org_code(area, OrgKind.PEOPLES_COMMITTEE)


def demo_loaded() -> bool:
    """Tell whether this database already holds the demo."""
    return Organisation.objects.filter(code=_marker_code()).exists()


def _require_areas() -> None:
    if not Area.objects.filter(scheme=CodeScheme.LEGACY).exists() or not (
        Area.objects.filter(scheme=CodeScheme.CURRENT).exists()
    ):
        raise DemoError(
            "The official administrative units are missing. Run `danvan load_areas` first."
        )


def counts() -> dict[str, int]:
    """Return the sizes of the tables the demo fills."""
    return {
        "organisations": Organisation.objects.count(),
        "initiatives": Initiative.objects.count(),
        "contributions": Contribution.objects.count(),
        "results": Result.objects.count(),
        "registration rounds": RegistrationRound.objects.count(),
        "status changes": StatusChange.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "awards": Award.objects.count(),
        "role assignments": RoleAssignment.objects.count(),
    }


def load_demo(*, seed: int = DEFAULT_SEED, background: float = 1.0) -> DemoReport:
    """Load the demo data set; ``background`` scales the generated population (1 = full)."""
    started = time.perf_counter()
    _require_areas()
    with transaction.atomic():
        admin = ensure_admin()
        if demo_loaded():
            logins = [admin, *demo_logins(created=False)]
            return DemoReport(False, time.perf_counter() - started, counts(), logins)
        if Initiative.objects.exists():
            raise DemoError(
                "This database already holds initiatives that are not the demo's; "
                "load the demo into a fresh database."
            )
        cast = Cast(list(ensure_people().values()))
        codes = CodeBook()
        gen = Generator(random.Random(seed), codes, ensure_indicators(), cast)
        rounds = ensure_rounds(gen)
        load_quang_yen(gen)
        load_ha_tinh(gen)
        load_background(gen, scale=background)
        codes.bump_sequences()
        load_rounds(gen, rounds)
        load_recognition(gen, rounds)
        # The background went in with bulk_create, past the services: rebuild the rollups.
        rebuild_rollups()
        logins = [admin, *demo_logins(created=True)]
    return DemoReport(True, time.perf_counter() - started, counts(), logins)
