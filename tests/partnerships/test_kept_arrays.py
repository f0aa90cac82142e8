"""The enterprise arrays partner matching scores against: built once per process, rebuilt
in the background once older than PARTNER_MATCH_MAX_AGE, before use past twice that age."""

from __future__ import annotations

import threading

import pytest

from cbec_alliance.insights import partner_arrays


class Builds:
    """A builder counting its calls; each build returns its number."""

    def __init__(self) -> None:
        self.count = 0
        self.done = threading.Event()

    def __call__(self):
        self.count += 1
        self.done.set()
        return self.count


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1000.0}
    monkeypatch.setattr(partner_arrays.time, "monotonic", lambda: now["t"])
    return now


def _wait_for_refresh(builds: Builds, kept) -> None:
    assert builds.done.wait(5)
    for _ in range(500):  # the thread stores its value, then clears the flag
        if not kept._refreshing:
            return
        threading.Event().wait(0.01)
    raise AssertionError("the background rebuild never finished")


def test_with_age_zero_every_use_rebuilds(app, monkeypatch, clock):
    monkeypatch.setitem(app.config, "PARTNER_MATCH_MAX_AGE", 0.0)
    builds = Builds()
    kept = partner_arrays.KeptArrays(builds)
    with app.app_context():
        assert [kept.get() for _ in range(3)] == [1, 2, 3]


def test_old_arrays_are_served_while_new_ones_are_built(app, monkeypatch, clock):
    monkeypatch.setitem(app.config, "PARTNER_MATCH_MAX_AGE", 60.0)
    builds = Builds()
    kept = partner_arrays.KeptArrays(builds)
    with app.app_context():
        assert kept.get() == 1
        clock["t"] += 30
        assert kept.get() == 1  # young enough: no rebuild
        assert builds.count == 1
        builds.done.clear()
        clock["t"] += 40  # 70 s old: served, and rebuilt behind the request
        assert kept.get() == 1
        _wait_for_refresh(builds, kept)
        assert kept.get() == 2
        clock["t"] += 200  # far too old (a worker idle for long): rebuilt before use
        assert kept.get() == 3


def test_forget_drops_the_arrays(app, monkeypatch, clock):
    monkeypatch.setitem(app.config, "PARTNER_MATCH_MAX_AGE", 60.0)
    builds = Builds()
    kept = partner_arrays.KeptArrays(builds)
    with app.app_context():
        kept.get()
        kept.clear()
        assert kept.get() == 2
