"""`parties`: each kind of object answers who its parties are, from its own tables."""

from __future__ import annotations

from cbec_alliance.accounts.models import User
from cbec_alliance.conversations import parties
from cbec_alliance.extensions import db
from tests import factories


def test_parties_are_exactly_the_objects_people_and_staff(ctx, any_subject):
    s = any_subject
    found = parties.parties(s.subject, s.subject_id)
    for name, user in s.parties.items():
        assert user.id in found, name
        assert parties.is_party(db.session.get(User, user.id), s.subject, s.subject_id), name
    for name, user in s.outsiders.items():
        assert user.id not in found, name
        assert not parties.is_party(db.session.get(User, user.id), s.subject, s.subject_id), name


def test_an_object_that_does_not_exist_has_no_parties(ctx, any_subject):
    s = any_subject
    user = next(iter(s.parties.values()))
    assert parties.parties(s.subject, 2**31 - 1) == set()
    assert not parties.is_party(user, s.subject, 2**31 - 1)
    assert parties.party_ids(user, s.subject, [s.subject_id, 2**31 - 1]) == {s.subject_id}


def test_an_unknown_kind_has_no_parties(ctx, any_subject):
    user = next(iter(any_subject.parties.values()))
    assert parties.parties("lecture", any_subject.subject_id) == set()
    assert not parties.is_party(user, "lecture", any_subject.subject_id)


def test_organization_parties_are_admins_and_staff_not_students(ctx):
    from tests.conversations.builders import partnership

    s = partnership()
    uni_id = next(m.organization_id for m in s.parties["university"].memberships)
    org = db.session.get(type(s.parties["university"].memberships[0].organization), uni_id)
    member_student = factories.member(org, "student")
    admin = factories.member(org, "admin")
    found = parties.parties(s.subject, s.subject_id)
    assert admin.id in found
    assert member_student.id not in found
