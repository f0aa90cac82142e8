"""Generate programmes at alliance scale for bench/programmes.py (issue 20).

    python3 -m uv run python bench/gen_programmes.py     # 300 universities, 2,000
        enterprises, 5,000 programmes, 200,000 cohort members, 12,000 university teachers
    python3 -m uv run python bench/gen_programmes.py --sqlite sqlite:////tmp/programmes.db
        # then copy every generated table into a SQLite database built by the migrations

Set-based SQL on PostgreSQL (as bench/gen_placements.py), deterministic. Organizations,
students (one membership each) and the coordinator are bench/gen_alliance.py's; this adds:
- programmes of the three kinds (order class, apprenticeship, industry college), programme p
  of university 1 + p % U, each university's of every kind and state; 10% proposed, 20%
  confirmed, 50% running, 20% closed; cohorts of 30-69 places, intakes 2024-2027;
- 1-3 partner enterprises each (pending while proposed, 1 in 12 declined otherwise); an
  order class's partners commit 5-14 positions and have offered 0 up to all of them;
- one application per student to a programme of the student's university that is past
  `proposed`: 50% admitted (selected by both sides, the enterprise a partner; in a closed
  programme most completed, some hired by a partner), 20% applied, 20% rejected, 10%
  withdrawn; `admitted_count` is the admitted members' count;
- 40 university teachers per university (staff members), 70% teaching a CBEC major, 1 in 10
  with an industry title; every other teacher has 1-3 practice stays at enterprises over the
  last five years (8 in 10 confirmed), so the dual-qualified share is partial;
- 2 enterprise teachers per enterprise and 3 teaching assignments per programme past
  `proposed` (accepted, proposed, declined; hours partly delivered);
- a university staff user (university 1) and an enterprise staff user (the first partner
  enterprise) for the scoped reports.

BENCH_DATABASE_URL defaults to `cbec_bench_programmes` on the local PostgreSQL; it is wiped
and rebuilt by the migrations.
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

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_programmes"
KINDS = ["order_class", "apprenticeship", "industry_college"]
STATES = (
    "(ARRAY['proposed','confirmed','confirmed','running','running','running','running',"
    "'running','closed','closed'])"
)
MEMBER_STATES = (
    "(ARRAY['admitted','admitted','admitted','admitted','admitted','applied','applied',"
    "'rejected','rejected','withdrawn'])"
)
CBEC = ["e-commerce", "international-business", "international-economics-trade", "marketing",
        "logistics-management"]  # fmt: skip
TEACHERS_PER_UNIVERSITY = 40
TEACHERS_PER_ENTERPRISE = 2
# The tables this generator fills, parents first (the SQLite copy follows this order).
TABLES = [
    "organizations", "users", "memberships", "programmes", "programme_partners",
    "programme_members", "university_teachers", "university_teacher_majors", "practice_stays",
    "enterprise_teachers", "teaching_assignments",
]  # fmt: skip


def ids(a) -> dict[str, int]:
    """The first user id of each kind of person (students are 1..students)."""
    uni_teachers = a.universities * TEACHERS_PER_UNIVERSITY
    return {
        "coordinator": a.students + 1,
        "uni_staff": a.students + 2,
        "ent_staff": a.students + 3,
        "uni_teacher": a.students + 10,
        "ent_teacher": a.students + 10 + uni_teachers,
        "end": a.students + 10 + uni_teachers + a.enterprises * TEACHERS_PER_ENTERPRISE,
    }


def _people(a, v) -> list[tuple[str, str]]:
    """Staff users, teachers' users and memberships, teacher profiles and majors."""
    n = ids(a)
    u, ent_first = a.universities, 1 + a.universities
    majors = CBEC + [m for m in v["majors"] if m not in CBEC]
    return [
        (
            "staff and teacher users",
            f"""INSERT INTO users (id, email, name, password_hash, platform_role, language,
                is_active, created_at, password_changed_at)
            SELECT g, 't' || g || '@bench.cn',
                CASE WHEN g >= {n["ent_teacher"]} THEN '企业导师' ELSE '专业教师' END || g,
                'x', 'user', 'zh', true, now(), now()
            FROM generate_series({n["uni_staff"]}, {n["end"] - 1}) g
            WHERE g = {n["uni_staff"]} OR g = {n["ent_staff"]} OR g >= {n["uni_teacher"]}""",
        ),
        ("user sequence", "SELECT setval('users_id_seq', (SELECT max(id) FROM users))"),
        (
            "staff memberships",
            f"""INSERT INTO memberships (user_id, organization_id, role, created_at)
            VALUES ({n["uni_staff"]}, 1, 'staff', now()),
                   ({n["ent_staff"]}, {ent_first}, 'staff', now())
            UNION ALL
            SELECT g, 1 + (g - {n["uni_teacher"]}) % {u}, 'staff', now()
            FROM generate_series({n["uni_teacher"]}, {n["ent_teacher"] - 1}) g
            UNION ALL
            SELECT g, {ent_first} + (g - {n["ent_teacher"]}) % {a.enterprises}, 'staff', now()
            FROM generate_series({n["ent_teacher"]}, {n["end"] - 1}) g""",
        ),
        (
            "university_teachers",
            f"""INSERT INTO university_teachers (user_id, university_id, industry_title,
                created_at, updated_at)
            SELECT g, 1 + (g - {n["uni_teacher"]}) % {u},
                CASE WHEN g % 10 = 3 THEN '高级电子商务师' END, now(), now()
            FROM generate_series({n["uni_teacher"]}, {n["ent_teacher"] - 1}) g""",
        ),
        # 70% teach a CBEC major first; a third a second major of any kind.
        (
            "university_teacher_majors",
            f"""INSERT INTO university_teacher_majors (user_id, code)
            SELECT DISTINCT user_id, code FROM (
                SELECT user_id, CASE WHEN user_id % 10 < 7
                    THEN {gen_alliance._pick(CBEC, "user_id / 7")}
                    ELSE {gen_alliance._pick(majors[len(CBEC) :], "user_id")} END AS code
                FROM university_teachers
                UNION ALL
                SELECT user_id, {gen_alliance._pick(majors, "user_id * 3 + 1")}
                FROM university_teachers WHERE user_id % 3 = 0) x""",
        ),
        (
            "enterprise_teachers",
            f"""INSERT INTO enterprise_teachers (user_id, enterprise_id, title, years_of_practice,
                bio, created_at, updated_at)
            SELECT g, {ent_first} + (g - {n["ent_teacher"]}) % {a.enterprises}, '运营总监',
                3 + g % 12, '跨境电商一线经验', now(), now()
            FROM generate_series({n["ent_teacher"]}, {n["end"] - 1}) g""",
        ),
    ]


