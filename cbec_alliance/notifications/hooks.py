"""The hooks the notifications domain provides to the floors below it (`core.hooks`)."""

from __future__ import annotations

from cbec_alliance.core import events, metrics

from . import outbox

# Every domain emits through core.events; the outbox records what they emit.
events.record.provide(outbox.emit)
# /metrics reports the outbox's backlog, which only this domain can read.
metrics.outbox_backlog.provide(outbox.backlog)
events.record_many.provide(outbox.emit_many)
