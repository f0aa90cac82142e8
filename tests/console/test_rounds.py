"""Match rounds in the console: the coordinator closes, runs and publishes through the
matching services; others read or are refused; a step out of order shows the service's 409."""

from __future__ import annotations

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound
from tests import factories
from tests.console.conftest import text_of
from tests.matching.conftest import close, scene  # noqa: F401 - the matching tests' scene

PAGE = "/console/monitoring/match-rounds/"


def test_close_run_and_publish_from_the_console(scene):  # noqa: F811
    r = scene.round(name="2027 春季实习匹配 控制台")
    scene.prefer(r["id"], 0, scene.a, scene.c)
    scene.prefer(r["id"], 1, scene.a)
    listing = text_of(scene.coord.get(PAGE))
    assert "2027 春季实习匹配 控制台" in listing
    assert "关闭志愿填报" in listing

    resp = scene.coord.post(f"{PAGE}{r['id']}/close-preferences")
    assert resp.status_code == 303
    assert db.session.get(MatchRound, r["id"]).preferences_open is False
    close(r["id"])
    assert scene.coord.post(f"{PAGE}{r['id']}/run").status_code == 303
    rnd = db.session.get(MatchRound, r["id"])
    db.session.refresh(rnd)
    assert rnd.status == "done"  # in-process tasks in the tests
    shown = text_of(scene.coord.get(PAGE))
    assert f"已匹配 {rnd.stats['matched']}" in shown
    assert "发布" in shown

    assert scene.coord.post(f"{PAGE}{r['id']}/publish").status_code == 303
    db.session.refresh(rnd)
    assert rnd.status == "published"
    assert "录用通知已发布" in text_of(scene.coord.get(PAGE))


def test_a_step_out_of_order_shows_the_service_refusal(scene):  # noqa: F811
    r = scene.round()
    resp = scene.coord.post(f"{PAGE}{r['id']}/publish")
    assert resp.status_code == 303
    assert db.session.get(MatchRound, r["id"]).status == "collecting"
    assert "publish" in text_of(scene.coord.get(PAGE))
    assert scene.coord.post(f"{PAGE}{r['id']}/launch").status_code == 404
    assert scene.coord.post(f"{PAGE}999999/run").status_code == 404


def test_enterprise_staff_cannot_run_a_round_or_read_the_page(scene):  # noqa: F811
    r = scene.round()
    assert scene.e1.get(PAGE).status_code == 403
    assert scene.e1.post(f"{PAGE}{r['id']}/close-preferences").status_code == 403
    assert db.session.get(MatchRound, r["id"]).preferences_open is True


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_government_reads_without_buttons(scene, as_user, role):  # noqa: F811
    scene.round(name="政府只读轮次")
    gov = factories.OrganizationFactory(kind="government", uscc=None, size=None, platforms=None)
    reader = as_user(factories.member(gov, role))
    resp = reader.get(PAGE)
    assert resp.status_code == 200
    assert "政府只读轮次" in text_of(resp)
    assert "运行匹配" not in text_of(resp)
    assert reader.post(f"{PAGE}1/run").status_code == 403
