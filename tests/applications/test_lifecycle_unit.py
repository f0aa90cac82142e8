"""The application state machine (a `core.lifecycle` table), without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import Conflict

from cbec_alliance.applications.lifecycle import ACTIVE, FINAL, LIFECYCLE, OFFER_FROM
from cbec_alliance.applications.models import STATUSES
from cbec_alliance.core.lifecycle import WrongParty


def test_the_happy_path():
    status = "submitted"
    for verb, party in (
        ("shortlist", "enterprise"),
        ("offer", "enterprise"),
        ("accept", "student"),
        ("complete", "enterprise"),
    ):
        status = LIFECYCLE.target(status, verb, party=party)
    assert status == "completed"


def test_the_other_party_may_not_use_a_verb():
    with pytest.raises(WrongParty) as exc:
        LIFECYCLE.target("offered", "accept", party="enterprise")
    assert exc.value.party == "student"
    with pytest.raises(WrongParty):
        LIFECYCLE.target("submitted", "offer", party="student")
    with pytest.raises(WrongParty):
        LIFECYCLE.target("submitted", "offer", party="university")


def test_wrong_step_names_what_is_allowed():
    with pytest.raises(Conflict) as exc:
        LIFECYCLE.target("submitted", "accept", party="student")
    assert exc.value.data["message"] == (
        "cannot accept while submitted; allowed next steps: withdraw"
    )
    assert LIFECYCLE.allowed("offered", "enterprise") == ["reject"]


def test_a_refused_step_names_what_would_enable_it():
    # The student's accept waits for the enterprise's offer; nothing enables a final state.
    assert LIFECYCLE.enabling("submitted", "accept") == ["offer"]
    assert LIFECYCLE.enabling("shortlisted", "complete") == []
    assert LIFECYCLE.enabling("offered", "complete") == ["accept"]
    assert LIFECYCLE.enabling("withdrawn", "accept") == []


def test_offers_start_where_the_table_says():
    assert OFFER_FROM == ("submitted", "shortlisted")


@given(st.sampled_from(STATUSES), st.sampled_from(sorted(LIFECYCLE)))
def test_final_states_are_final_and_targets_are_statuses(status, verb):
    party = LIFECYCLE[verb].party
    if status in FINAL:
        with pytest.raises(Conflict):
            LIFECYCLE.target(status, verb, party=party)
    elif verb in LIFECYCLE.allowed(status, party):
        assert LIFECYCLE.target(status, verb, party=party) in STATUSES
    else:
        with pytest.raises(Conflict) as exc:
            LIFECYCLE.target(status, verb, party=party)
        allowed = exc.value.data["message"].split("allowed next steps: ")[1].split(", ")
        assert verb not in allowed


def test_every_active_state_has_a_way_out_for_the_student():
    for status in ACTIVE:
        assert "withdraw" in LIFECYCLE.allowed(status, "student")
