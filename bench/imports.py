"""Time a large import: the bare parse of the file, then the check, the apply and the rollback.

    python -m bench.imports [--rows 100000] [--kind initiatives|contributions] [--no-rollback]

For contributions, a tenth as many initiatives are imported first (timed on their own line), so
the ledger rows spread over them as they do in a real file: about ten entries an initiative.

Without ``DATABASE_URL`` a fresh SQLite database is made under ``var/bench-imports/`` (the
official units are loaded into it, about 10 s, not timed). With ``DATABASE_URL`` set the import
runs against that database and leaves its rows there: point it at a scratch database.
The machine's load average is printed at the start and the end: on a shared machine the other
work shows in the times.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from bench.machine import load_average, reference


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_file(path: Path, rows: int, organisation: str, area: str) -> None:
    import xlsxwriter

    from danvan.imports.kinds import IMPORTERS

    columns = IMPORTERS["initiatives"].columns
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, [column.header("vi") for column in columns])
    fields = ["Kinh tế", "culture_society", "Quốc phòng – an ninh", "party_building"]
    for number in range(1, rows + 1):
        sheet.write_row(
            number,
            0,
            [
                "",
                f"Mô hình dân vận khéo số {number}",
                fields[number % 4],
                organisation,
                2024,
                area,
                "",
                f"{number % 28 + 1:02d}/{number % 12 + 1:02d}/2024",
                "",
                "Vận động nhân dân hiến đất, góp công làm đường",
                "Nguyễn Văn A",
            ],
        )
    book.close()


def _write_contributions(path: Path, rows: int, codes: list[str]) -> None:
    import xlsxwriter

    from danvan.imports.kinds import IMPORTERS

    columns = IMPORTERS["contributions"].columns
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, [column.header("vi") for column in columns])
    kinds = ["money", "land", "labour", "money", "in_kind"]
    for number in range(1, rows + 1):
        kind = kinds[number % len(kinds)]
        sheet.write_row(
            number,
            0,
            [
                codes[number % len(codes)],
                f"{number % 28 + 1:02d}/{number % 12 + 1:02d}/2024",
                kind,
                f"{(number % 500 + 1) * 10_000:,}".replace(",", "."),
                "households",
                number % 40 + 1,
                "Xi măng, cát" if kind == "in_kind" else "",
            ],
        )
    book.close()


def _timed(label: str, call):
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.2f} s   peak RSS {_peak_mb():7.0f} MB", flush=True)
    return result, seconds


def _timed_parse(path: Path, kind: str) -> None:
    from python_calamine import CalamineWorkbook

    from danvan.imports.kinds import IMPORTERS
    from danvan.imports.reading import open_table

    print(f"{'file size':<44} {path.stat().st_size / 1e6:8.1f} MB")

    def bare_parse() -> int:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return sum(1 for _ in sheet.iter_rows())

    _timed("bare parse (calamine, every row)", bare_parse)
    columns = IMPORTERS[kind].columns
    _timed(
        "safe read (checks + header + rows)", lambda: sum(1 for _ in open_table(path, columns).rows)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=["initiatives", "contributions"], default="initiatives")
    parser.add_argument(
        "--no-rollback", dest="rollback", action="store_false", help="leave the import applied"
    )
    args = parser.parse_args(argv)

    work = Path("var/bench-imports").resolve()
    work.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        database = work / "db.sqlite3"
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "0")  # no query log: it would hold every statement
    os.environ.setdefault("DANVAN_DATA_DIR", str(work))
    os.environ.setdefault("MEDIA_ROOT", str(work / "media"))
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    from danvan.accounts.models import User
    from danvan.areas.models import Area, CodeScheme
    from danvan.imports.models import ImportBatch
    from danvan.imports.runner import run_batch
    from danvan.imports.services import batch_rollback
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

    def import_file(kind: str, path: Path, rows: int) -> tuple[float, float]:
        with path.open("rb") as handle:
            batch = ImportBatch(
                kind=kind, original_name=path.name, requested_by=actor, ui_language="en"
            )
            batch.file.save(path.name, File(handle), save=True)
        batch, checked = _timed(
            "dry run (every row built and validated)", lambda: run_batch(batch, apply=False)
        )
        print(f"  status {batch.status}, creates {batch.creates:,}, errors {batch.error_count:,}")
        batch.applied_by = actor
        batch.status = "applying"
        batch.save()
        batch, applied = _timed(
            "apply (bulk writes, one transaction)", lambda: run_batch(batch, apply=True)
        )
        print(f"  status {batch.status}, creates {batch.creates:,}")
        print(
            f"{'check + apply':<44} {checked + applied:8.2f} s "
            f"({rows / (checked + applied):,.0f} rows/s)"
        )
        if args.rollback and args.kind == kind:
            batch, _seconds = _timed(
                "rollback (set-based, one transaction)",
                lambda: batch_rollback(actor=actor, batch=batch),
            )
            print(f"  status {batch.status}")
        return checked, applied

    initiative_rows = args.rows if args.kind == "initiatives" else max(args.rows // 10, 1)
    path = work / f"initiatives-{initiative_rows}.xlsx"
    print(f"{connection.vendor}, {args.rows:,} rows of {args.kind}", flush=True)
    print(f"{'load average (1 / 5 / 15 min) at the start':<44} {load_average()}")
    print(f"{'machine reference':<44} {reference()}", flush=True)
    if args.kind == "contributions":
        print(f"-- first, {initiative_rows:,} initiatives for the entries to belong to")
    _timed(
        "write the file (XlsxWriter)",
        lambda: _write_file(path, initiative_rows, organisation.code, area.code),
    )
    if args.kind == "initiatives":
        _timed_parse(path, "initiatives")
    import_file("initiatives", path, initiative_rows)
    if args.kind == "contributions":
        codes = list(
            Initiative.objects.filter(organisation=organisation).values_list("code", flat=True)
        )
        path = work / f"contributions-{args.rows}.xlsx"
        print(f"-- {args.rows:,} contributions")
        _timed("write the file (XlsxWriter)", lambda: _write_contributions(path, args.rows, codes))
        _timed_parse(path, "contributions")
        import_file("contributions", path, args.rows)
    print(f"{'load average (1 / 5 / 15 min) at the end':<44} {load_average()}")
    print(f"{'machine reference':<44} {reference()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
