"""factory-boy factories for the tests (rows go through the test's session)."""

from __future__ import annotations

import itertools

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from cbec_alliance.accounts.models import User
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.organizations.codes import uscc_check_char
from cbec_alliance.organizations.models import Membership, Organization, OrganizationMajor

PASSWORD = "correct horse battery"  # noqa: S105 - the tests' shared password
_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
_seq = itertools.count(1)


def valid_uscc(n: int) -> str:
    """A valid unified social credit code derived from `n`."""
    body = f"91440101MA{n:07d}"[:17]
    return body + uscc_check_char(body)


class Base(SQLAlchemyModelFactory):
    """Every factory (domain factories in tests/<domain>/factories.py subclass it too)."""

    class Meta:
        abstract = True
        # Commit (to the test's savepoint): a later 4xx request, which rolls back its own
        # work, must not also roll back the rows the test set up before it.
        sqlalchemy_session_persistence = "commit"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    name = factory.Sequence(lambda n: f"用户{n} User {n}")
    password_hash = _HASH
    platform_role = "user"
    # Verified, as every account made before verification existed: tests about
    # verification make unverified ones (email_verified_at=None).
    email_verified_at = factory.LazyFunction(utcnow)


class CoordinatorFactory(UserFactory):
    platform_role = "coordinator"


class OrganizationFactory(Base):
    class Meta:
        model = Organization

    kind = "enterprise"
    name = factory.Sequence(lambda n: f"广州跨境企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Guangzhou CBEC Enterprise {n}")
    district = "tianhe"
    status = "approved"
    uscc = factory.LazyFunction(lambda: valid_uscc(next(_seq)))
    size = "small"
    platforms = factory.LazyFunction(lambda: ["amazon"])


class UniversityFactory(OrganizationFactory):
    kind = "university"
    name = factory.Sequence(lambda n: f"广州大学{n}")
    name_en = factory.Sequence(lambda n: f"Guangzhou University {n}")
    district = "panyu"
    uscc = None
    size = None
    platforms = None
    school_code = factory.Sequence(lambda n: f"{1400000000 + n}")
    level = "undergraduate"

    @factory.post_generation
    def majors(obj, create, extracted, **kwargs):
        obj.majors = [
            OrganizationMajor(code=c, yearly_graduates=n)
            for c, n in (extracted or [("e-commerce", 300)])
        ]


class MembershipFactory(Base):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "staff"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def bind(session) -> None:
    """Point every factory, the domains' included, at the test's session."""
    for f in _subclasses(Base):
        f._meta.sqlalchemy_session = session


def member(org: Organization, role: str = "staff", **user_kw) -> User:
    """A new user who is a member of `org` with `role`."""
    user = UserFactory(**user_kw)
    MembershipFactory(user=user, organization=org, role=role)
    return user
