"""Latency of partner matching (`recommended-partners`, `partnerships/fit`) on a large alliance.

    python3 -m uv run python bench/gen_monitoring.py     # once
    python3 -m uv run python bench/partners.py --runs 20

For the database bench/gen_monitoring.py built (BENCH_DATABASE_URL): as a coordinator,
through the Flask test client, each cooperation mode of `recommended-partners` for a
university (ranking every enterprise) and for an enterprise (ranking every university),
cycling over several organizations and pages 1 to 3: scored afresh (kept rankings and the
organization's own signals dropped before each request; the enterprise arrays are a worker's,
rebuilt in the background once PARTNER_MATCH_MAX_AGE old), kept (PARTNER_MATCH_MAX_AGE, 60 s
by default), and, for a university, the first request of a process (arrays built in it); and
`partnerships/fit` for one pair. Issue 20's target: each mode p95 under 100 ms kept ("warm")
and under 200 ms scored afresh ("cold") for a university among 20,000 enterprises.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import coordinator_id, report, timed, tokens  # noqa: E402
from bench.monitoring import setup_app  # noqa: E402
from cbec_alliance.partnerships.fit import SCORERS  # noqa: E402

MODES = tuple(SCORERS)  # the six cooperation modes and the three programme kinds


def main() -> None:
    """Time every mode both ways, then one pair's fit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--orgs", type=int, default=5, help="organizations cycled over")
    args = parser.parse_args()
    app = setup_app(600)
    from cbec_alliance.extensions import db
    from cbec_alliance.organizations.models import Organization

    with app.app_context():

        def ids(kind: str) -> list[int]:
            stmt = (
                db.select(Organization.id)
                .where(Organization.kind == kind, Organization.status == "approved")
                .order_by(Organization.id)
                .limit(args.orgs)
            )
            return db.session.scalars(stmt).all()

        universities, enterprises = ids("university"), ids("enterprise")
        n_ent = db.session.scalar(
            db.select(db.func.count()).where(Organization.kind == "enterprise")
        )
        n_uni = db.session.scalar(
            db.select(db.func.count()).where(Organization.kind == "university")
        )
    headers = [{"Authorization": f"Bearer {tokens(app, [coordinator_id(app)])[0]}"}]
    client = app.test_client()
    client.get(
        f"/api/v1/organizations/{universities[0]}/recommended-partners",
        query_string={"mode": MODES[0]},
        headers=headers[0],
    )  # warm-up
    from cbec_alliance.insights import partners as recommend

    print(f"{n_ent:,} enterprises, {n_uni:,} universities; {args.runs} requests each")
    for who, orgs in (("university", universities), ("enterprise", enterprises)):
        for mode in MODES:
            runs = [("scored afresh", recommend.forget_rankings), ("kept", None)]
            if who == "university":  # the enterprise arrays built in the request too
                runs.insert(0, ("first of a process", recommend.forget))
            for label, before in runs:
                samples = []
                for org in orgs:
                    url = f"/api/v1/organizations/{org}/recommended-partners"
                    pages = [{"mode": mode, "per_page": 20, "page": k} for k in (1, 2, 3)]
                    n = max(1, args.runs // len(orgs))
                    samples += timed(client, url, n, pages, headers, before=before)
                report(f"for a {who}: {mode}, {label}", samples)
    fit = [{"enterprise_id": enterprises[0], "university_id": universities[0]}]
    report(
        "partnerships/fit (one pair)",
        timed(client, "/api/v1/partnerships/fit", args.runs, fit, headers),
    )


if __name__ == "__main__":
    main()