def _programmes(a, v) -> list[tuple[str, str]]:
    """Programmes, partners, cohort members, the admitted counts."""
    u, e, ent_first = a.universities, a.enterprises, 1 + a.universities
    pick = gen_alliance._pick
    return [
        (
            "programmes",
            f"""INSERT INTO programmes (id, kind, university_id, name, description, major,
                intake_year, cohort_size, admitted_count, months_per_year, state, created_at)
            SELECT p, kind, 1 + p % {u},
                CASE kind WHEN 'order_class' THEN '跨境电商订单班' WHEN 'apprenticeship'
                    THEN '现代学徒制班' ELSE '跨境电商产业学院' END || p,
                '校企合作培养', {pick(v["majors"], "p * 7")}, 2024 + (p / {u}) % 4,
                30 + (p * 7 + p / {u}) % 40, 0,
                CASE WHEN kind = 'apprenticeship' THEN 6 END, {STATES}[1 + (p * 3 + p / {u}) % 10],
                now() - interval '1 day' * (p % 700)
            FROM (SELECT p, ({gen_alliance._array(KINDS)})[1 + (p + p / {u}) % 3] AS kind
                  FROM generate_series(1, {a.programmes}) p) x""",
        ),
        (
            "programme sequence",
            "SELECT setval('programmes_id_seq', (SELECT max(id) FROM programmes))",
        ),
        (
            "programme_partners",
            f"""INSERT INTO programme_partners (programme_id, enterprise_id, state, reason,
                decided_at, committed_positions, offered_positions)
            SELECT id, ent, st, CASE WHEN st = 'declined' THEN '岗位已满' END,
                CASE WHEN st <> 'pending' THEN now() END, committed,
                CASE WHEN st = 'confirmed' AND state IN ('running', 'closed')
                     THEN least(committed, (id + k * 5) % 16) ELSE 0 END
            FROM (SELECT p.id, p.state, k,
                         {ent_first} + (p.id * 7 + k * 131) % {e} AS ent,
                         CASE WHEN p.state = 'proposed' THEN 'pending'
                              WHEN (p.id + k) % 12 = 5 AND k > 0 THEN 'declined'
                              ELSE 'confirmed' END AS st,
                         CASE WHEN p.kind = 'order_class' THEN 5 + (p.id + k) % 10 ELSE 0 END
                             AS committed
                  FROM programmes p, generate_series(0, 2) k WHERE k <= p.id % 3) x""",
        ),
        (
            "programme_members",
            f"""WITH eligible AS (
                SELECT id, university_id, state,
                    row_number() OVER (PARTITION BY university_id ORDER BY id) AS rn,
                    count(*) OVER (PARTITION BY university_id) AS n
                FROM programmes WHERE state <> 'proposed'),
            firsts AS (SELECT DISTINCT ON (programme_id) programme_id, enterprise_id
                FROM programme_partners WHERE state = 'confirmed'
                ORDER BY programme_id, enterprise_id),
            picked AS (
                SELECT g, e.id AS programme_id, e.university_id, e.state AS pstate,
                    {MEMBER_STATES}[1 + (g * 7 + g / 13) % 10] AS state
                FROM generate_series(1, {a.students}) g
                JOIN (SELECT DISTINCT university_id, n FROM eligible) c
                    ON c.university_id = 1 + g % {u}
                JOIN eligible e ON e.university_id = c.university_id
                    AND e.rn = 1 + (g / {u}) % c.n)
            INSERT INTO programme_members (programme_id, student_id, university_id, state,
                university_selected, enterprise_selected, enterprise_id, reason, completed,
                hired_by_id, created_at, admitted_at)
            SELECT x.programme_id, g, x.university_id, x.state,
                CASE WHEN x.state IN ('admitted', 'withdrawn') THEN true
                     WHEN x.state = 'rejected' THEN g % 2 = 0 END,
                CASE WHEN x.state IN ('admitted', 'withdrawn') THEN true
                     WHEN x.state = 'rejected' THEN g % 2 = 1 END,
                CASE WHEN x.state IN ('admitted', 'withdrawn', 'rejected')
                     THEN f.enterprise_id END,
                CASE WHEN x.state = 'rejected' THEN '名额已满' END,
                CASE WHEN x.state = 'admitted' AND x.pstate = 'closed' THEN g % 10 < 8 END,
                CASE WHEN x.state = 'admitted' AND x.pstate = 'closed' AND g % 10 < 4
                     THEN f.enterprise_id END,
                now() - interval '1 hour' * (g % 5000),
                CASE WHEN x.state IN ('admitted', 'withdrawn')
                     THEN now() - interval '1 hour' * (g % 4000) END
            FROM picked x JOIN firsts f ON f.programme_id = x.programme_id""",
        ),
        (
            "admitted counts",
            """UPDATE programmes p SET admitted_count = c.n,
                cohort_size = greatest(p.cohort_size, c.n)
            FROM (SELECT programme_id, count(*) AS n FROM programme_members
                  WHERE state = 'admitted' GROUP BY programme_id) c
            WHERE c.programme_id = p.id""",
        ),
    ]


