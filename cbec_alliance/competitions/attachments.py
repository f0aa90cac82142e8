"""The kinds of attachment competitions own (documents.kinds)."""

from __future__ import annotations

from cbec_alliance.documents.kinds import Kind, register

from . import submissions

# Target: one submission (competition_submissions.id); any type, zip archives included (the
# upload refuses zip bombs).
register(
    Kind(
        submissions.KIND,
        submissions.can_view,
        submissions.can_attach,
        public=submissions.is_public,
        managed=True,
    )
)
