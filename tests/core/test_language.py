"""Messages in the user's language: their setting, then Accept-Language, else English; and a
catalogue in which every message the source marks has a Chinese translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from cbec_alliance.core import catalogue
from tests import factories
from tests.helpers import assert_problem, validation_errors

REGISTER = "/api/v1/auth/register"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-US,en;q=0.9"}


def test_a_bad_request_in_english_by_default_and_by_accept_language(client):
    for headers in ({}, EN, {"Accept-Language": "fr"}):
        resp = client.post(REGISTER, json={}, headers=headers)
        body = assert_problem(resp, 422)
        assert body["title"] == "Unprocessable Entity"
        assert body["detail"] == "Validation failed for: email, name, password"
        assert validation_errors(resp)["email"] == ["Missing data for required field."]
        assert resp.headers["Content-Language"] == "en"


@pytest.mark.parametrize("accept", ["zh-CN", "zh", "zh-Hans-CN", "en;q=0.3, zh-CN;q=0.8"])
def test_the_same_bad_request_in_chinese_by_accept_language(client, accept):
    resp = client.post(REGISTER, json={}, headers={"Accept-Language": accept})
    body = assert_problem(resp, 422)
    assert body["title"] == "无法处理的实体"
    assert body["detail"] == "以下字段验证失败：email, name, password"
    assert validation_errors(resp)["email"] == ["缺少必填字段。"]
    assert resp.headers["Content-Language"] == "zh-CN"
    assert "Accept-Language" in resp.headers["Vary"]


def test_validation_messages_marshmallow_filled_in_are_translated_with_their_values(client):
    data = {"email": "not-an-email", "password": "short", "name": "李华", "language": "fr"}
    resp = client.post(REGISTER, json=data, headers=ZH)
    errors = validation_errors(resp)
    assert errors["email"] == ["不是有效的电子邮件地址。"]
    assert errors["password"] == ["长度必须在 10 到 200 之间。"]
    assert errors["language"] == ["必须是以下之一：zh, en。"]
    english = validation_errors(client.post(REGISTER, json=data))
    assert english["password"] == ["Length must be between 10 and 200."]
    assert english["language"] == ["Must be one of: zh, en."]


def test_an_unknown_field_and_a_malformed_body_in_chinese(client):
    resp = client.post(REGISTER, json={"nope": 1}, headers=ZH)
    assert validation_errors(resp)["nope"] == ["未知字段。"]
    resp = client.post(
        REGISTER, data=b"{", content_type="application/json", headers={"Accept-Language": "zh"}
    )
    assert assert_problem(resp, 400)["title"] == "请求错误"


def test_a_404_detail_in_chinese(app, as_user):
    c = as_user(factories.UserFactory())
    body = assert_problem(c.get("/api/v1/organizations/999999", headers=ZH), 404)
    assert body["title"] == "未找到"
    assert body["detail"] == "未找到机构"
    body = assert_problem(c.get("/api/v1/organizations/999999", headers=EN), 404)
    assert body["detail"] == "organization not found"
    unknown_url = assert_problem(c.get("/api/v1/nope", headers=ZH), 404)
    assert unknown_url["detail"].startswith("服务器上未找到请求的 URL。")


def test_a_409_detail_in_chinese(app, client):
    user = factories.UserFactory()
    data = {"email": user.email, "password": "a long enough password", "name": "王芳"}
    body = assert_problem(client.post(REGISTER, json=data, headers=ZH), 409)
    assert body["title"] == "冲突"
    assert body["detail"] == "使用该电子邮件的用户已存在"
    body = assert_problem(client.post(REGISTER, json=data), 409)
    assert body["detail"] == "a user with this email already exists"


def test_the_users_setting_overrides_accept_language(app, as_user):
    user = factories.UserFactory()
    c = as_user(user)
    me = c.get("/api/v1/auth/me").get_json()
    assert me["ui_language"] is None
    resp = c.patch("/api/v1/auth/me", json={"ui_language": "zh-CN"}, headers=EN)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["ui_language"] == "zh-CN"
    assert resp.headers["Content-Language"] == "zh-CN"
    body = assert_problem(c.get("/api/v1/organizations/999999", headers=EN), 404)
    assert body["detail"] == "未找到机构"
    c.patch("/api/v1/auth/me", json={"ui_language": "en"})
    body = assert_problem(c.get("/api/v1/organizations/999999", headers=ZH), 404)
    assert body["detail"] == "organization not found"
    c.patch("/api/v1/auth/me", json={"ui_language": None})
    body = assert_problem(c.get("/api/v1/organizations/999999", headers=ZH), 404)
    assert body["detail"] == "未找到机构"


def test_a_language_outside_the_two_is_a_422_naming_the_field(app, as_user):
    c = as_user(factories.UserFactory())
    resp = c.patch("/api/v1/auth/me", json={"ui_language": "fr"})
    assert_problem(resp, 422)
    assert "ui_language" in validation_errors(resp)


def test_every_response_says_its_language(client):
    assert client.get("/healthz").headers["Content-Language"] == "en"
    assert client.get("/healthz", headers=ZH).headers["Content-Language"] == "zh-CN"


def test_a_conflict_naming_who_it_waits_for_in_chinese(app):
    from cbec_alliance.core.errors import Waiting, waiting_text

    waits = [
        Waiting("enterprise", "confirm", name="广州某某公司", id=1),
        Waiting("enterprise", "confirm", name="B", id=2),
        Waiting("coordinator", "approve the organization"),
    ]
    with app.test_request_context(headers=ZH):
        assert waiting_text(waits) == (
            "正在等待广州某某公司（企业 1）和B（企业 2）确认，然后协调员审批该机构"
        )
    with app.test_request_context(headers=EN):
        assert waiting_text(waits) == (
            "waiting for 广州某某公司 (enterprise 1) and B (enterprise 2) to confirm, "
            "then a coordinator to approve the organization"
        )


# The catalogue ------------------------------------------------------------------------------


def test_every_message_the_source_marks_has_a_chinese_translation():
    extracted = {m.id for m in catalogue.extract() if m.id}
    assert len(extracted) > 500
    for locale in catalogue.CATALOGUES:
        po = catalogue.read(locale)
        assert not po.fuzzy
        translated = {m.id: m for m in po if m.id}
        missing = sorted(extracted - set(translated))
        assert not missing, f"not in {locale}'s .po (run `flask translations update`): {missing}"
        empty = sorted(m.id for m in translated.values() if not m.string)
        assert not empty, f"untranslated in {locale}: {empty}"
        fuzzy = sorted(m.id for m in translated.values() if m.fuzzy)
        assert not fuzzy, f"fuzzy in {locale}: {fuzzy}"
        # A translation keeps the msgid's placeholders (else formatting raises KeyError).
        problems = [(m.id, errors) for m, errors in po.check()]
        assert not problems


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_the_compiled_catalogue_is_the_po():
    for locale in catalogue.CATALOGUES:
        with catalogue.po_path(locale).with_suffix(".mo").open("rb") as fh:
            mo = read_mo(fh)
        compiled = {m.id: m.string for m in mo if m.id}
        source = {m.id: m.string for m in catalogue.read(locale) if m.id}
        assert compiled == source, "run `flask translations compile` and commit the .mo"
        assert all(_placeholders(k) == _placeholders(v) for k, v in source.items())


HELPERS = {"not_found": 0, "forbidden": 0, "conflict": 0, "invalid": 1, "waiting_on": 0}


def test_no_error_helper_is_given_an_f_string_or_a_concatenation():
    """A formatted English message cannot be looked up: the helpers take msgid literals or
    `_("... %(name)s", name=...)`. (Messages passed through a variable are not seen here.)"""
    package = Path(catalogue.PACKAGE)
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            index = HELPERS.get(name or "")
            if index is None or len(node.args) <= index:
                continue
            if isinstance(node.args[index], (ast.JoinedStr, ast.BinOp)):
                found.append(f"{path.relative_to(package)}:{node.lineno}")
    assert not found
