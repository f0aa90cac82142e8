"""The access case of the test-only kind `test_folder` (tests/documents/conftest.py)."""

from __future__ import annotations

from tests import factories
from tests.documents.matrix import Case, builder, upload


@builder("test_folder")
def folder() -> Case:
    """A university's folder: its admin uploads and attaches, its staff read; another
    university's admin and a user of no organization may not."""
    uni = factories.UniversityFactory(name="广州商贸职业学院")
    admin = factories.member(uni, "admin")
    staff = factories.member(uni, "staff")
    stranger = factories.member(factories.UniversityFactory(name="广州番禺职业技术学院"), "admin")
    loner = factories.UserFactory()
    document = upload(admin, kind="test_folder", target_id=uni.id)
    return Case(
        kind="test_folder",
        target_id=uni.id,
        document_id=document.id,
        allowed={"uploader (admin)": admin, "staff": staff},
        others={"another university's admin": stranger, "a user of no organization": loner},
    )