def _teaching(a) -> list[tuple[str, str]]:
    """Practice stays of every other university teacher; teaching assignments."""
    n = ids(a)
    e, ent_first = a.enterprises, 1 + a.universities
    return [
        (
            "practice_stays",
            f"""INSERT INTO practice_stays (teacher_id, university_id, enterprise_id, starts_on,
                ends_on, hours, tasks, state, reason, proposed_by_id, decided_by_id,
                decided_at, created_at)
            SELECT user_id, university_id, {ent_first} + (user_id * 11 + k * 7) % {e}, s,
                s + 30 + (user_id + k * 17) % 120, 200, '跨境店铺运营与数据分析',
                st, CASE WHEN st = 'rejected' THEN '岗位调整' END, user_id, NULL,
                CASE WHEN st <> 'proposed' THEN now() END, now()
            FROM (SELECT t.user_id, t.university_id, k,
                         current_date - 60 - k * 400 - (t.user_id * 37) % 300 AS s,
                         (ARRAY['confirmed','confirmed','confirmed','confirmed','confirmed',
                                'confirmed','confirmed','confirmed','proposed','rejected'])
                             [1 + (t.user_id + k * 3) % 10] AS st
                  FROM university_teachers t, generate_series(0, 2) k
                  WHERE t.user_id % 2 = 0 AND k <= t.user_id / 2 % 3) x""",
        ),
        (
            "teaching_assignments",
            f"""INSERT INTO teaching_assignments (teacher_id, enterprise_id, university_id,
                course_id, programme_id, subject, semester, hours, hours_delivered, status,
                decline_reason, proposed_by_id, decided_at, created_at, updated_at)
            SELECT {n["ent_teacher"]} + (ent - {ent_first}) + (k % {TEACHERS_PER_ENTERPRISE}) * {e},
                ent, university_id, NULL, id, name || ' 实务课', (2024 + id % 3) || '-'
                    || CASE WHEN k % 2 = 0 THEN 'fall' ELSE 'spring' END,
                32, CASE WHEN st = 'accepted' THEN (id + k) % 33 ELSE 0 END, st,
                CASE WHEN st = 'declined' THEN '时间冲突' END, NULL,
                CASE WHEN st <> 'proposed' THEN now() END, now(), now()
            FROM (SELECT p.id, p.name, p.university_id, k,
                         {ent_first} + (p.id * 7 + (k % (1 + p.id % 3)) * 131) % {e} AS ent,
                         (ARRAY['accepted','accepted','accepted','accepted','proposed',
                                'declined'])[1 + (p.id + k) % 6] AS st
                  FROM programmes p, generate_series(0, 2) k
                  WHERE p.state <> 'proposed') x""",
        ),
        ("analyze", "VACUUM ANALYZE"),
    ]


