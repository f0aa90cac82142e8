"""The enterprise's webhooks page (admins): list, register (secret shown once), delete."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Webhook
from tests import factories
from tests.console.conftest import text_of

E = "/console/enterprise"
HOOK = "http://127.0.0.1:9/cbec-hook"  # loopback is allowed when testing


def page_text(resp) -> str:
    return html.unescape(text_of(resp))


@pytest.fixture
def shop():
    org = factories.OrganizationFactory()
    return org, factories.member(org, "admin"), factories.member(org, "staff")


def _hooks(org) -> list[Webhook]:
    return list(
        db.session.scalars(
            sa.select(Webhook).where(Webhook.organization_id == org.id, Webhook.active)
        )
    )


def test_an_admin_registers_and_deletes_a_webhook(as_user, shop):
    org, admin, _staff = shop
    c = as_user(admin)
    resp = c.get(f"{E}/{org.id}/webhooks")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert 'value="application.submitted"' in body
    resp = c.post(
        f"{E}/{org.id}/webhooks",
        data={"url": HOOK, "events": ["application.submitted", "internship.published"]},
    )
    assert resp.status_code == 201
    (hook,) = _hooks(org)
    assert hook.events == ["application.submitted", "internship.published"]
    assert hook.secret in resp.get_data(as_text=True)  # shown this once
    listed = c.get(f"{E}/{org.id}/webhooks")
    assert HOOK in page_text(listed)
    assert hook.secret not in listed.get_data(as_text=True)
    gone = c.post(f"{E}/{org.id}/webhooks/{hook.id}/delete")
    assert gone.status_code == 303
    assert _hooks(org) == []
    assert c.post(f"{E}/{org.id}/webhooks/{hook.id}/delete").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "not a url", "events": ["application.submitted"]}, "url"),
        ({"url": HOOK}, "events"),
        ({"url": HOOK, "events": ["no.such.event"]}, "events"),
        ({"url": "http://nowhere.invalid/hook", "events": ["application.submitted"]}, "url"),
        ({"url": HOOK, "events": ["application.submitted"], "secret": "short"}, "secret"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(as_user, shop, data, field):
    org, admin, _staff = shop
    resp = as_user(admin).post(f"{E}/{org.id}/webhooks", data=data)
    assert resp.status_code == 422
    assert f'id="e-{field}"' in resp.get_data(as_text=True)
    assert _hooks(org) == []


def test_only_the_enterprises_admins(as_user, shop):
    org, admin, staff = shop
    c = as_user(admin)
    c.post(f"{E}/{org.id}/webhooks", data={"url": HOOK, "events": ["application.submitted"]})
    (hook,) = _hooks(org)
    # Staff see the enterprise's pages but not its webhooks (nor the link to them).
    s = as_user(staff)
    assert "/webhooks" not in s.get(f"{E}/{org.id}/postings").get_data(as_text=True)
    assert "/webhooks" in c.get(f"{E}/{org.id}/postings").get_data(as_text=True)
    other_org = factories.OrganizationFactory()
    for outsider in (staff, factories.member(other_org, "admin")):
        oc = as_user(outsider)
        resp = oc.get(f"{E}/{org.id}/webhooks")
        assert resp.status_code == 403
        assert HOOK not in page_text(resp)
        assert oc.post(f"{E}/{org.id}/webhooks/{hook.id}/delete").status_code == 403
        resp = oc.post(
            f"{E}/{org.id}/webhooks", data={"url": HOOK, "events": ["internship.published"]}
        )
        assert resp.status_code == 403
    assert len(_hooks(org)) == 1
    # Another enterprise's admin cannot reach this one's webhook through their own page.
    other_admin = as_user(factories.member(other_org, "admin"))
    assert other_admin.post(f"{E}/{other_org.id}/webhooks/{hook.id}/delete").status_code == 404
    assert len(_hooks(org)) == 1
