"""Roster imports: a university's staff upload students (xlsx or csv, headers in Chinese or
English); the task (in-process here) creates accounts without a password, memberships,
profiles and invitations in bulk; the report says what became of each row; the same file
again creates nothing; an invitation sets the new account's first password."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from cbec_alliance.accounts.models import User
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import Invitation, Membership
from cbec_alliance.students.models import StudentProfile
from tests import factories
from tests.helpers import assert_problem, validation_errors

YEAR = utcnow().year + 1
ZH = ["姓名", "学号", "邮箱", "专业", "毕业年份"]
EN = ["name", "student_number", "email", "major", "graduation_year"]


def url(org_id: int, tail: str = "") -> str:
    return f"/api/v1/organizations/{org_id}/roster-imports{tail}"


def csv_file(rows, header=ZH) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_file(rows, header=EN) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, org_id: int, content: bytes, name: str = "学生名单.csv"):
    return client.post(
        url(org_id),
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def students(n: int, start: int = 1) -> list[list]:
    return [
        [f"学生{k}", f"2026{k:04d}", f"Student{k}@Example.cn", "e-commerce", YEAR]
        for k in range(start, start + n)
    ]


@pytest.fixture
def uni(app):
    """An approved university with an admin, a staff member and a student. (No app context
    is kept: each request must run in its own, or Flask-Login's user would stay in `g`.)"""
    with app.app_context():
        org = factories.UniversityFactory()
        org.admin = factories.member(org, "admin")
        org.staff = factories.member(org, "staff")
        org.student = factories.member(org, "student")
    return org


def imported(client, org_id: int, content: bytes, name: str = "学生名单.csv") -> dict:
    resp = upload(client, org_id, content, name)
    assert resp.status_code == 202, resp.get_json()
    job = client.get(url(org_id, f"/{resp.get_json()['id']}")).get_json()
    assert job["status"] == "done", job
    assert job["rows_done"] == job["rows_total"]
    return job


def report(client, org_id: int, job_id: int) -> list[dict]:
    resp = client.get(url(org_id, f"/{job_id}/report"))
    assert resp.status_code == 200
    return resp.get_json()


def test_a_roster_makes_accounts_members_profiles_and_invitations(uni, as_user, client, app):
    staff = as_user(uni.staff)
    job = imported(staff, uni.id, csv_file(students(3)))
    assert (job["rows_total"], job["created"], job["already_member"], job["invalid"]) == (
        3,
        3,
        0,
        0,
    )
    rows = report(staff, uni.id, job["id"])
    assert [(r["row"], r["outcome"], r["email"]) for r in rows] == [
        (2, "created", "student1@example.cn"),
        (3, "created", "student2@example.cn"),
        (4, "created", "student3@example.cn"),
    ]
    user = db.session.scalar(sa.select(User).where(User.email == "student2@example.cn"))
    assert user.name == "学生2"
    assert rows[1]["user_id"] == user.id
    assert (
        db.session.scalar(
            sa.select(Membership.role).where(
                Membership.user_id == user.id, Membership.organization_id == uni.id
            )
        )
        == "student"
    )
    profile = db.session.get(StudentProfile, user.id)
    assert (profile.university_id, profile.student_number, profile.major) == (
        uni.id,
        "20260002",
        "e-commerce",
    )
    assert profile.graduation_year == YEAR
    # No password yet: nothing logs in to the account.
    for password in ("", factories.PASSWORD):
        login = client.post("/api/v1/auth/login", json={"email": user.email, "password": password})
        assert login.status_code in (401, 422)
    events = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "invitation.roster")
    ).all()
    assert sorted(e.payload["email"] for e in events) == [
        "student1@example.cn",
        "student2@example.cn",
        "student3@example.cn",
    ]
    token = next(e.payload["token"] for e in events if e.payload["email"] == user.email)
    accepted = client.post(
        f"/api/v1/invitations/{token}/password", json={"password": "a new password 学号"}
    )
    assert accepted.status_code == 201, accepted.get_json()
    assert accepted.get_json()["role"] == "student"
    login = app.test_client().post(
        "/api/v1/auth/login", json={"email": user.email, "password": "a new password 学号"}
    )
    assert login.status_code == 200
    again = client.post(
        f"/api/v1/invitations/{token}/password", json={"password": "another password"}
    )
    assert_problem(again, 409)


