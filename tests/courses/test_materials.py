"""Course materials by version (kind `course_material`): the university's and partners'
staff upload, a title already used gets its next version, readers are the course's
university, partners, enrolled students and coordinators."""

from __future__ import annotations

from tests import factories
from tests.courses.factories import CourseFactory
from tests.documents.factories import DocumentFactory
from tests.documents.seen import who_sees
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student


def _course():
    university = factories.UniversityFactory()
    partner = factories.OrganizationFactory()
    course = CourseFactory(university_id=university.id, partners=[partner])
    return course, university, partner


def _url(course):
    return f"/api/v1/courses/{course.id}/materials"


def _upload(c, user, course, title, **kw):
    doc = DocumentFactory(uploaded_by_id=user.id, original_name=f"{title}.pdf")
    resp = c.post(_url(course), json={"title": title, "document_id": doc.id, **kw})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _enrolled(as_user, course, university):
    user = student(university)
    resp = as_user(user).post(f"/api/v1/courses/{course.id}/enrollments")
    assert resp.status_code == 201, resp.get_json()
    return user


def test_versions_by_title(as_user):
    course, university, partner = _course()
    teacher, mentor = factories.member(university), factories.member(partner)
    t, m = as_user(teacher), as_user(mentor)
    v1 = _upload(t, teacher, course, "第1章 平台规则", note="初版")
    v2 = _upload(m, mentor, course, "第1章 平台规则", note="企业更新")
    other = _upload(t, teacher, course, "实训手册")
    assert (v1["version"], v2["version"], other["version"]) == (1, 2, 1)
    latest = t.get(_url(course)).get_json()
    assert [(x["title"], x["version"]) for x in latest] == [("实训手册", 1), ("第1章 平台规则", 2)]
    assert latest[1]["document"]["name"] == "第1章 平台规则.pdf"
    every = t.get(_url(course), query_string={"all": "true"}).get_json()
    assert [(x["title"], x["version"]) for x in every] == [
        ("实训手册", 1),
        ("第1章 平台规则", 2),
        ("第1章 平台规则", 1),
    ]
    reader = as_user(_enrolled(as_user, course, university))
    assert [x["id"] for x in reader.get(_url(course)).get_json()] == [other["id"], v2["id"]]


def test_deleting_a_version(as_user):
    course, university, partner = _course()
    teacher, mentor = factories.member(university), factories.member(partner)
    admin = factories.member(university, "admin")
    v1 = _upload(as_user(teacher), teacher, course, "讲义")
    v2 = _upload(as_user(mentor), mentor, course, "讲义")
    # Another uploader who is not an admin: 403.
    assert_problem(as_user(teacher).delete(f"{_url(course)}/{v2['id']}"), 403)
    assert as_user(mentor).delete(f"{_url(course)}/{v2['id']}").status_code == 204
    assert [x["version"] for x in as_user(teacher).get(_url(course)).get_json()] == [1]
    assert as_user(admin).delete(f"{_url(course)}/{v1['id']}").status_code == 204
    assert as_user(teacher).get(_url(course)).get_json() == []
    assert_problem(as_user(admin).delete(f"{_url(course)}/{v1['id']}"), 404)


def test_who_uploads_and_reads(as_user):
    course, university, _partner = _course()
    teacher = factories.member(university)
    _upload(as_user(teacher), teacher, course, "讲义")
    enrolled = _enrolled(as_user, course, university)
    doc = DocumentFactory(uploaded_by_id=enrolled.id)
    body = {"title": "学生上传", "document_id": doc.id}
    assert_problem(as_user(enrolled).post(_url(course), json=body), 403)
    for outsider in (
        student(),
        student(university),  # same university, not enrolled
        factories.member(factories.OrganizationFactory()),
        factories.member(factories.UniversityFactory()),
    ):
        c = as_user(outsider)
        problem = assert_problem(c.get(_url(course)), 404)
        assert "讲义" not in str(problem)
        doc = DocumentFactory(uploaded_by_id=outsider.id)
        assert_problem(c.post(_url(course), json={"title": "x", "document_id": doc.id}), 404)


def test_bad_materials_name_the_field(as_user):
    course, university, _partner = _course()
    teacher = factories.member(university)
    c = as_user(teacher)
    resp = c.post(_url(course), json={"title": "借用", "document_id": DocumentFactory().id})
    assert "document_id" in validation_errors(resp)
    mine = DocumentFactory(uploaded_by_id=teacher.id)
    assert "title" in validation_errors(c.post(_url(course), json={"document_id": mine.id}))
    assert "title" in validation_errors(
        c.post(_url(course), json={"title": "", "document_id": mine.id})
    )
    assert "all" in validation_errors(c.get(_url(course), query_string={"all": "maybe"}))
    assert c.get(_url(course)).get_json() == []
    assert_problem(c.get("/api/v1/courses/999999/materials"), 404)


def test_who_sees_a_material(app, as_user):
    course, university, partner = _course()
    teacher = factories.member(university)
    made = _upload(as_user(teacher), teacher, course, "讲义")
    doc_id = made["document"]["id"]
    sees = {
        "university staff": teacher,
        "partner staff": factories.member(partner),
        "enrolled student": _enrolled(as_user, course, university),
        "coordinator": factories.CoordinatorFactory(),
    }
    others = {
        "stranger student": student(),
        "same university student": student(university),
        "other enterprise": factories.member(factories.OrganizationFactory()),
        "other university": factories.member(factories.UniversityFactory()),
    }
    assert who_sees(app, doc_id, sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc_id, others) == dict.fromkeys(others, False)
