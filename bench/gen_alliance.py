"""Generate an alliance-scale database for the internship benchmarks (issue 4).

    python3 -m uv run python bench/gen_alliance.py \
        --internships 100000 --students 200000 --enterprises 2000 --universities 300

BENCH_DATABASE_URL (default: a `cbec_bench_alliance` database on the local PostgreSQL,
created if missing) is wiped, rebuilt by the migrations and filled in set-based SQL
(`INSERT ... SELECT generate_series`), deterministically (`setseed`), then analysed. Every row
respects the schema's constraints; 85% of internships are open, the rest draft, closed or
filled. Titles and descriptions mix Chinese and English, as real postings do, so `q` searches
have realistic selectivity.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_alliance"

# Realistic spread: a posting's title is one of 24 roles, its description 3 of 40 phrases,
# so a specific term matches a few percent of postings (the benchmark prints each `q`'s
# matches; the exact total costs about a microsecond per match).
TITLES = [
    "亚马逊店铺运营",
    "TikTok Shop 直播运营",
    "独立站 SEO 推广",
    "海外仓物流专员",
    "跨境数据分析",
    "Shopee 客服",
    "速卖通产品上架",
    "Temu 选品助理",
    "Lazada 广告投放",
    "外贸业务助理",
    "短视频内容创作",
    "AI 工具应用",
    "eBay 账号运营",
    "SHEIN 供应链助理",
    "阿里国际站业务员",
    "海外社媒营销",
    "跨境支付结算助理",
    "国际物流报关员",
    "俄语市场开发",
    "西语客服专员",
    "品牌出海策划",
    "Google Ads 优化师",
    "跨境电商美工",
    "ERP 数据专员",
]
PHRASES = [
    "负责亚马逊店铺日常运营与广告优化。",
    "Daily store operations and listing optimisation.",
    "协助海外仓发货与清关资料整理。",
    "Analyse sales data with Excel and Power BI.",
    "用英语与海外客户沟通，处理售后问题。",
    "制作 TikTok 短视频与直播脚本。",
    "Research trending products for Southeast Asian markets.",
    "熟悉 Shopify 建站与 Google Ads 投放者优先。",
    "跟进 FBA 头程物流与库存周转。",
    "撰写英文产品描述与 A+ 页面。",
    "Monitor competitor pricing on AliExpress and Temu.",
    "参与速卖通大促活动策划与执行。",
    "维护 Facebook 与 Instagram 海外社媒账号。",
    "Handle customer emails in Spanish and Portuguese.",
    "整理报关单证，对接货代与船公司。",
    "学习使用 ChatGPT 等 AI 工具提升效率。",
    "Prepare weekly KPI reports for the operations team.",
    "协助供应商开发与样品管理。",
    "负责 Lazada 与 Shopee 东南亚站点上新。",
    "Coordinate with overseas warehouses in Europe.",
    "拍摄产品图片并完成后期修图。",
    "参与跨境直播间的中控与数据复盘。",
    "Support Google Analytics and SEO audits.",
    "处理平台规则与知识产权合规问题。",
    "对接海外网红进行达人营销。",
    "Translate listings into Russian for the Ozon store.",
    "维护 ERP 系统中的订单与库存数据。",
    "协助完成跨境收款与外汇结算。",
    "Build landing pages for the brand's own site.",
    "参加展会并接待外国采购商。",
    "负责阿里巴巴国际站询盘回复。",
    "Draft marketing emails and newsletters.",
    "分析广告 ACOS 并调整竞价策略。",
    "整理退货数据并提出改进建议。",
    "Learn customs rules for shipments to the Middle East.",
    "协助日本站与韩国站的本地化运营。",
    "参与新品定价与利润测算。",
    "Moderate comments during live-stream sales.",
    "编写产品培训资料与 FAQ。",
    "配合团队完成黑五网一大促备货。",
]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], expr: str) -> str:
    """SQL picking values[expr mod len] (expr a non-negative integer expression)."""
    return f"({_array(values)})[1 + ({expr}) % {len(values)}]"


def vocabularies(conn) -> dict[str, list[str]]:
    """The taxonomy's codes, as the migrations loaded them (the one source of codes)."""
    rows = conn.execute("SELECT vocabulary, code FROM taxonomy_items ORDER BY vocabulary, code")
    out: dict[str, list[str]] = {}
    for vocabulary, code in rows:
        out.setdefault(vocabulary, []).append(code)
    return out