def test_the_same_file_again_creates_nothing(uni, as_user):
    staff = as_user(uni.admin)
    content = xlsx_file(students(4))
    imported(staff, uni.id, content, "roster.xlsx")
    users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    invitations = db.session.scalar(sa.select(sa.func.count()).select_from(Invitation))
    job = imported(staff, uni.id, content, "roster.xlsx")
    assert (job["created"], job["already_member"], job["invalid"]) == (0, 4, 0)
    assert {r["outcome"] for r in report(staff, uni.id, job["id"])} == {"already_member"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == invitations
    # One more student in the file: only that one is new.
    job = imported(staff, uni.id, xlsx_file(students(5)), "roster.xlsx")
    assert (job["created"], job["already_member"]) == (1, 4)


def test_bad_rows_are_reported_with_the_column(uni, as_user):
    staff = as_user(uni.staff)
    imported(staff, uni.id, csv_file(students(1)))  # 20260001 is student1's now
    rows = [
        ["张三", "S1", "zhang@example.cn", "电子商务", YEAR],  # the major by its Chinese name
        ["李四", "S2", "not-an-email", "e-commerce", YEAR],
        ["王五", "S3", "wang@example.cn", "astrology", YEAR],
        ["赵六", "S4", "zhao@example.cn", "marketing", 1990],
        ["", "S5", "noname@example.cn", "marketing", YEAR],
        ["孙七", "S6", "ZHANG@example.cn", "marketing", YEAR],  # zhang's email again
        ["周八", "S1", "zhou@example.cn", "marketing", YEAR],  # zhang's number again
        ["吴九", "20260001", "wu@example.cn", "marketing", YEAR],  # student1's number
        ["郑十", "S 9", "zheng@example.cn", "Marketing", YEAR],
    ]
    job = imported(staff, uni.id, csv_file(rows))
    assert (job["created"], job["invalid"]) == (1, 8)
    got = {r["row"]: (r["outcome"], r["field"]) for r in report(staff, uni.id, job["id"])}
    assert got == {
        2: ("created", None),
        3: ("invalid", "email"),
        4: ("invalid", "major"),
        5: ("invalid", "graduation_year"),
        6: ("invalid", "name"),
        7: ("invalid", "email"),
        8: ("invalid", "student_number"),
        9: ("invalid", "student_number"),
        10: ("invalid", "student_number"),
    }
    errors = {e["row"]: e["message"] for e in job["errors"]}
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "row 2" in errors[7]
    assert "row 2" in errors[8]
    assert str(YEAR - 1 - 10) in errors[5]
    profile = db.session.scalar(
        sa.select(StudentProfile)
        .join(User, User.id == StudentProfile.user_id)
        .where(User.email == "zhang@example.cn")
    )
    assert profile.major == "e-commerce"


def test_an_existing_account_is_invited_to_join(uni, as_user):
    outsider = factories.UserFactory(email="old.friend@example.cn")
    staff = as_user(uni.staff)
    rows = [["老朋友", "X1", "Old.Friend@example.cn", "marketing", YEAR]]
    job = imported(staff, uni.id, csv_file(rows, header=EN))
    assert (job["created"], job["invited"]) == (0, 1)
    assert report(staff, uni.id, job["id"])[0]["user_id"] == outsider.id
    job = imported(staff, uni.id, csv_file(rows, header=EN))  # still pending: not again
    assert job["invited"] == 1
    invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.email == outsider.email)
    ).all()
    assert len(invitations) == 1
    event = db.session.scalar(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "invitation.created")
    )
    joined = as_user(outsider).post(f"/api/v1/invitations/{event.payload['token']}/accept")
    assert joined.status_code == 201, joined.get_json()
    job = imported(staff, uni.id, csv_file(rows, header=EN))
    assert job["already_member"] == 1


def test_the_report_downloads_as_csv_and_xlsx(uni, as_user):
    staff = as_user(uni.staff)
    rows = [*students(2), ["=HYPERLINK(1)", "B1", "bad", "e-commerce", YEAR]]
    job = imported(staff, uni.id, csv_file(rows))
    got = staff.get(url(uni.id, f"/{job['id']}/report?format=csv"))
    assert got.status_code == 200
    assert got.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert lines[0][:3] == ["行号 row", "结果 outcome", "姓名 name"]
    assert [line[1] for line in lines[1:]] == ["created", "created", "invalid"]
    assert lines[3][2] == "'=HYPERLINK(1)"  # shown, never run
    got = staff.get(url(uni.id, f"/{job['id']}/report?format=xlsx"))
    sheet = load_workbook(io.BytesIO(got.data)).worksheets[0]
    assert [c.value for c in sheet[4]][:2] == [4, "invalid"]
    assert_problem(staff.get(url(uni.id, f"/{job['id']}/report?format=pdf")), 422)


def test_the_template_has_both_languages_and_imports_as_is(uni, as_user):
    staff = as_user(uni.staff)
    got = staff.get(url(uni.id, "/template?format=csv"))
    assert got.status_code == 200
    header = got.data.decode("utf-8-sig").strip().split(",")
    assert header == [f"{zh} {en}" for zh, en in zip(ZH, EN, strict=True)]
    got = staff.get(url(uni.id, "/template"))
    book = load_workbook(io.BytesIO(got.data))
    first, majors = book.worksheets
    assert [c.value for c in first[1]] == header
    assert ("e-commerce", "电子商务") in {(r[0].value, r[1].value) for r in majors.iter_rows()}
    first.append(["陈一", "T1", "chen@example.cn", "国际商务", YEAR])
    out = io.BytesIO()
    book.save(out)
    job = imported(staff, uni.id, out.getvalue(), "模板.xlsx")
    assert job["created"] == 1
    assert_problem(staff.get(url(uni.id, "/template?format=pdf")), 422)


