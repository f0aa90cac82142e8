"""Bulk xlsx imports: run as a task after the commit (in-process here), polled by id;
bad rows refuse the whole file unless `partial=true`, and every bad row is reported."""

from __future__ import annotations

import io

from tests.destinations.factories import YEAR, xlsx
from tests.factories import valid_uscc
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/destinations/imports"
LIST = "/api/v1/destinations"


def _upload(client, content: bytes, query: str = "", name: str = "毕业去向.xlsx"):
    return client.post(
        f"{URL}{query}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _rows(world):
    good = [
        world.student.id,
        YEAR,
        "签约就业",
        world.ent.id,
        None,
        None,
        "440106",
        "跨境电商",
        "是",
        "是",
        "6000-8000",
    ]
    good2 = [
        world.student2.id,
        YEAR,
        "flexible",
        None,
        "广州某某电商工作室",
        valid_uscc(77),
        "440300",
        "直播电商",
        "yes",
        "no",
        "4000-6000",
    ]
    bad_outcome = [
        world.student.id,
        YEAR + 1,
        "躺平",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    bad_uscc = [
        world.student.id,
        YEAR - 1,
        "flexible",
        None,
        "某公司",
        "91440101MA5CXY1230",
        None,
        None,
        None,
        None,
        None,
    ]
    bad_region = [
        world.student2.id,
        YEAR - 1,
        "other",
        None,
        None,
        None,
        "990000",
        None,
        None,
        None,
        None,
    ]
    other_uni = [
        world.other_student.id,
        YEAR,
        "other",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    return [good, good2, bad_outcome, bad_uscc, bad_region, other_uni]


def _bad(body) -> set[tuple[int, str]]:
    return {(e["row"], e["field"]) for e in body["errors"]}


def test_an_import_of_good_rows(world, as_user):
    client = as_user(world.uni_staff)
    resp = _upload(client, xlsx(_rows(world)[:2]))
    assert resp.status_code == 202, resp.get_json()
    job = client.get(f"{URL}/{resp.get_json()['id']}").get_json()
    assert job["state"] == "done"
    assert (job["rows_total"], job["rows_done"], job["imported"]) == (2, 2, 2)
    assert job["errors"] == []
    items = client.get(f"{LIST}?year={YEAR}").get_json()["items"]
    by_student = {d["student_id"]: d for d in items}
    first = by_student[world.student.id]
    assert (first["outcome"], first["employer_id"], first["confirmation"]) == (
        "employed-contract",
        world.ent.id,
        "pending",
    )
    assert first["cbec_related"] is True
    assert first["source"] == "import"
    second = by_student[world.student2.id]
    assert (second["related_to_major"], second["confirmation"]) == (False, "not_required")
    # The enterprise has one pending confirmation to see.
    pending = as_user(world.ent_staff).get(f"{LIST}/confirmations").get_json()
    assert pending["total"] == 1


def test_bad_rows_refuse_the_whole_file(world, as_user):
    client = as_user(world.uni_staff)
    job = client.get(f"{URL}/{_upload(client, xlsx(_rows(world))).get_json()['id']}").get_json()
    assert job["state"] == "failed"
    assert job["imported"] == 0
    assert _bad(job) == {
        (4, "outcome"),
        (5, "employer_uscc"),
        (6, "location_code"),
        (7, "student_id"),
    }
    assert client.get(LIST).get_json()["total"] == 0


def test_partial_imports_the_good_rows(world, as_user):
    client = as_user(world.uni_staff)
    resp = _upload(client, xlsx(_rows(world)), "?partial=true")
    job = client.get(f"{URL}/{resp.get_json()['id']}").get_json()
    assert job["state"] == "done"
    assert job["partial"] is True
    assert job["imported"] == 2
    assert len(_bad(job)) == 4
    assert client.get(LIST).get_json()["total"] == 2


def test_duplicates_and_missing_columns(world, as_user):
    client = as_user(world.uni_staff)
    row = _rows(world)[1]
    job = client.get(f"{URL}/{_upload(client, xlsx([row, row])).get_json()['id']}").get_json()
    assert _bad(job) == {(3, "student_id")}
    assert "row 2" in job["errors"][0]["message"]
    headless = xlsx([[world.student.id]], header=["student_id"])
    job = client.get(f"{URL}/{_upload(client, headless).get_json()['id']}").get_json()
    assert job["state"] == "failed"
    assert _bad(job) == {(1, "graduation_year"), (1, "outcome")}


def test_a_reimport_replaces_the_report(world, as_user):
    client = as_user(world.uni_staff)
    _upload(client, xlsx(_rows(world)[1:2]))
    changed = list(_rows(world)[1])
    changed[2] = "自主创业"
    _upload(client, xlsx([changed]))
    (item,) = client.get(LIST).get_json()["items"]
    assert item["outcome"] == "self-employed"


def test_not_an_xlsx(world, as_user):
    client = as_user(world.uni_staff)
    for content in (b"student_id,outcome\n1,flexible\n", b"PK\x03\x04broken", b""):
        assert "file" in validation_errors(_upload(client, content, name="去向.csv"))
    assert "file" in validation_errors(
        client.post(URL, data={}, content_type="multipart/form-data")
    )
    assert "partial" in validation_errors(_upload(client, xlsx([]), "?partial=perhaps"))


def test_authorization(world, client, as_user, coord):
    assert_problem(_upload(client, xlsx([])), 401)
    assert_problem(_upload(as_user(world.ent_staff), xlsx([])), 403)
    assert_problem(_upload(as_user(world.student), xlsx([])), 403)
    # Staff import for their own university only; another's job is not theirs to see.
    mine = as_user(world.uni_staff)
    assert_problem(_upload(mine, xlsx([]), f"?university_id={world.other_uni.id}"), 404)
    job_id = _upload(mine, xlsx([])).get_json()["id"]
    assert_problem(as_user(world.other_staff).get(f"{URL}/{job_id}"), 404)
    assert_problem(client.get(f"{URL}/{job_id}"), 401)
    assert coord.get(f"{URL}/{job_id}").status_code == 200
