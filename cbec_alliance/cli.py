"""Flask CLI commands: create-coordinator, demo-data, serve-demo; the `cbec-alliance` command."""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from cbec_alliance.accounts import services as accounts
from cbec_alliance.core.db import commit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.codes import uscc_check_char
from cbec_alliance.organizations.models import Membership, Organization, OrganizationMajor

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed demo login


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(create_coordinator)
    app.cli.add_command(demo_data)
    app.cli.add_command(serve_demo)
    app.cli.add_command(check_integrity)


@click.command("create-coordinator")
@with_appcontext
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", default="Coordinator 协调员")
def create_coordinator(email: str, password: str, name: str) -> None:
    """Create a government coordinator account (or promote an existing one)."""
    if len(password) < 10:
        raise click.BadParameter("at least 10 characters", param_hint="--password")
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.register(
            email, password, name, platform_role="coordinator", email_verified=True
        )
    else:
        user.platform_role = "coordinator"
        # Whoever runs the command vouches for the address, as for a new coordinator.
        user.email_verified_at = user.email_verified_at or utcnow()
    commit()
    click.echo(f"coordinator {user.email} (id {user.id})")


@click.command("check-integrity")
@with_appcontext
def check_integrity() -> None:
    """Compare every capacity counter with its rows and check every uniqueness rule.

    Prints each broken invariant with its rows; exits 1 when any is broken, 0 when all hold.
    """
    from cbec_alliance.core.integrity import check

    broken = 0
    for name, rows in check().items():
        if not rows:
            click.echo(f"ok      {name}")
            continue
        broken += 1
        click.echo(f"BROKEN  {name}: {len(rows)} row(s)")
        for row in rows[:20]:
            click.echo(f"        {row}")
        if len(rows) > 20:
            click.echo(f"        ... and {len(rows) - 20} more")
    db.session.rollback()
    if broken:
        raise SystemExit(1)
    click.echo("every counter matches its rows and every rule holds")


def _uscc(seed: str) -> str:
    body = ("91440101" + seed).ljust(17, "0")[:17]
    return body + uscc_check_char(body)


DEMO_ORGS: list[dict[str, Any]] = [
    dict(
        kind="enterprise",
        name="广州跨境优品贸易有限公司",
        name_en="Guangzhou Cross-border Goods Trading",
        district="tianhe",
        uscc=_uscc("MA5901"),
        size="small",
        employee_count=120,
        platforms=["amazon", "tiktok-shop"],
    ),
    dict(
        kind="enterprise",
        name="番禺环球物流科技有限公司",
        name_en="Panyu Global Logistics Tech",
        district="panyu",
        uscc=_uscc("MA5902"),
        size="medium",
        employee_count=650,
        platforms=["shopee", "lazada"],
    ),
    dict(
        kind="enterprise",
        name="南沙数据出海服务有限公司",
        name_en="Nansha Data Going-Global Services",
        district="nansha",
        uscc=_uscc("MA5903"),
        size="micro",
        employee_count=60,
        platforms=["own-site", "temu"],
    ),
    dict(
        kind="university",
        name="广州商贸职业学院",
        name_en="Guangzhou Commerce Vocational College",
        district="baiyun",
        school_code="1400012345",
        level="vocational",
        majors=[("e-commerce", 420), ("international-business", 180)],
    ),
    dict(
        kind="university",
        name="华南经贸大学",
        name_en="South China University of Economics and Trade",
        district="haizhu",
        school_code="1055800001",
        level="undergraduate",
        majors=[
            ("international-economics-trade", 350),
            ("foreign-languages", 260),
            ("marketing", 200),
        ],
    ),
    dict(
        kind="government",
        name="广州市商务局",
        name_en="Guangzhou Municipal Commerce Bureau",
        district="yuexiu",
    ),
    dict(
        kind="association",
        name="广州跨境电商行业协会",
        name_en="Guangzhou CBEC Industry Association",
        district="tianhe",
    ),
]


