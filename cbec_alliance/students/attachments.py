"""The kinds of attachment students own (documents.kinds)."""

from __future__ import annotations

from cbec_alliance.documents.kinds import Kind, register
from cbec_alliance.students import resumes

# Target: the résumé's row (student_resumes.id), so removing a résumé detaches only it.
register(
    Kind(
        resumes.KIND,
        resumes.can_view,
        resumes.can_attach,
        types=resumes.TYPES,
        personal=True,
        managed=True,
    )
)
