"""The kinds of attachment courses own (documents.kinds)."""

from __future__ import annotations

from cbec_alliance.documents.kinds import Kind, register

from . import materials

# Target: one version of a material (course_materials.id).
register(Kind(materials.KIND, materials.can_view, materials.can_attach, managed=True))
