"""The agreement: versions, signatures (who, when, where, which hash), voiding, the
guardian's consent, immutability, and the PDF with Chinese text and the hash."""

from __future__ import annotations

from datetime import date, timedelta

import pypdfium2 as pdfium
import sqlalchemy as sa

from cbec_alliance.core.pdf import sha256_hex
from cbec_alliance.extensions import db
from cbec_alliance.placements import services
from cbec_alliance.placements.models import Agreement, Placement, Signature
from tests.helpers import assert_problem, validation_errors
from tests.placements.factories import assign_mentors, insure, ready, sign_all, world


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


def _url(w, tail: str = "") -> str:
    return f"/api/v1/placements/{w.placement.id}/agreement{tail}"


def test_each_party_signs_with_who_when_where_and_the_hash(run, as_user):
    w = run(world)
    body = as_user(w.student).get(_url(w)).get_json()
    assert body["sha256"] == sha256_hex(body["text"])
    resp = as_user(w.student).post(
        _url(w, "/signatures"),
        json={"sha256": body["sha256"]},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert resp.status_code == 201, resp.get_json()
    signature = resp.get_json()["signatures"][0]
    assert (signature["party"], signature["signer_id"]) == ("student", w.student.id)
    assert (signature["ip"], signature["sha256"]) == ("203.0.113.7", body["sha256"])
    assert resp.get_json()["missing_parties"] == ["enterprise", "university"]
    again = as_user(w.student).post(_url(w, "/signatures"), json={"sha256": body["sha256"]})
    assert "already signed" in assert_problem(again, 409)["detail"]
    for user in (w.uni_staff, w.ent_staff):
        assert (
            as_user(user).post(_url(w, "/signatures"), json={"sha256": body["sha256"]}).status_code
            == 201
        )
    final = as_user(w.student).get(_url(w)).get_json()
    assert final["missing_parties"] == []
    assert final["signed_at"] is not None


def test_a_non_party_may_not_sign(run, as_user, coord):
    w = run(world)
    run(assign_mentors, w)
    sha = as_user(w.student).get(_url(w)).get_json()["sha256"]
    # A coordinator may read the placement, but signs for no party.
    assert_problem(coord.post(_url(w, "/signatures"), json={"sha256": sha}), 403)
    student_for_enterprise = as_user(w.student).post(
        _url(w, "/signatures"), json={"sha256": sha, "party": "enterprise"}
    )
    assert_problem(student_for_enterprise, 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0


def test_bad_signature_input(run, as_user):
    w = run(world)
    client = as_user(w.student)
    assert "sha256" in validation_errors(client.post(_url(w, "/signatures"), json={}))
    assert "sha256" in validation_errors(
        client.post(_url(w, "/signatures"), json={"sha256": "ABC"})
    )
    assert "party" in validation_errors(
        client.post(_url(w, "/signatures"), json={"sha256": "a" * 64, "party": "mentor"})
    )


def test_a_change_of_terms_voids_the_signatures_and_keeps_the_signed_text(run, as_user):
    w = run(world)
    first = as_user(w.student).get(_url(w)).get_json()
    as_user(w.student).post(_url(w, "/signatures"), json={"sha256": first["sha256"]})
    resp = as_user(w.ent_staff).patch(
        f"/api/v1/placements/{w.placement.id}", json={"hours_per_day": 7.5}
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["terms_version"] == 2
    second = as_user(w.student).get(_url(w)).get_json()
    assert second["terms_version"] == 2
    assert second["signatures"] == []
    assert "7.5" in second["text"]
    old = db.session.get(Agreement, first["id"])
    assert old.text == first["text"]
    assert old.sha256 == first["sha256"]
    assert old.voided_at is not None
    assert [s.party for s in old.signatures] == ["student"]
    stale = as_user(w.uni_staff).post(_url(w, "/signatures"), json={"sha256": first["sha256"]})
    assert "changed" in assert_problem(stale, 409)["detail"]
    # Nothing changed: no new version.
    same = as_user(w.ent_staff).patch(
        f"/api/v1/placements/{w.placement.id}", json={"hours_per_day": 7.5}
    )
    assert same.get_json()["terms_version"] == 2


def test_mentors_and_insurance_are_facts_of_the_agreement(run, as_user):
    w = run(world)
    run(insure, w)
    run(assign_mentors, w)
    body = as_user(w.student).get(_url(w)).get_json()
    assert body["terms_version"] == 4  # made, then insured, then two mentors
    assert f"PICC-{w.placement.id}" in body["text"]
    assert w.school_mentor.name in body["text"]


def test_terms_breaking_a_rule_are_refused_naming_the_clause(run, as_user):
    w = run(world)
    resp = as_user(w.uni_staff).patch(
        f"/api/v1/placements/{w.placement.id}",
        json={"work_starts_at": "20:00:00", "work_ends_at": "23:00:00", "overtime": True},
    )
    problem = assert_problem(resp, 409)
    assert [rule["code"] for rule in problem["rules"]] == ["no_overtime", "no_night_shifts"]
    placement = db.session.get(Placement, w.placement.id)
    assert placement.overtime is False
    assert placement.terms_version == 1
    backwards = as_user(w.uni_staff).patch(
        f"/api/v1/placements/{w.placement.id}", json={"ends_on": "2000-01-01"}
    )
    assert "ends_on" in validation_errors(backwards)
    assert_problem(
        as_user(w.student).patch(f"/api/v1/placements/{w.placement.id}", json={"stipend": 9000}),
        403,
    )


def test_a_guardian_consents_for_a_student_under_18(run, as_user):
    w = run(world, birth_date=date.today() - timedelta(days=17 * 365))
    run(sign_all, w)
    body = as_user(w.student).get(_url(w)).get_json()
    assert body["guardian_required"] is True
    assert body["missing_parties"] == ["guardian"]
    no_name = as_user(w.student).post(
        _url(w, "/signatures"), json={"sha256": body["sha256"], "party": "guardian"}
    )
    assert "guardian_name" in validation_errors(no_name)
    by_enterprise = as_user(w.ent_staff).post(
        _url(w, "/signatures"),
        json={"sha256": body["sha256"], "party": "guardian", "guardian_name": "王建国"},
    )
    assert_problem(by_enterprise, 403)
    resp = as_user(w.uni_staff).post(
        _url(w, "/signatures"),
        json={"sha256": body["sha256"], "party": "guardian", "guardian_name": "王建国"},
    )
    assert resp.status_code == 201
    assert resp.get_json()["missing_parties"] == []
    assert resp.get_json()["signatures"][-1]["signer_name"] == "王建国"


def test_an_adult_needs_no_guardian(run, as_user):
    w = run(world)
    sha = as_user(w.student).get(_url(w)).get_json()["sha256"]
    resp = as_user(w.student).post(
        _url(w, "/signatures"), json={"sha256": sha, "party": "guardian", "guardian_name": "王"}
    )
    assert "no guardian consent is needed" in assert_problem(resp, 409)["detail"]


def test_a_started_placement_s_agreement_is_immutable(run, as_user):
    w = run(ready, run(world))
    run(services.activate, w.uni_staff, w.placement)
    signed = as_user(w.student).get(_url(w)).get_json()
    patch = as_user(w.uni_staff).patch(f"/api/v1/placements/{w.placement.id}", json={"stipend": 1})
    assert_problem(patch, 409)
    run(insure, w)  # a renewal while active does not touch the signed text
    assert as_user(w.student).get(_url(w)).get_json()["sha256"] == signed["sha256"]
    late = as_user(w.student).post(_url(w, "/signatures"), json={"sha256": signed["sha256"]})
    assert_problem(late, 409)


def test_the_pdf_has_the_chinese_text_and_the_hash(run, as_user):
    w = run(world)
    run(sign_all, w)
    resp = as_user(w.ent_staff).get(_url(w, ".pdf"))
    assert resp.status_code == 200
    assert resp.content_type == "application/pdf"
    assert f"agreement-{w.placement.id}.pdf" in resp.headers["Content-Disposition"]
    text = pdf_text(resp.data)
    sha = db.session.get(Placement, w.placement.id)
    agreement = db.session.scalar(
        sa.select(Agreement).where(
            Agreement.placement_id == sha.id, Agreement.terms_version == sha.terms_version
        )
    )
    assert "三方实习协议" in text
    assert w.posting.title in text
    assert agreement.sha256 in text.replace("\r", "").replace("\n", "")
    assert "已签署" in text
