"""The enterprise's match rounds: its internships in each round, and the candidates of one
to rank or exclude (matching.services.put_ranking)."""

from __future__ import annotations

import html

from cbec_alliance.extensions import db
from cbec_alliance.matching.models import Ranking
from tests import factories
from tests.console.conftest import text_of
from tests.matching.conftest import scene  # noqa: F401 - the round scene fixture

E = "/console/enterprise"


def page_text(resp) -> str:
    return html.unescape(text_of(resp))


def _ranking(round_id, posting) -> Ranking | None:
    return db.session.get(Ranking, (round_id, posting.id))


def test_rounds_list_only_this_enterprises_internships(scene):  # noqa: F811
    r = scene.round()
    resp = scene.e1.get(f"{E}/{scene.ent1.id}/match-rounds")
    assert resp.status_code == 200
    text = page_text(resp)
    assert "2027 春季实习匹配" in text
    assert "亚马逊运营实习生" in text
    assert "TikTok 直播助理" in text
    assert "跨境物流专员" not in text  # enterprise 2's
    body = resp.get_data(as_text=True)
    assert f"/match-rounds/{r['id']}/{scene.a.id}" in body
    assert f"/match-rounds/{r['id']}/{scene.c.id}" not in body


def test_the_enterprise_ranks_and_excludes_candidates(scene):  # noqa: F811
    r = scene.round()
    s = scene.students
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.b, scene.a)
    scene.prefer(r["id"], 2, scene.a, scene.c)
    url = f"{E}/{scene.ent1.id}/match-rounds/{r['id']}/{scene.a.id}"
    resp = scene.e1.get(url)
    assert resp.status_code == 200
    text = page_text(resp)
    for k in (0, 1, 2):
        assert s[k].name in text
    assert s[3].name not in text
    saved = scene.e1.post(
        url, data={f"rank-{s[2].id}": "1", f"rank-{s[0].id}": "2", "excluded": [str(s[1].id)]}
    )
    assert saved.status_code == 303
    ranking = _ranking(r["id"], scene.a)
    assert ranking.student_ids == [s[2].id, s[0].id]
    assert ranking.excluded_student_ids == [s[1].id]
    shown = scene.e1.get(url).get_data(as_text=True)
    assert f'id="rank-{s[2].id}" name="rank-{s[2].id}" inputmode="numeric" size="4" value="1"' in (
        shown
    )


def test_bad_places_and_refusals_are_shown_and_nothing_changes(scene):  # noqa: F811
    r = scene.round()
    s = scene.students
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.a)
    url = f"{E}/{scene.ent1.id}/match-rounds/{r['id']}/{scene.a.id}"
    bad = scene.e1.post(url, data={f"rank-{s[0].id}": "第一"})
    assert bad.status_code == 422
    assert f'id="e-rank-{s[0].id}"' in bad.get_data(as_text=True)
    assert _ranking(r["id"], scene.a) is None
    # Ranked and excluded at once: the service's 422 on excluded_student_ids.
    both = scene.e1.post(url, data={f"rank-{s[0].id}": "1", "excluded": [str(s[0].id)]})
    assert both.status_code == 422
    api = scene.e1.put(
        f"/api/v1/match-rounds/{r['id']}/rankings/{scene.a.id}",
        json={"student_ids": [s[0].id], "excluded_student_ids": [s[0].id]},
        headers={"Accept-Language": "zh-CN"},
    ).get_json()
    assert api["errors"]["excluded_student_ids"][0] in page_text(both)
    assert _ranking(r["id"], scene.a) is None
    # Once the round has run the ranking is closed: the service's 409.
    scene.close_and_run(r["id"])
    late = scene.e1.post(url, data={f"rank-{s[0].id}": "1"})
    assert late.status_code == 409
    api = scene.e1.put(
        f"/api/v1/match-rounds/{r['id']}/rankings/{scene.a.id}",
        json={"student_ids": [s[0].id]},
        headers={"Accept-Language": "zh-CN"},
    ).get_json()
    assert api["detail"] in page_text(late)
    assert _ranking(r["id"], scene.a) is None


def test_others_see_no_candidates(scene, as_user):  # noqa: F811
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    name = scene.students[0].name
    url = f"{E}/{scene.ent1.id}/match-rounds/{r['id']}/{scene.a.id}"
    for c in (scene.e2, scene.clients[1], as_user(factories.member(scene.university, "staff"))):
        resp = c.get(url)
        assert resp.status_code in (403, 404)
        assert name not in page_text(resp)
        assert c.post(url, data={f"rank-{scene.students[0].id}": "1"}).status_code in (403, 404)
        assert c.get(f"{E}/{scene.ent1.id}/match-rounds").status_code == 403
    assert _ranking(r["id"], scene.a) is None
    # Enterprise 2's admin, under its own id, cannot reach enterprise 1's internship.
    resp = scene.e2.get(f"{E}/{scene.ent2.id}/match-rounds/{r['id']}/{scene.a.id}")
    assert resp.status_code in (403, 404)
    assert name not in page_text(resp)