def statements(a, v) -> list[tuple[str, str]]:
    """(label, SQL) in order; `a` carries the counts, `v` the taxonomy's codes."""
    base = {label: sql for label, sql in gen_alliance.statements(a, v)}
    keep = ("seed", "organizations", "org sequence", "users", "coordinator", "memberships")
    return [
        *((k, base[k]) for k in keep),
        *_people(a, v),
        *_programmes(a, v),
        *_teaching(a),
    ]


def copy_to_sqlite(pg_url: str, sqlite_url: str) -> None:
    """Build `sqlite_url` by the migrations and copy the generated tables into it."""
    import sqlalchemy as sa

    path = sqlite_url.removeprefix("sqlite:///")
    Path(path).unlink(missing_ok=True)
    os.environ.update(DATABASE_URL=sqlite_url)
    from flask_migrate import upgrade

    from cbec_alliance import create_app
    from cbec_alliance.extensions import db

    with create_app().app_context():
        upgrade()
        source = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
        with source.connect() as src, db.engine.begin() as dst:
            for name in TABLES:
                started = time.perf_counter()
                table = db.metadata.tables[name]
                rows = src.execute(sa.select(table)).mappings()
                copied = 0
                while chunk := rows.fetchmany(20_000):
                    dst.execute(table.insert(), [dict(r) for r in chunk])
                    copied += len(chunk)
                print(f"sqlite {name:<26} {time.perf_counter() - started:6.1f} s  {copied:,}")
            dst.exec_driver_sql("ANALYZE")


def main() -> None:
    """Build the database, printing each step's time; optionally copy it to SQLite."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programmes", type=int, default=5_000)
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--universities", type=int, default=300)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--sqlite", help="also copy into this SQLite URL (sqlite:////path)")
    parser.add_argument("--sqlite-only", action="store_true", help="copy, do not generate")
    args = parser.parse_args()
    args.students = args.members  # one application per student
    args.internships = 0  # gen_alliance.statements names them; none are made here
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    t0 = time.perf_counter()
    if not args.sqlite_only:
        gen_alliance.reset(url)
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            for label, sql in statements(args, gen_alliance.vocabularies(conn)):
                started = time.perf_counter()
                cur = conn.execute(sql)
                rows = f"{cur.rowcount:,} rows" if cur.rowcount >= 0 else ""
                print(f"{label:<26} {time.perf_counter() - started:6.1f} s  {rows}", flush=True)
        print(f"generated in {time.perf_counter() - t0:.1f} s  ({url})", flush=True)
    if args.sqlite:
        copy_to_sqlite(url, args.sqlite)
        print(f"total {time.perf_counter() - t0:.1f} s  ({args.sqlite})")


if __name__ == "__main__":
    main()
