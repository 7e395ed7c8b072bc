"""Time a large import end to end through the product: upload, dry run, apply and rollback,
each done by the real task worker (``danvan db_worker`` in a process of its own), while the
site keeps being asked for other things.

    python -m bench.imports_e2e [--rows 100000] [--kind initiatives|contributions]

Every step is asked for through the services the pages and the API call, and followed as the
import page follows it (its status, every half second). Meanwhile another thread reads the
import through the API with a token (the read that once waited for the apply's write lock)
and ``/health/``, and tries a small write; the slowest answers and their statuses are printed.
The worker is started, and its first heartbeat awaited, before the upload, as on a site where
it is already running. The database is chosen as in ``bench.imports`` (a fresh SQLite file
without ``DATABASE_URL``). For contributions, a tenth as many initiatives are imported first
through the worker (timed on their own lines), and the rollback undone is the ledger's.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.imports import _write_contributions, _write_file
from bench.machine import load_average, reference

ROOT = Path(__file__).resolve().parents[1]


def _wait(batch, states: set[str], timeout: float = 1800) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        batch.refresh_from_db()
        if batch.status in states:
            return time.perf_counter() - started
        time.sleep(0.5)
    raise SystemExit(f"the import stayed {batch.status} for {timeout:.0f} s")


def _start_worker() -> subprocess.Popen:
    """Start the task worker and wait for its first heartbeat: a site's worker is running
    before anyone uploads, so its start-up (Django's, and the first poll's random delay) is
    printed on a line of its own and not counted in the import's steps."""
    from danvan.core.worker import last_beat

    started_at, started = time.time(), time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "-m", "danvan", "db_worker", "--no-reload", "--interval", "0.2"],
        env=os.environ.copy(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    while (last_beat() or 0) < started_at:
        if worker.poll() is not None or time.perf_counter() - started > 120:
            raise SystemExit("the task worker did not start")
        time.sleep(0.05)
    print(f"{'worker started (not counted below)':<44} {time.perf_counter() - started:8.2f} s")
    return worker


class Probe(threading.Thread):
    """Ask the site for other things while the worker works, and keep the answers' times."""

    def __init__(self, token: str, batch_id: int, user_id: int):
        super().__init__(daemon=True)
        self.token, self.batch_id, self.user_id = token, batch_id, user_id
        self.stop = threading.Event()
        self.answers: dict[str, list[tuple[int, float]]] = {}

    def _timed(self, name: str, call) -> None:
        started = time.perf_counter()
        status = call()
        self.answers.setdefault(name, []).append((status, time.perf_counter() - started))

    def run(self) -> None:
        from django.db import OperationalError, connection
        from django.test import Client

        from danvan.accounts.models import ApiToken

        client = Client(HTTP_HOST="localhost", raise_request_exception=False)
        auth = {"HTTP_AUTHORIZATION": f"Token {self.token}"}

        def write() -> int:
            # A small write of its own; it also makes the token's last use stale, so that the
            # next read would write if reads wrote. 503: "busy, try again".
            try:
                ApiToken.objects.filter(user_id=self.user_id).update(last_used_at=None)
            except OperationalError:
                return 503
            return 200

        try:
            while not self.stop.wait(0.5):
                self._timed(
                    "GET /api/v1/imports/{id}/ (token)",
                    lambda: client.get(f"/api/v1/imports/{self.batch_id}/", **auth).status_code,
                )
                self._timed("GET /health/", lambda: client.get("/health/").status_code)
                self._timed("a small write", write)
        finally:
            connection.close()

    def report(self) -> None:
        """Per kind of request: answers, their statuses, p50 / p95 / slowest (the first answer,
        which loads the code, left out)."""
        for name, answers in sorted(self.answers.items()):
            statuses = sorted({status for status, _seconds in answers})
            times = sorted(seconds * 1000 for _status, seconds in answers[1:]) or [0.0]
            p50, p95 = times[len(times) // 2], times[min(len(times) - 1, len(times) * 95 // 100)]
            print(
                f"  {name:<36} {len(answers):5d} answers, statuses {statuses}, "
                f"p50 {p50:5.0f} ms, p95 {p95:5.0f} ms, slowest {times[-1]:5.0f} ms"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=["initiatives", "contributions"], default="initiatives")
    args = parser.parse_args(argv)
    work = (ROOT / "var" / "bench-imports-e2e").resolve()
    work.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        database = work / "db.sqlite3"
        for leftover in work.glob("db.sqlite3*"):
            if leftover.is_file():
                leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DANVAN_DATA_DIR", str(work))
    os.environ.setdefault("MEDIA_ROOT", str(work / "media"))
    os.environ["DANVAN_TASKS_IMMEDIATE"] = "0"
    os.environ["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "")  # shared with the worker
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from danvan.accounts.models import User
    from danvan.accounts.services import api_token_create
    from danvan.areas.models import Area, CodeScheme
    from danvan.imports.models import ImportBatch
    from danvan.imports.services import batch_apply, batch_rollback_request, batch_upload
    from danvan.initiatives.models import Initiative
    from danvan.orgs.models import Organisation, OrgKind

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(scheme=CodeScheme.CURRENT).exists():
        call_command("load_areas", verbosity=0)
    area = Area.objects.get(scheme=CodeScheme.LEGACY, name="Phường Yên Giang")
    organisation, _ = Organisation.objects.get_or_create(
        code="ORG-BENCH-IMPORT",
        defaults={"name": "Hội LHPN (bench)", "kind": OrgKind.WOMENS_UNION, "seat_area": area},
    )
    actor, _ = User.objects.get_or_create(
        username="bench-importer", defaults={"is_superuser": True}
    )
    _token, key = api_token_create(actor=actor, name=f"bench {time.time():.0f}")
    initiative_rows = args.rows if args.kind == "initiatives" else max(args.rows // 10, 1)
    path = work / f"initiatives-{initiative_rows}.xlsx"
    if not path.exists():
        _write_file(path, initiative_rows, organisation.code, area.code)
    print(f"{connection.vendor}, {args.rows:,} rows of {args.kind}, through the worker")
    print(f"{'load average (1 / 5 / 15 min) at the start':<44} {load_average()}")
    print(f"{'machine reference':<44} {reference()}", flush=True)
    worker = _start_worker()
    probe = None

    def upload_and_apply(kind: str, path: Path, *, probed: bool):
        nonlocal probe
        started = time.perf_counter()
        batch = batch_upload(
            actor=actor, kind=kind, upload=SimpleUploadedFile(path.name, path.read_bytes())
        )
        uploaded = time.perf_counter() - started
        if probed:
            probe = Probe(key, batch.pk, actor.pk)
            probe.start()
        checked = _wait(batch, {"validated", "failed"}) + uploaded
        print(f"{'upload + dry run':<44} {checked:8.2f} s   {batch.status}, {batch.creates:,}")
        batch_apply(actor=actor, batch=batch)
        applied = _wait(batch, {"applied", "failed"})
        print(f"{'apply':<44} {applied:8.2f} s   {batch.status}")
        print(f"{'upload + dry run + apply':<44} {checked + applied:8.2f} s", flush=True)
        return batch

    try:
        if args.kind == "contributions":
            print(f"-- first, {initiative_rows:,} initiatives for the entries to belong to")
            upload_and_apply("initiatives", path, probed=False)
            codes = list(
                Initiative.objects.filter(organisation=organisation).values_list("code", flat=True)
            )
            path = work / f"contributions-{args.rows}.xlsx"
            _write_contributions(path, args.rows, codes)
            print(f"-- {args.rows:,} contributions")
        batch = upload_and_apply(args.kind, path, probed=True)
        batch_rollback_request(actor=actor, batch=batch)
        rolled = _wait(batch, {"rolled_back", "applied"})
        print(f"{'rollback':<44} {rolled:8.2f} s   {batch.status}")
        issues = list(ImportBatch.objects.get(pk=batch.pk).issues.values_list("message")[:3])
        if issues:
            print("  issues:", issues)
    finally:
        if probe is not None:
            probe.stop.set()
            probe.join(timeout=30)
        worker.terminate()
        worker.wait(timeout=60)
    print("other requests meanwhile:")
    probe.report()
    print(f"{'load average (1 / 5 / 15 min) at the end':<44} {load_average()}")
    print(f"{'machine reference':<44} {reference()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
