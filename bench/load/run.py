"""``make load``: gunicorn on the national bench database, a locust soak, and a report.

    python -m bench.load.run --users 50 --time 10m

Checks the bench database has every migration of the code, creates three signed-in people in
it (an officer of a Thanh Hóa organisation, a reviewer and a viewer of the province), vacuums the
tables the pages count, starts gunicorn with deploy/gunicorn.conf.py, samples the memory of its
processes every 10 s, runs locust headless, then prints and writes var/load/report.md: sustained
requests per second, p50/p95/p99 overall and per endpoint, errors, memory over time, the
server's own time of the answers (their ``Server-Timing`` header: what the code costs, which a
busy machine blurs less than the client's time) and the machine's load average at the start and
the end (a shared machine's other work shows in the client's figures). It exits 1 when the
targets (no errors, p95 ≤ 200 ms, memory flat within 20 %) are missed.
"""

import argparse
import csv
import math
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.machine import load_average

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
BIN = Path(sys.executable).parent
PASSWORD = "load-test-password-2025"
SETUP = f"""
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.areas.models import Area
from danvan.orgs.models import Organisation
province = Area.objects.get(scheme="legacy", name="Tỉnh Thanh Hóa")
organisation = (
    Organisation.objects.filter(seat_area__path__startswith=province.path + ".")
    .order_by("pk").first()
)
for name, role, scope in [
    ("load_officer", Role.OFFICER, dict(organisation=organisation)),
    ("load_reviewer", Role.REVIEWER, dict(area=province)),
    ("load_leader", Role.VIEWER, dict(area=province)),
]:
    user, _ = User.objects.get_or_create(username=name)
    user.set_password("{PASSWORD}")
    user.is_active = True
    user.save()
    if not RoleAssignment.objects.filter(user=user, role=role).exists():
        RoleAssignment.objects.create(user=user, role=role, **scope)
# A generated database has never been vacuumed (the generator's server may run without
# autovacuum): the visibility map that index-only counts rely on is then empty, as it never is
# on a server whose autovacuum keeps up. Vacuum the tables the pages count, as autovacuum would.
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        for table in ("initiatives_initiative", "areas_area", "orgs_organisation"):
            cursor.execute(f"VACUUM (ANALYZE) {{table}}")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn master and workers), in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def _sample(pid: int, stop: threading.Event, samples: list[tuple[float, float]]) -> None:
    started = time.monotonic()
    while not stop.is_set():
        samples.append((time.monotonic() - started, _rss_mb(pid)))
        stop.wait(10)


def _wait_ready(port: int, timeout: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start; see var/load/gunicorn.log")


def missed_targets(*, failures: int, p95: float, growth: float) -> list[str]:
    """The targets a run missed, each with its figure (none: the run met them all)."""
    checks = [
        (failures > 0, f"zero errors ({failures} errors)"),
        (p95 > 200, f"p95 <= 200 ms ({p95:.0f} ms)"),
        (growth > 20, f"memory flat within 20 % ({growth:+.1f} %)"),
    ]
    return [target for failed, target in checks if failed]


def _rows(stats_csv: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Return locust's aggregated row and the row of each endpoint."""
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    total = [row for row in rows if row["Name"] == "Aggregated"]
    if not total:
        raise SystemExit(f"no aggregated row in {stats_csv}")
    return total[0], [row for row in rows if row["Name"] != "Aggregated"]


def _percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank), 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def _server_times(path: Path) -> dict[str, list[float]]:
    """The server's time (``Server-Timing`` app, ms) of every answer, by endpoint."""
    found: dict[str, list[float]] = {}
    if not path.exists():
        return found
    with path.open() as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["name"], []).append(float(row["app_ms"]))
    return found


