"""Hooks and signals: how a lower floor reaches a higher one without importing it."""

from __future__ import annotations

import pytest

from cbec_alliance.core.hooks import Hook, Signal


def test_a_hook_calls_what_was_provided_and_fails_loudly_without():
    hook: Hook = Hook("double")
    with pytest.raises(RuntimeError, match="double"):
        hook(2)
    hook.provide(lambda x: x * 2)
    assert hook(21) == 42
    hook.provide(lambda x: x * 3)  # the last provided wins
    assert hook(2) == 6


def test_a_signal_calls_every_receiver_once_in_order():
    signal: Signal = Signal("accepted")
    seen = []

    def first(value):
        seen.append(("first", value))

    signal.send(1)  # no receivers: nothing happens
    signal.connect(first)
    signal.connect(lambda value: seen.append(("second", value)))
    signal.connect(first)  # connected once only
    signal.send("录用")
    assert seen == [("first", "录用"), ("second", "录用")]


def test_the_app_provides_every_hook_it_declares(app):
    """Every hook declared anywhere in the package is provided once the app is built."""
    import gc

    missing = [obj.name for obj in gc.get_objects() if isinstance(obj, Hook) and obj._impl is None]
    assert missing == []
