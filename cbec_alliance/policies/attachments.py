"""The kinds of attachment policies own (documents.kinds)."""

from __future__ import annotations

from cbec_alliance.documents.kinds import Kind, register

from . import attached

# Target: the policy application (policy_applications.id).
register(Kind(attached.KIND, attached.can_view, attached.can_attach))
