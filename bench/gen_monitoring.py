"""Generate a large alliance for the monitoring benchmark (issue 7).

    python3 -m uv run python bench/gen_monitoring.py        # 20,000 enterprises, 300
        universities, 200,000 students, 100,000 internships, 1,000,000 applications,
        50,000 partnerships, and courses, bases, events, competitions and a survey

The base (organizations, students with competencies, internships with requirements) is
bench/gen_alliance.py's; this adds the cooperation the monitoring views count, in
set-based SQL, deterministically. BENCH_DATABASE_URL defaults to a `cbec_bench_monitoring`
database on the local PostgreSQL, rebuilt from the migrations.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gen_alliance  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_monitoring"
MODES = [
    "internship-employment",
    "co-developed-courses",
    "joint-training-bases",
    "joint-competitions",
    "lectures",
    "joint-teaching",
]
STATUSES = ["submitted", "shortlisted", "rejected", "offered", "accepted", "completed", "withdrawn"]


def cooperation(a, v) -> list[tuple[str, str]]:
    """(label, SQL) adding applications, hires, partnerships and the shared activity."""
    uni, ent_first = a.universities, 1 + a.universities
    comps = v["competencies"]
    arr = gen_alliance._array
    now = "now()"
    return [
        (
            "applications",
            f"""INSERT INTO applications (internship_id, student_id, university_id, status,
                created_at, updated_at, status_changed_at)
            SELECT i, s, 1 + s % {uni}, ({arr(STATUSES)})[1 + (g * 3 + g / 11) % 7],
                {now} - interval '1 hour' * (g % 17000), {now},
                {now} - interval '1 hour' * (g % 16000)
            FROM (SELECT g, 1 + (g::bigint * 7919) % {a.internships} AS i,
                         1 + (g::bigint * 104729 + g / {a.internships}) % {a.students} AS s
                  FROM generate_series(1, {a.applications}) g) x
            ON CONFLICT DO NOTHING""",
        ),
        (
            "hires",
            """INSERT INTO hires (application_id, enterprise_id, university_id, student_id,
                created_at)
            SELECT ap.id, i.enterprise_id, ap.university_id, ap.student_id, ap.status_changed_at
            FROM applications ap JOIN internships i ON i.id = ap.internship_id
            WHERE ap.status = 'completed' AND ap.id % 5 < 2""",
        ),
        (
            "partnerships",
            f"""INSERT INTO partnerships (enterprise_id, university_id, starts_on, ends_on, goals,
                status, proposed_by_org_id, created_at, updated_at, status_changed_at,
                accepted_at, flagged)
            SELECT e, u, current_date - (g % 900), current_date + 700 - (g % 900),
                json_build_object('interns_per_year', 1 + g % 6, 'courses', g % 3),
                (ARRAY['active','active','active','active','active','active','active',
                       'proposed','suspended','ended'])[1 + g % 10],
                e, {now}, {now}, {now}, {now} - interval '1 day' * (g % 400), g % 50 = 0
            FROM (SELECT g, {ent_first} + g % {a.enterprises} AS e,
                         1 + (g / {a.enterprises} * 37 + g * 13) % {uni} AS u
                  FROM generate_series(1, {a.partnerships}) g) x
            ON CONFLICT DO NOTHING""",
        ),
        (
            "partnership_modes",
            f"""INSERT INTO partnership_modes (partnership_id, mode)
            SELECT p.id, ({arr(MODES)})[1 + (p.id + k * 2) % {len(MODES)}]
            FROM partnerships p, generate_series(0, 2) k WHERE k <= p.id % 3""",
        ),
        (
            "courses",
            f"""INSERT INTO courses (university_id, code, title, description, credits, hours,
                semester, language, capacity, enrolled_count, status, version, created_at,
                updated_at, published_at)
            SELECT 1 + g % {uni}, 'C' || g, '跨境电商课程 ' || g, '校企共建', 2, 32, '2026-fall',
                'zh', 20 + g % 40, 0, CASE WHEN g % 5 = 0 THEN 'draft' ELSE 'published' END, 1,
                {now} - interval '1 day' * (g % 500), {now}, {now}
            FROM generate_series(1, {a.courses}) g""",
        ),
        (
            "course_competencies",
            f"""INSERT INTO course_competencies (course_id, code)
            SELECT c.id, ({arr(comps)})[1 + (c.id * 3 + k * 5) % {len(comps)}]
            FROM courses c, generate_series(0, 1) k""",
        ),
        (
            "course_partners",
            f"""INSERT INTO course_partners (course_id, enterprise_id, state, decided_at)
            SELECT p.course_id, p.enterprise_id, 'confirmed', {now} - interval '1 day' * (p.n % 300)
            FROM (SELECT c.id AS course_id, pa.enterprise_id, c.id AS n
                  FROM courses c JOIN LATERAL (SELECT enterprise_id FROM partnerships
                      WHERE university_id = c.university_id ORDER BY id OFFSET c.id % 50 LIMIT 1)
                  pa ON true) p""",
        ),
        (
            "training_bases",
            f"""INSERT INTO training_bases (name, host_enterprise_id, district, capacity, status,
                level, created_at, decided_at)
            SELECT '实训基地 ' || g, {ent_first} + (g * 17) % {a.enterprises},
                {gen_alliance._pick(v["districts"], "g")}, 20 + g % 30, 'approved',
                (ARRAY['municipal','provincial','national'])[1 + g % 3], {now},
                {now} - interval '1 day' * (g % 700)
            FROM generate_series(1, {a.bases}) g""",
        ),
        (
            "training_base_universities",
            f"""INSERT INTO training_base_universities (base_id, university_id)
            SELECT id, 1 + (id * 7) % {uni} FROM training_bases""",
        ),
        (
            "training_base_competencies",
            f"""INSERT INTO training_base_competencies (base_id, code)
            SELECT id, ({arr(comps)})[1 + id % {len(comps)}] FROM training_bases""",
        ),
        (
            "training_base_sessions",
            f"""INSERT INTO training_base_sessions (base_id, university_id, date, students,
                created_at)
            SELECT b.id, 1 + (b.id * 7) % {uni}, current_date - (b.id + k * 37) % 400,
                5 + k % 10, {now}
            FROM training_bases b, generate_series(1, 5) k""",
        ),
        (
            "events",
            f"""INSERT INTO events (kind, host_organization_id, university_id, title, speaker,
                location, starts_at, ends_at, capacity, registered_count, status, created_at)
            SELECT 'lecture', {ent_first} + (g * 11) % {a.enterprises}, 1 + g % {uni},
                '企业讲座 ' || g, '讲师', '报告厅', {now} - interval '1 day' * (g % 600),
                {now} - interval '1 day' * (g % 600) + interval '2 hours', 100, 0, 'scheduled',
                {now}
            FROM generate_series(1, {a.events}) g""",
        ),
        # The later partner-matching modes' signals (issue 20).
        (
            "employee counts",
            """UPDATE organizations
            SET employee_count = (ARRAY[NULL, 8, 40, 120, 600, 2400]::int[])[1 + id % 6]
            WHERE kind = 'enterprise'""",
        ),
        ("full-time postings", "UPDATE internships SET kind = 'full_time' WHERE id % 10 = 0"),
        (
            "enterprise teacher users",
            f"""INSERT INTO users (email, name, password_hash, platform_role, language,
                is_active, created_at, password_changed_at)
            SELECT 't' || g || '@bench.cn', '企业导师' || g, 'x', 'user', 'zh', true, {now}, {now}
            FROM generate_series(1, {a.enterprises // 4}) g""",
        ),
        (
            "enterprise teachers",
            f"""INSERT INTO enterprise_teachers (user_id, enterprise_id, title,
                years_of_practice, created_at, updated_at)
            SELECT id, {ent_first} + (substr(email, 2, strpos(email, '@') - 2)::int * 4)
                % {a.enterprises}, '运营总监', 3 + id % 12, {now}, {now}
            FROM users WHERE email LIKE 't%@bench.cn'""",
        ),
        (
            "enterprise teacher fields",
            f"""INSERT INTO enterprise_teacher_fields (user_id, code)
            SELECT t.user_id, ({arr(comps)})[1 + (t.user_id + k * 3) % {len(comps)}]
            FROM enterprise_teachers t, generate_series(0, 1) k ON CONFLICT DO NOTHING""",
        ),
    ]


