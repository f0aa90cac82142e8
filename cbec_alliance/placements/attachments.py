"""The kinds of attachment placements own (documents.kinds)."""

from __future__ import annotations

from cbec_alliance.documents.kinds import Kind, register

from . import attached

# Target: the placement (placements.id): a scan stays valid across agreement versions.
register(Kind(attached.AGREEMENT, attached.agreement_can_view, attached.agreement_can_attach))
# Target: one weekly log (placement_logs.id).
register(Kind(attached.LOG, attached.log_can_view, attached.log_can_attach))