def _reference(env: dict[str, str]) -> str:
    """The machine's reference figures (``bench.machine``), on the load test's database."""
    found = subprocess.run(
        [sys.executable, "-m", "bench.machine"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or f"not measured: {found.stderr.strip()[-200:]}"


def _endpoint_lines(rows: list[dict[str, str]], server: dict[str, list[float]]) -> list[str]:
    """The report's table of endpoints: how many requests, errors and how long they took, as
    the client saw it and as the server measured it."""
    lines = [
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | server p50 ms "
        "| server p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        times = server.get(row["Name"], [])
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {_percentile(times, 0.5):.0f} | {_percentile(times, 0.95):.0f} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--time", default="10m", help="locust --run-time, e.g. 10m, 90s")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/danvan_bench"
        ),
    )
    parser.add_argument(
        "--replica",
        action="store_true",
        help="copy the load database into a PostgreSQL primary with a streaming replica made "
        "here (bench.replica), serve with DATABASE_REPLICA_URLS, report the replica's share",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    pair = _replicated_copy(args.database_url) if args.replica else None
    try:
        return _run(args, pair)
    finally:
        if pair is not None:
            pair.__exit__(None, None, None)


REPLICA_DATABASE = "danvan_load"
ACTIVITY = "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s"


def _replicated_copy(source_url: str):
    """A primary holding a copy of the load database, and its streaming replica."""
    import tempfile

    from bench.replica import PostgresPair

    pair = PostgresPair().__enter__()
    try:
        pair.sql(pair.primary_port, f"CREATE DATABASE {REPLICA_DATABASE}")
        with tempfile.NamedTemporaryFile(suffix=".dump") as dump:
            started = time.monotonic()
            subprocess.run(
                [pair.bin / "pg_dump", "-Fc", "--no-owner", "-f", dump.name, source_url],
                check=True,
            )
            subprocess.run(
                [
                    pair.bin / "pg_restore",
                    "--no-owner",
                    "-j",
                    "2",
                    "-d",
                    pair.primary_url(REPLICA_DATABASE),
                    dump.name,
                ],
                check=True,
            )
            print(f"copied the load database in {time.monotonic() - started:.0f} s")
        pair.wait_for_replay(timeout=600)
    except BaseException:
        pair.__exit__(None, None, None)
        raise
    return pair


def _activity(pair) -> dict[str, tuple[int, int]]:
    """Transactions and rows read so far on each server of the pair."""
    import psycopg

    found = {}
    for name, port in (("primary", pair.primary_port), ("replica", pair.replica_port)):
        dsn = f"postgresql://postgres@127.0.0.1:{port}/{REPLICA_DATABASE}"
        with psycopg.connect(dsn, autocommit=True) as connection:
            found[name] = connection.execute(ACTIVITY, [REPLICA_DATABASE]).fetchone()
    return found


def _replica_lines(before: dict, after: dict) -> list[str]:
    moved = {
        name: [a - b for a, b in zip(after[name], before[name], strict=True)] for name in after
    }
    rows = sum(delta[1] for delta in moved.values()) or 1
    transactions = sum(delta[0] for delta in moved.values()) or 1
    return [
        f"- primary: {moved['primary'][0]} transactions, {moved['primary'][1]} rows read",
        f"- replica: {moved['replica'][0]} transactions, {moved['replica'][1]} rows read "
        f"({moved['replica'][1] / rows:.0%} of the rows read, "
        f"{moved['replica'][0] / transactions:.0%} of the transactions)",
    ]


def _run(args, pair) -> int:
    if pair is not None:
        args.database_url = pair.primary_url(REPLICA_DATABASE)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DANVAN_ENV": "development",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "60",
        "LOAD_PASSWORD": PASSWORD,
        "HEALTH_DISK_MIN_FREE_MB": "1",
        # Every simulated person signs in from 127.0.0.1: the per-address limit is for people.
        "LOGIN_ATTEMPTS_PER_MINUTE": "100000",
        "LOAD_SERVER_TIMING": str(OUT / "server_timing.csv"),
    }
    if pair is not None:
        env["DATABASE_REPLICA_URLS"] = pair.replica_url(REPLICA_DATABASE)
        # Every app process must see a client's pin to the primary after its write.
        env.setdefault("CACHE_URL", "redis://127.0.0.1:6379/3")
    if pair is not None:  # the copy is the run's own: bring it up to this code's tables
        subprocess.run([BIN / "danvan", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    unapplied = subprocess.run([BIN / "danvan", "migrate", "--check"], env=env, cwd=ROOT)
    if unapplied.returncode != 0:
        raise SystemExit(
            "The load database lacks migrations of this code: run "
            f"DATABASE_URL={args.database_url} danvan migrate (adds tables and indexes)."
        )
    subprocess.run([BIN / "danvan", "shell", "-c", SETUP], env=env, cwd=ROOT, check=True)
    # Before the server starts, so its workers' start does not slow the reference.
    reference_at_start = _reference(env)
    port = _free_port()
    log = (OUT / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py"],
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "WARNING"},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    (OUT / "server_timing.csv").unlink(missing_ok=True)
    load_at_start = load_average()
    if pair is not None:
        pair.wait_for_replay(timeout=600)
        activity_before = _activity(pair)
    try:
        _wait_ready(port)
        sampler = threading.Thread(target=_sample, args=(server.pid, stop, samples), daemon=True)
        sampler.start()
        subprocess.run(
            [
                BIN / "locust",
                *("-f", ROOT / "bench" / "load" / "locustfile.py", "--headless"),
                *("-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time),
                *("--host", f"http://127.0.0.1:{port}", "--csv", OUT / "result"),
                "--only-summary",
            ],
            env=env,
            cwd=ROOT,
            check=False,
        )
    finally:
        load_at_end = load_average()
        activity_after = _activity(pair) if pair is not None else None
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    row, endpoints = _rows(OUT / "result_stats.csv")
    requests, failures = int(row["Request Count"]), int(row["Failure Count"])
    p50, p95, p99 = (float(row[key]) for key in ("50%", "95%", "99%"))
    rps = float(row["Requests/s"])
    memory = [mb for _, mb in samples]
    # Flat: the last quarter's mean within 20 % of the mean after warm-up (second quarter).
    quarter = max(1, len(memory) // 4)
    warm = sum(memory[quarter : 2 * quarter] or memory) / len(
        memory[quarter : 2 * quarter] or memory
    )
    last = sum(memory[-quarter:]) / len(memory[-quarter:]) if memory else 0.0
    growth = (last - warm) / warm * 100 if warm else 0.0
    server_conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    server_times = _server_times(OUT / "server_timing.csv")
    every_time = [ms for times in server_times.values() for ms in times]
    lines = [
        f"# Load test: {args.users} users for {args.time}",
        "",
        f"- server: gunicorn, {server_conf['workers']} {server_conf.get('worker_class', 'sync')} "
        f"workers × {server_conf.get('threads', 1)} threads, on {os.cpu_count()} cores "
        "shared with locust and PostgreSQL",
        f"- requests: {requests}, errors: {failures}",
        f"- sustained: {rps:.1f} requests/s",
        f"- latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms",
        f"- server time (Server-Timing app, {len(every_time)} answers): "
        f"p50 {_percentile(every_time, 0.5):.0f} ms, p95 {_percentile(every_time, 0.95):.0f} ms, "
        f"p99 {_percentile(every_time, 0.99):.0f} ms",
        f"- machine load average (1 / 5 / 15 min): {load_at_start} at the start, "
        f"{load_at_end} at the end",
        f"- machine reference (`python -m bench.machine`) before the run: {reference_at_start}",
        f"- memory of gunicorn (master + workers): {memory[0] if memory else 0:.0f} MB at start, "
        f"{max(memory or [0]):.0f} MB at most, {last:.0f} MB at the end "
        f"({growth:+.1f} % after warm-up)",
        *(
            _replica_lines(activity_before, activity_after)
            if pair is not None
            else ["- database: one server (run with --replica to serve reads from a replica)"]
        ),
        "",
        *_endpoint_lines(endpoints, server_times),
        "",
        "| seconds | memory MB |",
        "|---:|---:|",
        *(f"| {t:.0f} | {mb:.0f} |" for t, mb in samples),
    ]
    report = "\n".join(lines) + "\n"
    (OUT / "report.md").write_text(report)
    print(report)
    missed = missed_targets(failures=failures, p95=p95, growth=growth)
    if missed:
        print(f"Targets missed: {'; '.join(missed)}.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