def surveys(url: str, a) -> None:
    """Last year's closed and this year's open talent-demand survey, with responses from a
    quarter of the enterprises (three competencies, two majors and one job category each)."""
    import psycopg

    os.environ.update(DATABASE_URL=url)  # the rest of the environment: gen_alliance.reset
    from cbec_alliance import create_app
    from cbec_alliance.accounts.models import User
    from cbec_alliance.core.db import commit
    from cbec_alliance.extensions import db
    from cbec_alliance.surveys import services

    ids = []
    with create_app().app_context():
        coordinator = db.session.get(User, a.students + 1)
        for year, status in ((2025, "closed"), (2026, "open")):
            survey = services.create(
                coordinator,
                {
                    "title": f"{year} 跨境电商人才需求调查",
                    "year": year,
                    "template": "talent-demand",
                    "distributed": a.enterprises,
                },
            )
            survey.status = status
            ids.append(survey.id)
        commit()
    with psycopg.connect(url, autocommit=True) as conn:
        comps = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM taxonomy_items WHERE vocabulary = 'competencies' ORDER BY code"
            )
        ]
        majors = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM taxonomy_items WHERE vocabulary = 'majors' ORDER BY code"
            )
        ]
        cats = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM taxonomy_items WHERE vocabulary = 'job-categories' ORDER BY code"
            )
        ]
        arr = gen_alliance._array
        ent_first = 1 + a.universities
        for k, survey_id in enumerate(ids):
            t = time.perf_counter()
            conn.execute(
                f"""INSERT INTO survey_responses (survey_id, enterprise_id, answers, created_at)
                SELECT {survey_id}, {ent_first} + g * 4 + {k}, '{{}}', now()
                FROM generate_series(0, {a.enterprises // 4 - 1}) g"""
            )
            for question, codes, per in (
                ("competencies", comps, 3),
                ("majors", majors, 2),
                ("job_category", cats, 1),
            ):
                conn.execute(
                    f"""INSERT INTO survey_answers (response_id, survey_id, question_code,
                        option_code)
                    SELECT r.id, {survey_id}, '{question}',
                        ({arr(codes)})[1 + (r.id * 7 + j * 3 + {k}) % {len(codes)}]
                    FROM survey_responses r, generate_series(0, {per - 1}) j
                    WHERE r.survey_id = {survey_id}
                    ON CONFLICT DO NOTHING"""
                )
            print(f"survey {survey_id:<21} {time.perf_counter() - t:6.1f} s", flush=True)
        conn.execute("VACUUM ANALYZE")


def main() -> None:
    """Rebuild and fill the database, printing each step's time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--universities", type=int, default=300)
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--internships", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--courses", type=int, default=3_000)
    parser.add_argument("--bases", type=int, default=1_000)
    parser.add_argument("--events", type=int, default=5_000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    t0 = time.perf_counter()
    gen_alliance.reset(url)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        vocab = gen_alliance.vocabularies(conn)
        steps = [s for s in gen_alliance.statements(args, vocab) if s[0] != "analyze"]
        for label, sql in steps + cooperation(args, vocab):
            t = time.perf_counter()
            cur = conn.execute(sql)
            rows = f"{cur.rowcount:,} rows" if cur.rowcount >= 0 else ""
            print(f"{label:<28} {time.perf_counter() - t:6.1f} s  {rows}", flush=True)
    surveys(url, args)
    print(f"total {time.perf_counter() - t0:.1f} s  ({url})")


if __name__ == "__main__":
    main()
