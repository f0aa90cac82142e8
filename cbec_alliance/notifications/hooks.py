"""The hooks the notifications domain provides to the floors below it (`core.hooks`)."""

from __future__ import annotations

from cbec_alliance.core import events

from . import outbox

# Every domain emits through core.events; the outbox records what they emit.
events.record.provide(outbox.emit)
events.record_many.provide(outbox.emit_many)
