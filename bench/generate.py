"""Generate a national-scale data set inside PostgreSQL, fast.

The default is the size of the whole movement over 15 years: 1,000,000 initiatives,
10,000,000 contributions and 5,000,000 results on the real legacy communes of 35 provinces.
``scale`` shrinks every count (0.001 gives 1,000 initiatives). Rows are made by
``INSERT … SELECT generate_series`` in the database itself, so no Python loop touches them.

Distribution, by field: economy 41%, culture–society 30%, defence–security 17%, Party
building 12% (Hà Tĩnh's report since 2013); about a quarter replicated; years 2011–2025.
"""

import time
from dataclasses import dataclass

from django.db import connection, transaction

FULL_INITIATIVES = 1_000_000
CONTRIBUTIONS_PER_INITIATIVE = 10
RESULTS_PER_INITIATIVE = 5
PROVINCES = 35
FIRST_YEAR, LAST_YEAR = 2011, 2025
ORG_KINDS = [
    "womens_union",
    "youth_union",
    "fatherland_front",
    "peoples_committee",
    "farmers_association",
]


@dataclass
class Generated:
    organisations: int
    initiatives: int
    contributions: int
    results: int
    seconds: float
    awards: int = 0
    evaluations: int = 0


def _execute(sql: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def generate(*, scale: float = 1.0) -> Generated:
    """Fill the base tables; the official units must be loaded and the tables empty."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The national data set is generated on PostgreSQL only.")
    started = time.perf_counter()
    initiatives = max(10, int(FULL_INITIATIVES * scale))
    with transaction.atomic():
        _execute("DROP TABLE IF EXISTS bench_commune")
        # The legacy communes of the first PROVINCES provinces, numbered 0..n-1.
        _execute(
            """
            CREATE TEMP TABLE bench_commune AS
            SELECT row_number() OVER (ORDER BY c.id) - 1 AS n, c.id AS area_id
            FROM areas_area c JOIN areas_area d ON d.id = c.parent_id
            WHERE c.scheme = 'legacy' AND c.level = 3
              AND d.parent_id IN (
                SELECT id FROM areas_area WHERE scheme = 'legacy' AND level = 1
                ORDER BY code LIMIT %s)
            """,
            [PROVINCES],
        )
        kinds = len(ORG_KINDS)
        organisations = _execute(
            """
            INSERT INTO orgs_organisation
                (code, name, name_folded, kind, seat_area_id, created_at, updated_at)
            SELECT 'BENCH-ORG-' || c.n || '-' || k.i,
                   'Đơn vị ' || c.n || '-' || k.i, 'don vi ' || c.n || '-' || k.i,
                   (%s::text[])[k.i + 1], c.area_id, now(), now()
            FROM bench_commune c CROSS JOIN generate_series(0, %s - 1) AS k(i)
            """,
            [ORG_KINDS, kinds],
        )
        _execute("DROP TABLE IF EXISTS bench_org")
        _execute(
            """
            CREATE TEMP TABLE bench_org AS
            SELECT row_number() OVER (ORDER BY o.id) - 1 AS n, o.id, o.seat_area_id
            FROM orgs_organisation o WHERE o.code LIKE 'BENCH-ORG-%%'
            """
        )
        _execute("CREATE INDEX ON bench_org (n)")
        _execute(
            """
            INSERT INTO initiatives_initiative
                (code, title, title_folded, summary, field, organisation_id, area_id, year,
                 registration_kind, status, exemplary, people_in_charge, version,
                 created_at, updated_at, start_date)
            SELECT 'BENCH-' || g, 'Mô hình dân vận khéo ' || g, 'mo hinh dan van kheo ' || g, '',
                   CASE WHEN g %% 100 < 41 THEN 'economy'
                        WHEN g %% 100 < 71 THEN 'culture_society'
                        WHEN g %% 100 < 88 THEN 'defence_security'
                        ELSE 'party_building' END,
                   o.id, o.seat_area_id,
                   %s + (g / 7) %% %s,
                   'new',
                   (ARRAY['registered','in_progress','completed','completed','completed',
                          'discontinued','submitted','draft'])[1 + (g / 3) %% 8],
                   g %% 37 = 0, '', 1, now(), now(),
                   make_date((%s + (g / 7) %% %s)::int, (1 + g %% 12)::int, (1 + g %% 28)::int)
            FROM generate_series(1, %s) AS g
            JOIN bench_org o ON o.n = (g::bigint * 7919) %% (SELECT count(*) FROM bench_org)
            """,
            [
                FIRST_YEAR,
                LAST_YEAR - FIRST_YEAR + 1,
                FIRST_YEAR,
                LAST_YEAR - FIRST_YEAR + 1,
                initiatives,
            ],
        )
        # One in five continues last year's initiative of the same organisation slot.
        _execute(
            """
            UPDATE initiatives_initiative i
            SET registration_kind = 'continued', continued_from_id = i.id - 7
            WHERE i.code LIKE 'BENCH-%%' AND i.id %% 5 = 1
              AND EXISTS (SELECT 1 FROM initiatives_initiative s WHERE s.id = i.id - 7)
            """
        )
        # A quarter of the initiatives replicate an earlier one.
        _execute(
            """
            UPDATE initiatives_initiative i SET replicated_from_id = i.id - 4
            WHERE i.code LIKE 'BENCH-%%' AND i.id %% 4 = 0
              AND EXISTS (SELECT 1 FROM initiatives_initiative s WHERE s.id = i.id - 4)
            """
        )
        contributions = _execute(
            """
            INSERT INTO initiatives_contribution
                (initiative_id, date, kind, amount, description, contributor_type,
                 contributors, created_at)
            SELECT i.id,
                   make_date(i.year::int, (1 + (i.id + k) %% 12)::int, (1 + (i.id * k) %% 28)::int),
                   (ARRAY['money','money','money','land','labour','in_kind'])[1 + (i.id + k) %% 6],
                   CASE (i.id + k) %% 6
                        WHEN 3 THEN 20 + (i.id * 13 + k) %% 400
                        WHEN 4 THEN 5 + (i.id * 7 + k) %% 200
                        ELSE 1000000 * (1 + (i.id * 31 + k) %% 300) END,
                   '', (ARRAY['households','individuals','businesses','benefactors'])
                       [1 + (i.id + k) %% 4],
                   1 + (i.id + k) %% 120, now()
            FROM initiatives_initiative i CROSS JOIN generate_series(1, %s) AS k
            WHERE i.code LIKE 'BENCH-%%'
            """,
            [CONTRIBUTIONS_PER_INITIATIVE],
        )
        results = _execute(
            """
            INSERT INTO initiatives_result
                (initiative_id, indicator_id, value, target, period_end, note)
            SELECT i.id, ind.id, (1 + (i.id * 17 + k) %% 90)::numeric, NULL,
                   make_date(i.year::int, 12, 31), ''
            FROM initiatives_initiative i CROSS JOIN generate_series(1, %s) AS k
            JOIN LATERAL (
                SELECT id FROM initiatives_indicator ORDER BY id
                OFFSET ((i.id + k) %% GREATEST((SELECT count(*) FROM initiatives_indicator), 1))
                LIMIT 1) ind ON true
            WHERE i.code LIKE 'BENCH-%%'
            """,
            [RESULTS_PER_INITIATIVE],
        )
        awards, evaluations = generate_recognition()
    _execute("ANALYZE")
    return Generated(
        organisations=organisations,
        initiatives=initiatives,
        contributions=contributions,
        results=results,
        seconds=time.perf_counter() - started,
        awards=awards,
        evaluations=evaluations,
    )


def generate_recognition() -> tuple[int, int]:
    """Awards and evaluations of the generated initiatives, so the recognition figures (the
    dashboard's and the reports') are timed on a realistic number of rows, not on none.

    One initiative in ten has an evaluation from a commission's archive (its grade); one in
    twenty-five is recognised at commune level, one in a hundred nominated on to the district
    and one in four hundred commended by the province; one in fifty also honours a person.
    Returns the awards and the evaluations made.
    """
    from danvan.review.models import AwardTitle

    title, _ = AwardTitle.objects.get_or_create(
        code="BENCH-EXEMPLARY",
        defaults={
            "name_vi": "Mô hình Dân vận khéo tiêu biểu",
            "name_en": "Exemplary Skilled Mass Mobilization model",
            "name_ar": "نموذج التعبئة الجماهيرية الماهرة المثالي",
        },
    )
    awards = _execute(
        """
        INSERT INTO review_award
            (initiative_id, title_id, level, stage, decision_number, decision_date,
             issuing_body, decision_file, recipient_kind, recipient_name, recipient_role,
             recipient_detail, created_at)
        SELECT i.id, %s, a.level,
               CASE WHEN a.level = 'province' THEN 'commended'
                    WHEN a.level = 'district' OR i.id %% 100 <> 0 THEN 'recognised'
                    ELSE 'nominated' END,
               i.year || '/QĐ-' || i.id, make_date(i.year::int, 12, 15), '', '',
               a.kind,
               CASE WHEN a.kind = 'individual' THEN 'Nguyễn Văn ' || i.id ELSE '' END,
               CASE WHEN a.kind = 'individual' THEN 'resident' ELSE '' END,
               '', now()
        FROM initiatives_initiative i
        JOIN (VALUES ('commune', 'collective', 25), ('district', 'collective', 100),
                     ('province', 'collective', 400), ('commune', 'individual', 50))
             AS a(level, kind, every) ON i.id %% a.every = 0
        WHERE i.code LIKE 'BENCH-%%' AND i.status IN ('registered', 'in_progress', 'completed')
        """,
        [title.pk],
    )
    evaluations = _execute(
        """
        INSERT INTO review_evaluation
            (initiative_id, level, total, grade, comment, archived, created_at)
        SELECT i.id, 'commune', 60 + i.id %% 40,
               (ARRAY['Xuất sắc', 'Tốt', 'Khá'])[1 + i.id %% 3], '', true,
               make_date(i.year::int, 12, 1)
        FROM initiatives_initiative i
        WHERE i.code LIKE 'BENCH-%%' AND i.id %% 10 = 0
        """
    )
    return awards, evaluations
