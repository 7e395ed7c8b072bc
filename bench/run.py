"""``make bench``: build the national data set in its own PostgreSQL database, time every
question of the dashboard, the reports and the stats API against the fair baseline (one plain
SQL statement over the base tables, ``bench.baseline``), time the upkeep of a save alone and
with eight concurrent writers, and end with the exactness check (every rollup equal to the
base tables), failing when it differs.

    python -m bench.run [--scale 0.01] [--repeat 30] [--reuse] [--only TEXT]
                        [--build-only] [--skip-check]

The database is ``danvan_bench`` (or ``BENCH_DATABASE``) on the server of
``BENCH_DATABASE_URL`` (default: the local PostgreSQL), dropped and made again on each run
unless ``--reuse`` is given.
"""

import argparse
import os
import statistics
import sys
import time

import psycopg

from bench.machine import load_average, reference

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
# BENCH_DATABASE names another database, so a small run can go beside a full-scale one.
DATABASE = os.environ.get("BENCH_DATABASE", "danvan_bench")


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
    parser.add_argument("--only", default="", help="time only the questions whose name has this")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the questions whose name has this"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline queries")
    parser.add_argument(
        "--core", action="store_true", help="one question of each kind, on three scopes"
    )
    parser.add_argument("--writers", type=int, default=8, help="concurrent writers")
    parser.add_argument("--saves-each", type=int, default=50, help="saves of each writer")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the data set and its rollups, then stop (time it later with --reuse)",
    )
    parser.add_argument(
        "--skip-check",
        action="store_true",
        help="leave out the closing exactness check (about an hour at full scale)",
    )
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
    from bench.queries import api_questions, page_questions
    from bench.writers import concurrent_writers, measure_save_cost

    if not args.reuse:
        call_command("migrate", verbosity=0)
        call_command("load_areas", verbosity=0)
        from danvan.demo.indicators import ensure_indicators

        ensure_indicators()
        made = generate(scale=args.scale)
        print(
            f"generated {made.initiatives:,} initiatives, {made.contributions:,} contributions, "
            f"{made.results:,} results, {made.organisations:,} organisations, "
            f"{made.awards:,} awards, {made.evaluations:,} evaluations in {made.seconds:.1f} s"
        )
        started = time.perf_counter()
        call_command("rebuild_rollups", verbosity=0)
        print(f"rollups rebuilt in {time.perf_counter() - started:.1f} s")
        _vacuum()
    if args.build_only:
        return 0
    machine = [f"at the start: load average {load_average()}, reference {reference()}"]
    print(f"machine {machine[0]}")

    rows = []
    misses = []
    print(f"\n{'question':<72} {'p50 ms':>8} {'p95 ms':>8} {'base p50':>9} {'ratio':>7}")
    questions = list(api_questions(args.core)) + list(page_questions(args.core))
    if args.only:
        questions = [q for q in questions if args.only in q.name]
    questions = [q for q in questions if not any(text in q.name for text in args.skip)]
    for question in questions:
        fast_ms = _timings(question.answer, args.repeat)
        p50, p95 = _percentile(fast_ms, 0.5), _percentile(fast_ms, 0.95)
        base = None
        if question.baseline is not None and not args.no_baseline:
            base_ms = _timings(
                lambda q=question: _run_sql(q.baseline),
                args.direct_repeat or max(3, args.repeat // 10),
            )
            base = statistics.median(base_ms)
        ratio = base / max(p50, 1e-6) if base is not None else None
        limit = 20.0 if question.kind == "api" else 50.0
        missed = p95 > limit or (ratio is not None and ratio < 100)
        if missed:
            misses.append(question.name)
        rows.append((question, p50, p95, base, ratio, missed))
        print(
            f"{question.name[:72]:<72} {p50:8.2f} {p95:8.2f} "
            f"{'' if base is None else f'{base:9.1f}':>9} "
            f"{'' if ratio is None else f'{ratio:6.0f}×':>7}{'  MISS' if missed else ''}"
        )

    cost = measure_save_cost(repeat=max(50, args.repeat * 5))
    print(
        f"\ncontribution_add (one writer, rolled back): p50 {cost.with_p50:.2f} ms with the "
        f"upkeep, {cost.without_p50:.2f} ms without (+{cost.with_p50 - cost.without_p50:.2f}); "
        f"p95 {cost.with_p95:.2f} / {cost.without_p95:.2f} ms; the upkeep deferred: p50 "
        f"{cost.deferred_p50:.2f} ms, p95 {cost.deferred_p95:.2f} ms"
    )
    runs = [
        concurrent_writers(writers=args.writers, saves_each=args.saves_each, mode=mode)
        for mode in ("inline", "deferred")
    ]
    for run in runs:
        print(_writers_line(run))
        for error in run.errors:
            print(f"  {error}")
    errors = [error for run in runs for error in run.errors]
    machine.append(f"at the end: load average {load_average()}, reference {reference()}")
    print(f"machine {machine[1]}")
    _report(args, rows, cost, runs, machine)

    if args.skip_check:
        print("\nexactness check left out (--skip-check)")
        return 1 if errors else 0
    from danvan.stats.exactness import rollup_differences

    started = time.perf_counter()
    differences = rollup_differences()
    wrong = {table: count for table, count in differences.items() if count}
    print(
        f"\nexactness check ({time.perf_counter() - started:.1f} s): "
        + ("every rollup equals the base tables" if not wrong else f"DIFFERENT: {wrong}")
    )
    if misses:
        print(f"{len(misses)} of {len(rows)} questions miss a goal (p95 or 100× the baseline)")
    return 1 if wrong or errors else 0


def _writers_line(run) -> str:
    line = (
        f"{run.writers} concurrent writers, upkeep {run.upkeep}: {run.saves} saves in "
        f"{run.seconds:.1f} s ({run.saves / run.seconds:.0f} a second); upkeep per save p50 "
        f"{run.upkeep_p50:.2f} ms, p95 {run.upkeep_p95:.2f} ms (its own CPU time p95 "
        f"{run.upkeep_cpu_p95:.2f} ms); whole save p50 {run.save_p50:.2f} ms, "
        f"p95 {run.save_p95:.2f} ms"
    )
    if run.upkeep == "deferred":
        line += (
            f"; {run.folds} folds of {run.folded} entries after the commits "
            f"({run.folded / max(run.folds, 1):.1f} a fold), fold p50 {run.fold_p50:.2f} ms, "
            f"p95 {run.fold_p95:.2f} ms; {run.left_pending} left pending at the end"
        )
    return line


def _run_sql(sql) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql.text, sql.params)
        cursor.fetchall()


