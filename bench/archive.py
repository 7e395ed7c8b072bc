"""Time a commission's archive brought in through the initiatives import, and check it lands.

    python -m bench.archive [--models 10000]

The archive is ten years (2015–2024) of one province's models, as a commission keeps them:
no codes, a state for each (registered, in progress, completed, discontinued), most models
after their first year continuing the previous year's by title, one in seven exemplary, one in
twenty replicating another unit's model named by its title; an awards sheet, and with
``--grades`` an evaluations sheet (each exemplary model that can be evaluated graded by the
district). The file is checked, applied, its figures compared with the file's own tallies
(models, continued, replicated, exemplary and registered per year, from the statistics'
rollups; the awards per level; the grades per level), then imported again: nothing may
change. Exits 1 when a figure differs or the second import changes anything.

Without ``DATABASE_URL`` a fresh SQLite database is made under ``var/bench-archive/``. The
machine's load average is printed at the start and the end.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from bench.machine import load_average, reference

YEARS = range(2015, 2025)
STATES = ["completed", "completed", "in_progress", "registered", "discontinued"]
ORGANISATIONS = 8


def _timed(label: str, call):
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:8.2f} s", flush=True)
    return result, seconds


REVIEWABLE_STATES = {"completed", "in_progress", "registered"}


def archive_rows(
    models: int, organisations: list[str], area: str
) -> tuple[list[list], dict, list[list], Counter]:
    """The archive's rows and its own tallies per year; its awards sheet and their tallies
    per level: each exemplary model that can be honoured is recognised by the district, every
    other one again by the province (the district's award nominated to it), every third one
    also honours a person at commune level."""
    per_year = max(models // len(YEARS), 1)
    rows, tallies = [], {year: Counter() for year in YEARS}
    awards, award_tallies = [], Counter()
    grades, grade_tallies = [], Counter()
    for year_index, year in enumerate(YEARS):
        for number in range(per_year):
            organisation = organisations[number % len(organisations)]
            title = f"Mô hình {number} của đơn vị {number % len(organisations)}"
            continues = title if year_index and number % 4 else ""
            exemplary = "có" if (number + year) % 7 == 0 else ""
            # A model of the first organisation, replicated by name (its title is unique).
            replicates = ""
            if number % 20 == 1 and number % len(organisations) != 0 and year_index:
                replicates = f"Mô hình 0 của đơn vị 0 năm {year - 1}"
            state = STATES[(number + year) % len(STATES)]
            if number == 0:
                title = f"Mô hình 0 của đơn vị 0 năm {year}"
                continues = ""
            rows.append(
                [
                    title,
                    "economy",
                    organisation,
                    year,
                    area,
                    state,
                    "",
                    continues,
                    exemplary,
                    replicates,
                ]
            )
            tally = tallies[year]
            tally["initiatives"] += 1
            tally["continued"] += bool(continues)
            tally["replicated"] += bool(replicates)
            tally["exemplary"] += bool(exemplary)
            tally["registered"] += 1  # every archive state is registered or later
            if exemplary and state in REVIEWABLE_STATES:
                decision = [f"{number}/QĐ-UBND", f"20/12/{year}", "UBND huyện"]
                model = [title, organisation, year]
                awards.append([*model, "district", "recognised", *decision, "", "", ""])
                award_tallies["district recognised"] += 1
                if number % 2 == 0:
                    province = [f"{number}/QĐ-UBND-T", f"15/03/{year + 1}", "UBND tỉnh"]
                    awards.append([*model, "province", "recognised", *province, "", "", ""])
                    award_tallies["district nominated"] += 1
                    award_tallies["province recognised"] += 1
                if number % 3 == 0:
                    person = ["individual", f"Nguyễn Văn {number}", "resident"]
                    awards.append([*model, "commune", "recognised", *decision, *person])
                    award_tallies["commune individuals"] += 1
                grade = "Xuất sắc" if number % 2 == 0 else "Tốt"
                grades.append([*model, "district", f"10/12/{year}", grade, 90 - number % 10])
                grade_tallies[grade] += 1
    return rows, tallies, awards, award_tallies, grades, grade_tallies


KEYS = [
    "title",
    "field",
    "organisation",
    "year",
    "area_code",
    "status",
    "registration_kind",
    "continues",
    "exemplary",
    "replicated_from",
]


AWARD_KEYS = [
    "model",
    "model_organisation",
    "model_year",
    "level",
    "stage",
    "decision_number",
    "decision_date",
    "issuing_body",
    "recipient_kind",
    "recipient_name",
    "recipient_role",
    "award_title",
]


GRADE_KEYS = [
    "evaluated_model",
    "evaluated_model_organisation",
    "evaluated_model_year",
    "evaluation_level",
    "evaluation_date",
    "grade",
    "total_points",
]


def _write(path: Path, rows: list[list], awards: list[list], grades: list[list]) -> None:
    import xlsxwriter
    from django.utils import translation

    from danvan.imports.kinds import IMPORTERS
    from danvan.imports.kinds.awards import COLUMNS, SHEET

    by_key = {column.key: column for column in IMPORTERS["initiatives"].columns}
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Dữ liệu")
    sheet.write_row(0, 0, [by_key[key].header("vi") for key in KEYS])
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    with translation.override("vi"):
        awards_sheet = book.add_worksheet(str(SHEET))
    by_key = {column.key: column for column in COLUMNS}
    awards_sheet.write_row(0, 0, [by_key[key].header("vi") for key in AWARD_KEYS])
    for number, row in enumerate(awards, start=1):
        awards_sheet.write_row(number, 0, [*row, "exemplary_model"])
    if grades:
        from danvan.imports.kinds.evaluations import COLUMNS as GRADE_COLUMNS
        from danvan.imports.kinds.evaluations import SHEET as GRADES_SHEET

        with translation.override("vi"):
            grades_sheet = book.add_worksheet(str(GRADES_SHEET))
        by_key = {column.key: column for column in GRADE_COLUMNS}
        grades_sheet.write_row(0, 0, [by_key[key].header("vi") for key in GRADE_KEYS])
        for number, row in enumerate(grades, start=1):
            grades_sheet.write_row(number, 0, row)
    book.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument(
        "--grades", action="store_true", help="add an evaluations sheet (the archive's grades)"
    )
    args = parser.parse_args(argv)

    work = Path("var/bench-archive").resolve()
    work.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        database = work / "db.sqlite3"
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DANVAN_DATA_DIR", str(work))
    os.environ.setdefault("MEDIA_ROOT", str(work / "media"))
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    from danvan.accounts.models import Role, RoleAssignment, User
    from danvan.areas.models import Area, CodeScheme
    from danvan.imports.models import ImportBatch
    from danvan.imports.runner import run_batch
    from danvan.orgs.models import Organisation, OrgKind
    from danvan.review.models import Award, AwardTitle, Evaluation
    from danvan.stats.recognition import grade_figures, recognition_figures
    from danvan.stats.selectors import initiative_figures

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(scheme=CodeScheme.CURRENT).exists():
        call_command("load_areas", verbosity=0)
    province = Area.objects.get(scheme=CodeScheme.LEGACY, name="Tỉnh Hà Tĩnh")
    commune = Area.objects.get(scheme=CodeScheme.LEGACY, name="Xã Thiên Lộc")
    codes = []
    for number in range(ORGANISATIONS):
        organisation, _ = Organisation.objects.get_or_create(
            code=f"ORG-ARCHIVE-{number}",
            defaults={
                "name": f"Đơn vị lưu trữ {number}",
                "kind": OrgKind.WOMENS_UNION,
                "seat_area": commune,
            },
        )
        codes.append(organisation.code)
    archivist, _ = User.objects.get_or_create(username="bench-archivist")
    for role in (Role.OFFICER, Role.REVIEWER):
        RoleAssignment.objects.get_or_create(user=archivist, role=role, area=province)

    AwardTitle.objects.get_or_create(
        code="exemplary_model",
        defaults={
            "name_vi": "Mô hình Dân vận khéo tiêu biểu",
            "name_en": "Exemplary Skilled Mass Mobilization model",
            "name_ar": "نموذج تعبئة جماهيرية ماهرة نموذجي",
        },
    )
    rows, tallies, awards, award_tallies, grades, grade_tallies = archive_rows(
        args.models, codes, commune.code
    )
    if not args.grades:
        grades, grade_tallies = [], Counter()
    path = work / f"archive-{len(rows)}.xlsx"
    print(
        f"{connection.vendor}, an archive of {len(rows):,} models over {len(YEARS)} years, "
        f"{len(awards):,} award rows and {len(grades):,} grades"
    )
    print(f"{'load average (1 / 5 / 15 min) at the start':<48} {load_average()}")
    print(f"{'machine reference':<48} {reference()}", flush=True)
    _timed("write the file (XlsxWriter)", lambda: _write(path, rows, awards, grades))

    def run(label: str) -> ImportBatch:
        with path.open("rb") as handle:
            batch = ImportBatch(
                kind="initiatives",
                original_name=path.name,
                requested_by=archivist,
                ui_language="vi",
            )
            batch.file.save(path.name, File(handle), save=True)
        batch, checked = _timed(f"{label}: dry run", lambda: run_batch(batch, apply=False))
        if batch.status != "validated":
            first = batch.issues.values_list("row", "column", "message")[:5]
            print(f"  status {batch.status}: {list(first)}")
            return batch
        batch.applied_by, batch.status = archivist, "applying"
        batch.save()
        batch, applied = _timed(f"{label}: apply", lambda: run_batch(batch, apply=True))
        print(
            f"  {batch.status}: {batch.creates:,} created, {batch.updates:,} updated, "
            f"{batch.unchanged:,} unchanged, {batch.warning_count:,} warnings; "
            f"check + apply {checked + applied:.2f} s"
        )
        return batch

    first = run("first import")
    if first.status != "applied":
        return 1
    found = {
        row["year"]: row
        for row in initiative_figures(
            area=province, year_from=2015, year_to=2024, group_by=["year"]
        )
    }
    wrong = []
    for year, tally in tallies.items():
        for measure, expected in tally.items():
            got = found.get(year, {}).get(measure, 0)
            if got != expected:
                wrong.append(f"{year} {measure}: file {expected}, figures {got}")
    print(
        f"{'figures equal to the file (5 measures × 10 years)':<48} {'yes' if not wrong else 'NO'}"
    )
    levels = {
        row["level"]: row
        for row in recognition_figures(area=province, year_from=2015, year_to=2024)["levels"]
    }
    recognition = Counter(
        {
            "district recognised": levels.get("district", {}).get("recognised", 0),
            "district nominated": levels.get("district", {}).get("nominated", 0),
            "province recognised": levels.get("province", {}).get("recognised", 0),
            "commune individuals": levels.get("commune", {}).get("individuals", 0),
        }
    )
    wrong += [
        f"awards {measure}: file {expected}, figures {recognition[measure]}"
        for measure, expected in award_tallies.items()
        if recognition[measure] != expected
    ]
    print(
        f"{'award figures equal to the file (4 measures)':<48} "
        f"{'yes' if not any(line.startswith('awards') for line in wrong) else 'NO'}"
    )
    if grades:
        found_grades = Counter()
        for row in grade_figures(area=province, year_from=2015, year_to=2024):
            found_grades[row["grade"]] += row["initiatives"]
        wrong += [
            f"grades {grade}: file {expected}, figures {found_grades[grade]}"
            for grade, expected in grade_tallies.items()
            if found_grades[grade] != expected
        ]
        print(
            f"{'grade figures equal to the file':<48} "
            f"{'yes' if not any(line.startswith('grades') for line in wrong) else 'NO'}"
        )
    for line in wrong[:20]:
        print("  " + line)

    def recorded() -> tuple:
        return (
            Award.objects.count(),
            Award.history.count(),
            Evaluation.objects.count(),
            Evaluation.history.count(),
        )

    awards_before = recorded()
    second = run("the same file again")
    unchanged = second.status == "applied" and second.creates == second.updates == 0
    unchanged = unchanged and recorded() == awards_before
    print(f"{'second import changed nothing':<48} {'yes' if unchanged else 'NO'}")
    print(f"{'load average (1 / 5 / 15 min) at the end':<48} {load_average()}")
    print(f"{'machine reference':<48} {reference()}")
    return 0 if not wrong and unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
