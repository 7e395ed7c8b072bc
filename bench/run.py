"""``make bench``: build the national data set in its own PostgreSQL database and time the
dashboard queries against the straightforward GROUP BY over the base tables.

    python -m bench.run [--scale 0.01] [--repeat 30] [--keep]

The database is ``danvan_bench`` on the server of ``BENCH_DATABASE_URL`` (default: the local
PostgreSQL), dropped and made again on each run unless ``--reuse`` is given.
"""

import argparse
import os
import statistics
import sys
import time

import psycopg

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "danvan_bench"


def _recreate_database(server: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")


def _timings(call, repeat: int) -> list[float]:
    call()  # warm the caches once, as a dashboard in use would be
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--direct-repeat",
        type=int,
        default=None,
        help="runs of each direct query (default: a tenth of --repeat, at least 3)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the existing bench database")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even in a pipe

    server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER).rstrip("/")
    if not args.reuse:
        _recreate_database(server)
    os.environ["DATABASE_URL"] = f"{server}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DANVAN_DATA_DIR", os.path.abspath("var/bench"))
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import generate
    from bench.queries import DASHBOARD_QUERIES, measure_save_cost

    if not args.reuse:
        call_command("migrate", verbosity=0)
        call_command("load_areas", verbosity=0)
        from danvan.demo.indicators import ensure_indicators

        ensure_indicators()
        made = generate(scale=args.scale)
        print(
            f"generated {made.initiatives:,} initiatives, {made.contributions:,} contributions, "
            f"{made.results:,} results, {made.organisations:,} organisations "
            f"in {made.seconds:.1f} s"
        )
        started = time.perf_counter()
        call_command("rebuild_rollups", verbosity=0)
        print(f"rollups rebuilt in {time.perf_counter() - started:.1f} s")

    print(f"\n{'query':<44} {'p50 ms':>8} {'p95 ms':>8} {'direct p50':>11} {'ratio':>8}")
    for name, fast, direct in DASHBOARD_QUERIES():
        fast_ms = _timings(fast, args.repeat)
        direct_ms = _timings(direct, args.direct_repeat or max(3, args.repeat // 10))
        ratio = statistics.median(direct_ms) / max(statistics.median(fast_ms), 1e-6)
        print(
            f"{name:<44} {_percentile(fast_ms, 0.5):8.2f} {_percentile(fast_ms, 0.95):8.2f} "
            f"{statistics.median(direct_ms):11.1f} {ratio:7.0f}×"
        )
    with_rollups, without = measure_save_cost(repeat=max(50, args.repeat * 5))
    print(
        f"\ncontribution_add p50: {with_rollups:.2f} ms with rollups, {without:.2f} ms without "
        f"(+{with_rollups - without:.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