def _vacuum() -> None:
    """Vacuum and analyse the fresh tables, as autovacuum does on a running server: a freshly
    generated database has no visibility map, so nothing is read from an index alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _report(args, rows, cost, runs, machine: list[str]) -> None:
    """Write the figures as a Markdown table (var/bench/report.md) for docs/performance.md."""
    path = os.path.join(os.environ["DANVAN_DATA_DIR"], "report.md")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [
        f"scale {args.scale}, repeat {args.repeat}",
        "",
        *(f"- machine {line}" for line in machine),
        "",
        "| question | p50 ms | p95 ms | baseline p50 ms | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for question, p50, p95, base, ratio, missed in rows:
        mark = " ✗" if missed else ""
        lines.append(
            f"| {question.name} | {p50:.1f} | {p95:.1f} | "
            f"{'' if base is None else f'{base:,.0f}'} | "
            f"{'' if ratio is None else f'{ratio:,.0f}×'}{mark} |"
        )
    lines += [
        "",
        f"one writer: p50 {cost.with_p50:.2f} ms with upkeep, {cost.without_p50:.2f} without; "
        f"p95 {cost.with_p95:.2f} / {cost.without_p95:.2f}; deferred p50 "
        f"{cost.deferred_p50:.2f}, p95 {cost.deferred_p95:.2f}",
        *(_writers_line(run) for run in runs),
    ]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"report: {path}")


if __name__ == "__main__":
    sys.exit(main())