def test_only_the_universitys_staff(uni, as_user, client):
    other = factories.UniversityFactory()
    other_admin = factories.member(other, "admin")
    company = factories.OrganizationFactory()
    company_admin = factories.member(company, "admin")
    coordinator = factories.CoordinatorFactory()
    mine = as_user(uni.staff)
    job = imported(mine, uni.id, csv_file(students(1)))
    content = csv_file(students(1, start=50))
    for user in (uni.student, other_admin, coordinator):
        c = as_user(user)
        assert_problem(upload(c, uni.id, content), 403)
        for tail in ("", "/report", "/report?format=csv"):
            got = c.get(url(uni.id, f"/{job['id']}{tail}"))
            body = assert_problem(got, 403)
            assert "student" not in str(body)
        assert_problem(c.get(url(uni.id, "/template")), 403)
    # Another university's path never shows this one's import.
    theirs = as_user(other_admin)
    assert_problem(theirs.get(url(other.id, f"/{job['id']}")), 404)
    assert_problem(upload(as_user(company_admin), company.id, content), 404)
    assert_problem(upload(client, uni.id, content), 401)
    assert_problem(client.get(url(uni.id, f"/{job['id']}")), 401)
    assert_problem(mine.get(url(uni.id, "/999999")), 404)
    assert_problem(mine.get(url(999999, "/template")), 404)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email.like("student50@%"))
        )
        == 0
    )


def test_a_pending_university_cannot_import(as_user):
    org = factories.UniversityFactory(status="pending")
    admin = factories.member(org, "admin")
    assert_problem(upload(as_user(admin), org.id, csv_file(students(1))), 409)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("名单.pdf", b"%PDF-1.4 not a roster", "xlsx"),
        ("名单.csv", b"", "empty"),
        ("名单.csv", b"\xef\xbb\xbf\r\n", "empty"),
        ("名单.xlsx", b"PK\x03\x04 broken zip", "xlsx"),
        ("名单.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "csv"),
        ("名单.csv", "姓名,学号,专业\n张三,1,e-commerce\n".encode(), "邮箱 email"),
        ("名单.csv", "姓名,学号,邮箱,专业,毕业年份\n".encode(), "no students"),
    ],
)
def test_files_that_cannot_be_imported(uni, as_user, name, content, says):
    errors = validation_errors(upload(as_user(uni.staff), uni.id, content, name))
    assert list(errors) == ["file"]
    assert says in errors["file"][0]


def test_a_file_without_a_file_field(uni, as_user):
    errors = validation_errors(
        as_user(uni.staff).post(url(uni.id), data={}, content_type="multipart/form-data")
    )
    assert "file" in errors


def test_over_the_row_limit(uni, as_user, monkeypatch):
    from cbec_alliance.rosters import files

    monkeypatch.setattr(files, "MAX_ROWS", 3)
    staff = as_user(uni.staff)
    for content, name in ((csv_file(students(4)), "a.csv"), (xlsx_file(students(4)), "a.xlsx")):
        errors = validation_errors(upload(staff, uni.id, content, name))
        assert "at most 3 rows" in errors["file"][0]
    assert imported(staff, uni.id, csv_file(students(3)))["created"] == 3


def test_setting_a_first_password_needs_a_good_token_and_password(uni, as_user, client):
    imported(as_user(uni.staff), uni.id, csv_file(students(1)))
    token = db.session.scalar(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "invitation.roster")
    ).payload["token"]
    assert_problem(
        client.post("/api/v1/invitations/nope/password", json={"password": "x" * 12}), 404
    )
    assert "password" in validation_errors(
        client.post(f"/api/v1/invitations/{token}/password", json={"password": "short"})
    )
    # An account that has a password logs in and accepts instead.
    staff = as_user(uni.staff)
    staff.post(
        f"/api/v1/organizations/{uni.id}/invitations",
        json={"email": uni.student.email, "role": "staff"},
    )
    events = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "invitation.created")
    ).all()
    for event in events:
        got = client.post(
            f"/api/v1/invitations/{event.payload['token']}/password", json={"password": "x" * 12}
        )
        assert_problem(got, 409)


def test_a_student_removed_after_the_import_joins_again_with_the_invitation(uni, as_user, client):
    admin = as_user(uni.admin)
    job = imported(admin, uni.id, csv_file(students(1)))
    user_id = report(admin, uni.id, job["id"])[0]["user_id"]
    removed = admin.delete(f"/api/v1/organizations/{uni.id}/members/{user_id}")
    assert removed.status_code == 204
    token = db.session.scalar(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "invitation.roster")
    ).payload["token"]
    joined = client.post(f"/api/v1/invitations/{token}/password", json={"password": "x" * 12})
    assert joined.status_code == 201, joined.get_json()
    assert (
        db.session.scalar(
            sa.select(Membership.role).where(
                Membership.user_id == user_id, Membership.organization_id == uni.id
            )
        )
        == "student"
    )
