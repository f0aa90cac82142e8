"""Generate placements at alliance scale for bench/placements.py (issue 18).

    python3 -m uv run python bench/gen_placements.py     # 200,000 placements, about
        5,000,000 check-ins, 500,000 weekly logs, their reviews, incidents

The base (organizations, students, internships) is bench/gen_alliance.py's, with enough
students for one placement each; this adds school and enterprise mentors (20 placements
each, members of the placement's university or enterprise), one accepted application and one
placement per student, insurance and signed agreements for most, check-ins on the working
days of the last 54 days (1% over 8 hours, 0.2% into the night), weekly logs for 2 in 7 of the
weeks (60% reviewed by both mentors), incidents, and a bearer token per student
(`cbec_bench<student id>`) for the morning check-in. Set-based SQL, deterministic.
`--placements` scales everything. BENCH_DATABASE_URL defaults to `cbec_bench_placements`.
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

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_placements"
STATES = "(ARRAY['active','active','active','active','active','active','active','preparing'," \
    "'suspended','completed','completed','terminated'])"  # fmt: skip
PER_MENTOR = 20


def _people(a) -> list[tuple[str, str]]:
    """Mentor users and memberships, and one token per student."""
    mentors = a.placements // PER_MENTOR + 1
    school0, ent0 = a.students + 10, a.students + 10 + mentors
    ent_first = 1 + a.universities
    return [
        (
            "mentors",
            f"""INSERT INTO users (id, email, name, password_hash, platform_role, language,
                is_active, created_at, password_changed_at)
            SELECT g, 'm' || g || '@bench.cn', '导师' || g, 'x', 'user', 'zh', true, now(), now()
            FROM generate_series({school0}, {ent0 + mentors - 1}) g""",
        ),
        ("user sequence", "SELECT setval('users_id_seq', (SELECT max(id) FROM users))"),
        (
            "mentor memberships",
            f"""INSERT INTO memberships (user_id, organization_id, role, created_at)
            SELECT {school0} + j, 1 + j % {a.universities}, 'staff', now()
            FROM generate_series(0, {mentors - 1}) j
            UNION ALL
            SELECT {ent0} + j, {ent_first} + j % {a.enterprises}, 'staff', now()
            FROM generate_series(0, {mentors - 1}) j""",
        ),
        (
            "student tokens",
            f"""INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at)
            SELECT g, 'bench', encode(sha256(('cbec_bench' || g)::bytea), 'hex'), 'cbec_bench',
                now(), now() + interval '30 days'
            FROM generate_series(1, {a.students}) g""",
        ),
    ]


def _placements(a) -> list[tuple[str, str]]:
    """Placement g (0-based): mentors j = g / 20 of university 1 + j % U and enterprise
    E0 + j % E; its student is in that university, its internship that enterprise's."""
    mentors = a.placements // PER_MENTOR + 1
    school0, ent0 = a.students + 10, a.students + 10 + mentors
    u, e, per_ent = a.universities, a.enterprises, a.internships // a.enterprises
    ent_first = 1 + u
    pick = f"""SELECT g, g / {PER_MENTOR} AS j,
                ((g / {PER_MENTOR}) % {u}) + {u} * (1 + {PER_MENTOR} * (g / {PER_MENTOR} / {u})
                    + g % {PER_MENTOR}) AS s,
                ((g / {PER_MENTOR}) % {e}) + {e} * (1 + g % {PER_MENTOR} % ({per_ent} - 1)) AS i,
                {STATES}[1 + (g * 7 + g / 13) % 12] AS state
            FROM generate_series(0, {a.placements - 1}) g"""
    return [
        (
            "applications",
            f"""INSERT INTO applications (id, internship_id, student_id, university_id, status,
                created_at, updated_at, status_changed_at)
            SELECT g + 1, i, s, 1 + s % {u},
                CASE WHEN state = 'completed' THEN 'completed' ELSE 'accepted' END,
                now(), now(), now()
            FROM ({pick}) x""",
        ),
        (
            "application sequence",
            "SELECT setval('applications_id_seq', (SELECT max(id) FROM applications))",
        ),
        (
            "placements",
            f"""INSERT INTO placements (id, application_id, student_id, university_id,
                enterprise_id, internship_id, starts_on, ends_on, state, reason_code,
                workplace_lat, workplace_lng, hours_per_day, hours_per_week, work_starts_at,
                work_ends_at, rest_days_per_week, overtime, fee_charged, documents_withheld,
                independent_post, stipend, terms_version, school_mentor_id,
                enterprise_mentor_id, created_at, updated_at, state_changed_at)
            SELECT g + 1, g + 1, s, 1 + s % {u}, {ent_first} + j % {e}, i,
                CASE state WHEN 'preparing' THEN current_date + 1 + g % 20
                           WHEN 'completed' THEN current_date - 200 + g % 30
                           ELSE current_date - 1 - g % 100 END,
                CASE state WHEN 'preparing' THEN current_date + 150 + g % 20
                           WHEN 'completed' THEN current_date - 20 + g % 19
                           ELSE current_date + 80 - g % 60 END,
                state, CASE WHEN state = 'terminated'
                            THEN (ARRAY['student_request','safety','misconduct','other'])[1 + g % 4]
                       END,
                23.1291, 113.3240, 8, 40, '09:00', '17:00', 2, false, false, false, false,
                3500, 1, {school0} + j, {ent0} + j, now(), now(), now()
            FROM ({pick}) x""",
        ),
        (
            "placement sequence",
            "SELECT setval('placements_id_seq', (SELECT max(id) FROM placements))",
        ),
    ]