def statements(a, v: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(label, SQL) in order; `a` carries the counts, `v` the taxonomy's codes."""
    competencies, majors = v["competencies"], v["majors"]
    languages = [c for c in v["languages"] if c != "en"]  # "en" is every posting's first
    districts, categories = v["districts"], v["job-categories"]
    now = "now()"
    uni_first, ent_first = 1, 1 + a.universities
    orgs = a.universities + a.enterprises
    comp_n = len(competencies)
    return [
        ("seed", "SELECT setseed(0.42)"),
        (
            "organizations",
            f"""INSERT INTO organizations (id, kind, name, name_en, district, status, uscc, size,
                school_code, level, created_at, updated_at, status_changed_at)
            SELECT g, CASE WHEN g < {ent_first} THEN 'university' ELSE 'enterprise' END,
                CASE WHEN g < {ent_first} THEN '广州基准大学' || g ELSE '跨境电商企业' || g END,
                'Org ' || g, {_pick(districts, "g * 7")}, 'approved',
                CASE WHEN g < {ent_first} THEN NULL ELSE lpad(g::text, 18, '0') END,
                CASE WHEN g < {ent_first} THEN NULL ELSE 'small' END,
                CASE WHEN g < {ent_first} THEN '14' || lpad(g::text, 8, '0') END,
                CASE WHEN g < {ent_first} THEN 'undergraduate' END, {now}, {now}, {now}
            FROM generate_series(1, {orgs}) g""",
        ),
        (
            "org sequence",
            "SELECT setval('organizations_id_seq', (SELECT max(id) FROM organizations))",
        ),
        (
            "users",
            f"""INSERT INTO users (id, email, name, password_hash, platform_role, language,
                is_active, created_at, password_changed_at)
            SELECT g, 's' || g || '@bench.cn', '学生' || g, 'x', 'user', 'zh', true, {now}, {now}
            FROM generate_series(1, {a.students}) g""",
        ),
        (
            "coordinator",
            f"""INSERT INTO users (id, email, name, password_hash, platform_role, language,
                is_active, created_at, password_changed_at)
            VALUES ({a.students + 1}, 'gov@bench.cn', '协调员', 'x', 'coordinator', 'zh', true,
                {now}, {now})""",
        ),
        ("user sequence", "SELECT setval('users_id_seq', (SELECT max(id) FROM users))"),
        (
            "memberships",
            f"""INSERT INTO memberships (user_id, organization_id, role, created_at)
            SELECT g, {uni_first} + g % {a.universities}, 'student', {now}
            FROM generate_series(1, {a.students}) g""",
        ),
        (
            "student_profiles",
            f"""INSERT INTO student_profiles (user_id, university_id, major, graduation_year, bio,
                created_at, updated_at)
            SELECT g, {uni_first} + g % {a.universities}, {_pick(majors, "g * 13 + g / 7")},
                2026 + g % 4, '热爱跨境电商', {now}, {now}
            FROM generate_series(1, {a.students}) g""",
        ),
        # 2 to 4 distinct competencies: offsets 0, 3, 6, 9 from a per-student start (mod 11).
        (
            "student_competencies",
            f"""INSERT INTO student_competencies (user_id, code, level)
            SELECT g, ({_array(competencies)})[1 + (g * 5 + k * 3) % {comp_n}],
                1 + floor(random() * 5)::int
            FROM generate_series(1, {a.students}) g, generate_series(0, 3) k
            WHERE k < 2 + g % 3""",
        ),
        (
            "student_languages",
            f"""INSERT INTO student_languages (user_id, code, level)
            SELECT g, CASE WHEN k = 0 THEN 'en' ELSE {_pick(languages, "g")} END,
                1 + floor(random() * 5)::int
            FROM generate_series(1, {a.students}) g, generate_series(0, 1) k
            WHERE k = 0 OR g % 3 = 0""",
        ),
        (
            "internships",
            f"""INSERT INTO internships (id, enterprise_id, title, description, category,
                district, mode, slots, accepted_count, stipend_min, stipend_max, start_date,
                end_date, apply_by, hours_per_day, hours_per_week, night_shifts,
                insurance_provided, fee_charged, status, created_at, updated_at, published_at,
                status_changed_at)
            SELECT g, {ent_first} + g % {a.enterprises},
                {_pick(TITLES, "g * 5 + g / 24")} || '实习生 ' || g,
                {_pick(PHRASES, "g")} || {_pick(PHRASES, "g / 3 + 13")}
                    || {_pick(PHRASES, "g / 7 + 27")},
                {_pick(categories, "g * 11 + g / 5")}, {_pick(districts, "g * 3 + g / 11")},
                (ARRAY['onsite','onsite','hybrid','remote'])[1 + g % 4],
                1 + g % 5, 0, 2000 + (g % 20) * 100, 4000 + (g % 20) * 100,
                current_date + 30 + g % 60, current_date + 120 + g % 90,
                current_date + 5 + g % 40, 6 + g % 3, 30 + g % 11, false, true, false,
                CASE WHEN g % 20 < 17 THEN 'open' WHEN g % 20 = 17 THEN 'draft'
                     WHEN g % 20 = 18 THEN 'closed' ELSE 'filled' END,
                {now} - interval '1 minute' * g, {now} - interval '1 minute' * g,
                CASE WHEN g % 20 = 17 THEN NULL
                     ELSE {now} - interval '1 minute' * (g + floor(random() * 1000)) END,
                {now}
            FROM generate_series(1, {a.internships}) g""",
        ),
        (
            "internship sequence",
            "SELECT setval('internships_id_seq', (SELECT max(id) FROM internships))",
        ),
        (
            "internship_competencies",
            f"""INSERT INTO internship_competencies (internship_id, code, min_level)
            SELECT g, ({_array(competencies)})[1 + (g * 3 + k * 4) % {comp_n}], 1 + (g + k) % 4
            FROM generate_series(1, {a.internships}) g, generate_series(0, 2) k
            WHERE k <= g % 3""",
        ),
        (
            "internship_majors",
            f"""INSERT INTO internship_majors (internship_id, code)
            SELECT g, ({_array(majors)})[1 + (g + k * 3) % {len(majors)}]
            FROM generate_series(1, {a.internships}) g, generate_series(0, 1) k
            WHERE k < g % 3""",
        ),
        (
            "internship_languages",
            f"""INSERT INTO internship_languages (internship_id, code)
            SELECT g, CASE WHEN k = 0 THEN 'en' ELSE {_pick(languages, "g * 7")} END
            FROM generate_series(1, {a.internships}) g, generate_series(0, 1) k
            WHERE k < g % 3""",
        ),
        # As autovacuum leaves a live database: statistics and the visibility map (index-only
        # scans for counts). (Each statement commits on its own.)
        ("analyze", "VACUUM ANALYZE"),
    ]


def reset(url: str) -> None:
    """Create the database if missing, empty it and run the migrations."""
    import psycopg

    admin, _, name = url.rpartition("/")
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    )
    from flask_migrate import upgrade

    from cbec_alliance import create_app

    with create_app().app_context():
        upgrade()


def main() -> None:
    """Parse the counts, rebuild the database and fill it, printing each step's time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--internships", type=int, default=100_000)
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--universities", type=int, default=300)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    t0 = time.perf_counter()
    reset(url)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for label, sql in statements(args, vocabularies(conn)):
            t = time.perf_counter()
            cur = conn.execute(sql)
            rows = f"{cur.rowcount:,} rows" if cur.rowcount >= 0 else ""
            print(f"{label:<24} {time.perf_counter() - t:6.1f} s  {rows}")
    print(f"total {time.perf_counter() - t0:.1f} s  ({url})")


if __name__ == "__main__":
    main()
