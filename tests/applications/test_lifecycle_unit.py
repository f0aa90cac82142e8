"""The application state machine, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.applications.lifecycle import (
    ACTIVE,
    FINAL,
    TRANSITIONS,
    WrongParty,
    WrongStep,
    allowed_verbs,
    step,
)
from cbec_alliance.applications.models import STATUSES


def test_the_happy_path():
    status = "submitted"
    for verb, party in (
        ("shortlist", "enterprise"),
        ("offer", "enterprise"),
        ("accept", "student"),
        ("complete", "enterprise"),
    ):
        status = step(status, verb, party)
    assert status == "completed"


def test_the_other_party_may_not_use_a_verb():
    with pytest.raises(WrongParty):
        step("offered", "accept", "enterprise")
    with pytest.raises(WrongParty):
        step("submitted", "offer", "student")
    with pytest.raises(WrongParty):
        step("submitted", "offer", "university")


def test_wrong_step_names_what_is_allowed():
    with pytest.raises(WrongStep) as exc:
        step("submitted", "accept", "student")
    assert exc.value.allowed == ["withdraw"]
    assert allowed_verbs("offered", "enterprise") == ["reject"]


@given(st.sampled_from(STATUSES), st.sampled_from(sorted(TRANSITIONS)))
def test_final_states_are_final_and_targets_are_statuses(status, verb):
    party = TRANSITIONS[verb][0]
    if status in FINAL:
        with pytest.raises(WrongStep):
            step(status, verb, party)
    elif verb in allowed_verbs(status, party):
        assert step(status, verb, party) in STATUSES
    else:
        with pytest.raises(WrongStep) as exc:
            step(status, verb, party)
        assert verb not in exc.value.allowed


def test_every_active_state_has_a_way_out_for_the_student():
    for status in ACTIVE:
        assert "withdraw" in allowed_verbs(status, "student")