def _demo_user(email: str, name: str, role: str = "user"):
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.register(
            email, DEMO_PASSWORD, name, platform_role=role, email_verified=True
        )
    return user


def _demo_org(spec: dict, admin) -> Organization:
    # Found again by its identifier (or name, for kinds without one): idempotent.
    field = next((f for f in ("uscc", "school_code") if spec.get(f)), "name")
    org = db.session.scalar(
        sa.select(Organization).where(getattr(Organization, field) == spec[field])
    )
    if org is None:
        fields = {k: v for k, v in spec.items() if k != "majors"}
        org = Organization(status="approved", **fields)
        org.majors = [
            OrganizationMajor(code=c, yearly_graduates=n) for c, n in spec.get("majors", [])
        ]
        db.session.add(org)
        db.session.flush()
    _demo_member(admin, org, "admin")
    return org


def _demo_member(user, org: Organization, role: str) -> None:
    exists = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.user_id == user.id, Membership.organization_id == org.id
        )
    )
    if not exists:
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role=role))
        db.session.flush()


@click.command("demo-data")
@with_appcontext
def demo_data() -> None:
    """Load a small Guangzhou alliance (idempotent) and print the demo logins."""
    from cbec_alliance import (
        demo_activity,
        demo_careers,
        demo_cooperation,
        demo_destinations,
        demo_placements,
        demo_policies,
        demo_programmes,
        demo_reports,
        demo_teaching,
    )

    logins = [("coordinator@demo.cbec-alliance.cn", "coordinator")]
    _demo_user(logins[0][0], "陈协调 Chen (coordinator)", role="coordinator")
    enterprises: list[Organization] = []
    students: dict[int, list] = {}
    for i, spec in enumerate(DEMO_ORGS, start=1):
        email = f"admin{i}@demo.cbec-alliance.cn"
        admin = _demo_user(email, f"管理员{i} Admin {i}")
        org = _demo_org(spec, admin)
        logins.append((email, f"admin of {org.name_en}"))
        if org.kind == "enterprise":
            enterprises.append(org)
        if org.kind == "university":
            students[org.id] = []
            for j in range(1, 4):
                s_email = f"student{i}-{j}@demo.cbec-alliance.cn"
                student = _demo_user(s_email, f"学生{i}-{j} Student")
                _demo_member(student, org, "student")
                students[org.id].append(student)
                logins.append((s_email, f"student at {org.name_en}"))
    demo_activity.load(enterprises, students)
    demo_cooperation.load(enterprises, list(students))
    demo_placements.load(enterprises, students)
    demo_careers.load(students)
    demo_programmes.load(enterprises, students)
    demo_teaching.load(enterprises, list(students))
    demo_destinations.load(enterprises, students)
    demo_policies.load(enterprises)
    demo_reports.load()
    commit()
    click.echo(f"Demo alliance ready. Every demo login uses the password: {DEMO_PASSWORD}")
    for email, what in logins:
        click.echo(f"  {email:<42} {what}")


@click.command("serve-demo")
@with_appcontext
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.pass_context
def serve_demo(ctx: click.Context, host: str, port: int) -> None:
    """Upgrade the schema, load the demo data, and serve the app (development server)."""
    from flask import current_app
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    upgrade()
    ctx.invoke(demo_data)
    click.echo(f"Serving on http://{host}:{port}/api/docs")
    # Flask refuses app.run() inside its own CLI; serve with werkzeug directly.
    # current_app is a werkzeug LocalProxy, which Flask types as the Flask object itself.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_simple(host, port, app, threaded=True)


def main(args: list[str] | None = None) -> None:
    """The `cbec-alliance` console command: Flask's CLI for this app, wherever it is installed."""
    from flask.cli import FlaskGroup

    from cbec_alliance import create_app

    FlaskGroup(create_app=create_app, help="CBEC Alliance: the app's Flask commands.").main(
        args=args, prog_name="cbec-alliance"
    )
