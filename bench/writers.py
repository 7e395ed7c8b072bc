"""What keeping the rollups costs a save: one writer, and eight at once.

``measure_save_cost`` times ``contribution_add`` with and without the rollup upkeep, each save
in a transaction of its own that is rolled back, so the benchmark leaves the data set as it
found it. ``concurrent_writers`` runs eight writer processes on their own connections, each saving
contributions through the service in its own committed transaction, and times the upkeep of
every save (``danvan.stats.rollups.contribution_recorded``, reached through
``danvan.core.upkeep``); the exactness check afterwards proves no writer lost another's counts.
It runs with the upkeep inline (in the saving transaction) or deferred
(``DANVAN_STATS_UPKEEP=deferred``: the save appends its entry to the pending list, and the
rollups take the pending entries in after the commit, ``danvan.stats.rollups.fold``, timed
apart).
"""

import datetime
import itertools
import multiprocessing
import random
import statistics
import time
from dataclasses import dataclass
from unittest import mock

from django.db import connections, transaction
from django.test.utils import override_settings

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import ContributionKind, ContributorType
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import contribution_add
from danvan.stats import rollups
from danvan.stats.models import PendingEntry


class _RolledBack(Exception):
    """Raised to leave the measuring transaction without committing anything."""


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _save(initiative: Initiative, amount: int, day: datetime.date) -> None:
    contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=day,
        kind=ContributionKind.MONEY,
        amount=amount,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=12,
    )


@dataclass
class SaveCost:
    with_p50: float
    with_p95: float
    without_p50: float
    without_p95: float
    # The upkeep deferred: the save appends its entry to the pending list (no fold: a
    # rolled-back save never commits).
    deferred_p50: float = 0.0
    deferred_p95: float = 0.0


def measure_save_cost(*, repeat: int) -> SaveCost:
    """Time ``contribution_add`` with and without the upkeep, each save in a transaction of
    its own that is rolled back: nothing it saves stays.

    Each save goes to another initiative drawn across the country, on a day of its year, as
    real saves do, and starts from the committed data: saving over and over inside one
    transaction would make each save walk the row versions the earlier ones left on the
    national rows (none can be cleaned up before that transaction ends) and time that
    instead. The commit is not timed (a rolled-back save has none)."""
    ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(11)
    chosen = itertools.cycle(rng.sample(ids, min(len(ids), 2 * repeat + 2)))

    def save_one() -> float:
        initiative = Initiative.objects.get(pk=next(chosen))
        day = datetime.date(initiative.year, rng.randint(1, 12), rng.randint(1, 28))
        try:
            with transaction.atomic():
                started = time.perf_counter()
                _save(initiative, 180_000_000, day)
                elapsed = (time.perf_counter() - started) * 1000
                raise _RolledBack
        except _RolledBack:
            return elapsed

    def samples(runs: int) -> list[float]:
        save_one()
        return [save_one() for _ in range(runs)]

    with_upkeep = samples(repeat)
    with override_settings(STATS_UPKEEP="deferred"):
        deferred = samples(repeat)
    with mock.patch.object(rollups, "contribution_recorded", lambda entry: None):
        without = samples(repeat)
    return SaveCost(
        statistics.median(with_upkeep),
        _percentile(with_upkeep, 0.95),
        statistics.median(without),
        _percentile(without, 0.95),
        statistics.median(deferred),
        _percentile(deferred, 0.95),
    )


@dataclass
class Concurrent:
    writers: int
    saves: int
    seconds: float
    upkeep_p50: float
    upkeep_p95: float
    save_p50: float
    save_p95: float
    errors: list[str]
    upkeep_cpu_p95: float = 0.0
    upkeep: str = "inline"
    folds: int = 0
    folded: int = 0
    fold_p50: float = 0.0
    fold_p95: float = 0.0
    # Entries still pending when every writer had finished (a fold cut short by its rounds).
    left_pending: int = 0


def _writer(number: int, ids: list[int], saves_each: int, seed: int, upkeep_mode: str) -> tuple:
    """One writer process: save ``saves_each`` contributions, each committed, and time the
    upkeep of each (wall time, and the process's own CPU time inside it) and, deferred, each
    fold this process ran after its commits."""
    connections.close_all()  # the parent's connection is not this process's
    rng = random.Random(seed * 100 + number)
    upkeep: list[float] = []
    upkeep_cpu: list[float] = []
    saves: list[float] = []
    errors: list[str] = []
    folds: list[tuple[float, int]] = []
    real, real_fold = rollups.contribution_recorded, rollups.fold

    def timed(entry) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        real(entry)
        upkeep.append((time.perf_counter() - started) * 1000)
        upkeep_cpu.append((time.process_time() - cpu) * 1000)

    def timed_fold(**options) -> int:
        started = time.perf_counter()
        count = real_fold(**options)
        if count:
            folds.append(((time.perf_counter() - started) * 1000, count))
        return count

    try:
        with (
            override_settings(STATS_UPKEEP=upkeep_mode),
            mock.patch.object(rollups, "contribution_recorded", timed),
            mock.patch.object(rollups, "fold", timed_fold),
        ):
            for _ in range(saves_each):
                initiative = Initiative.objects.get(pk=rng.choice(ids))
                day = datetime.date(initiative.year, rng.randint(1, 12), rng.randint(1, 28))
                started = time.perf_counter()
                with transaction.atomic():
                    _save(initiative, rng.randint(1, 500) * 1_000_000, day)
                saves.append((time.perf_counter() - started) * 1000)
    except Exception as error:  # reported, and the run fails
        errors.append(f"writer {number}: {error!r}")
    finally:
        connections.close_all()
    return upkeep, upkeep_cpu, saves, errors, folds


def concurrent_writers(
    *, writers: int = 8, saves_each: int = 50, seed: int = 17, mode: str = "inline"
) -> Concurrent:
    """Run ``writers`` processes (as the web server's workers are: separate processes, each
    with its own connection, no lock shared in Python), each saving ``saves_each``
    contributions (committed) to initiatives drawn across the country, and time the upkeep of
    each save."""
    ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    connections.close_all()  # a forked process must not share the parent's connection
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(writers) as pool:
        done = pool.starmap(_writer, [(n, ids, saves_each, seed, mode) for n in range(writers)])
    seconds = time.perf_counter() - started
    left = PendingEntry.objects.count()
    rollups.fold_waiting()
    upkeep = [ms for one in done for ms in one[0]]
    upkeep_cpu = [ms for one in done for ms in one[1]]
    saves = [ms for one in done for ms in one[2]]
    errors = [error for one in done for error in one[3]]
    folds = [fold for one in done for fold in one[4]]
    fold_ms = [ms for ms, _count in folds]
    return Concurrent(
        writers=writers,
        saves=len(saves),
        seconds=seconds,
        upkeep_p50=statistics.median(upkeep) if upkeep else 0.0,
        upkeep_p95=_percentile(upkeep, 0.95) if upkeep else 0.0,
        save_p50=statistics.median(saves) if saves else 0.0,
        save_p95=_percentile(saves, 0.95) if saves else 0.0,
        errors=errors,
        upkeep_cpu_p95=_percentile(upkeep_cpu, 0.95) if upkeep_cpu else 0.0,
        upkeep=mode,
        folds=len(folds),
        folded=sum(count for _ms, count in folds),
        fold_p50=statistics.median(fold_ms) if fold_ms else 0.0,
        fold_p95=_percentile(fold_ms, 0.95) if fold_ms else 0.0,
        left_pending=left,
    )
