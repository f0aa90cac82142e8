"""Documents as rows, for tests that attach files without uploading them."""

from __future__ import annotations

import hashlib

import factory

from cbec_alliance.documents.models import Document
from tests.factories import Base, UserFactory


class DocumentFactory(Base):
    """An uploaded PDF's row (its bytes are not in storage: for access and attachment
    tests; upload tests go through `POST /api/v1/documents`)."""

    class Meta:
        model = Document

    # Pass uploaded_by_id=user.id; by default a new user's upload.
    uploaded_by_id = factory.LazyFunction(lambda: UserFactory().id)
    original_name = factory.Sequence(lambda n: f"简历{n}.pdf")
    type = "pdf"
    content_type = "application/pdf"
    size = 1234
    sha256 = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    storage_key = factory.Sequence(lambda n: f"test/{n:08d}")