def _paperwork() -> list[tuple[str, str]]:
    return [
        (
            "insurance",
            """INSERT INTO placement_insurance (placement_id, insurer, policy_number, covers_from,
                covers_to, sum_insured, created_at)
            SELECT id, 'PICC', 'P' || id, starts_on, ends_on - (id % 10 = 0)::int * 30, 500000,
                now()
            FROM placements WHERE id % 17 <> 0""",
        ),
        (
            "agreements",
            """INSERT INTO placement_agreements (placement_id, terms_version, template_version,
                text, sha256, guardian_required, created_at, signed_at)
            SELECT id, 1, 'v1', '三方协议 ' || id, md5(id::text) || md5(id::text), false, now(),
                CASE WHEN id % 9 <> 0 THEN now() END
            FROM placements""",
        ),
    ]


def _records() -> list[tuple[str, str]]:
    """Check-ins on working days of the last 54 days, logs, reviews, incidents."""
    return [
        (
            "check-ins",
            """INSERT INTO placement_check_ins (placement_id, day, checked_in_at, checked_out_at,
                minutes, latitude, longitude, distance_m)
            SELECT p.id, d::date, t, t + interval '1 minute' * m, m, 23.1293, 113.3242, 30
            FROM placements p,
                generate_series(greatest(p.starts_on, current_date - 54),
                                least(p.ends_on, current_date - 1), interval '1 day') d,
                LATERAL (SELECT (d::date + time '09:00' + interval '1 minute' * (p.id % 30))
                                AT TIME ZONE 'Asia/Shanghai' AS t,
                                CASE WHEN (p.id + d::date - date '2000-01-01') % 100 = 0
                                     THEN 570
                                     WHEN (p.id + d::date - date '2000-01-01') % 500 = 1
                                     THEN 800 ELSE 480 END AS m) x
            WHERE p.state IN ('active', 'suspended', 'completed')
              AND extract(isodow FROM d) < 6""",
        ),
        (
            "weekly logs",
            """INSERT INTO placement_logs (placement_id, week, text, competencies, hours,
                created_at)
            SELECT p.id, w::date, '本周完成商品上架与数据复盘 ' || p.id,
                '["platform-operation", "data-analysis"]', 40, now()
            FROM placements p,
                generate_series(date_trunc('week', p.starts_on),
                                date_trunc('week', least(p.ends_on, current_date - 7)),
                                interval '7 days') w
            WHERE p.state IN ('active', 'suspended', 'completed')
              AND (p.id + (w::date - date '2000-01-03') / 7) % 7 < 2""",
        ),
        (
            "log reviews",
            """INSERT INTO placement_log_reviews (log_id, role, reviewer_id, comment, score,
                created_at)
            SELECT l.id, r.role, CASE r.role WHEN 'school' THEN p.school_mentor_id
                                             ELSE p.enterprise_mentor_id END,
                '认真负责', 70 + l.id % 30, now()
            FROM placement_logs l JOIN placements p ON p.id = l.placement_id,
                (VALUES ('school'), ('enterprise')) r(role)
            WHERE l.id % 10 < 6""",
        ),
        (
            "incidents",
            """INSERT INTO placement_incidents (placement_id, kind, severity, description,
                reported_by_id, reporter_party, suspended_placement, resolved_at, created_at)
            SELECT id, (ARRAY['injury','harassment','wage_dispute','hours_dispute',
                              'unsafe_work','other'])[1 + id % 6],
                CASE WHEN state = 'suspended' THEN 'critical'
                     ELSE (ARRAY['low','low','high'])[1 + id % 3] END,
                '事件描述', student_id, 'student', state = 'suspended',
                CASE WHEN state <> 'suspended' AND id % 2 = 0 THEN now() END, now()
            FROM placements WHERE state = 'suspended' OR id % 50 = 0""",
        ),
        ("analyze", "VACUUM ANALYZE"),
    ]


def main() -> None:
    """Build the base, then the placements and their records, printing each step's time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--placements", type=int, default=200_000)
    parser.add_argument("--universities", type=int, default=300)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--internships", type=int, default=100_000)
    args = parser.parse_args()
    args.students = args.placements + PER_MENTOR * args.universities * 2 + 1_000
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    t0 = time.perf_counter()
    gen_alliance.reset(url)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        base = gen_alliance.statements(args, gen_alliance.vocabularies(conn))
        steps = [*base[:-1], *_people(args), *_placements(args), *_paperwork(), *_records()]
        for label, sql in steps:
            started = time.perf_counter()
            cur = conn.execute(sql)
            rows = f"{cur.rowcount:,} rows" if cur.rowcount >= 0 else ""
            print(f"{label:<24} {time.perf_counter() - started:6.1f} s  {rows}", flush=True)
    print(f"total {time.perf_counter() - t0:.1f} s  ({url})")


if __name__ == "__main__":
    main()
