"""The one lifecycle shape (`core.lifecycle`), without a database: allowed steps per party,
the refused step's 409, whom it waits for (asked only when refused), and what enables it."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import Conflict

from cbec_alliance.core.errors import Waiting
from cbec_alliance.core.lifecycle import Lifecycle, Step, WrongParty

# A small table in the shape every domain uses: a proposal the other side answers.
TABLE = Lifecycle(
    {
        "accept": Step(("proposed",), "active", "other"),
        "decline": Step(("proposed",), "declined", "other"),
        "suspend": Step(("active",), "suspended"),
        "end": Step(("active", "suspended"), "ended"),
    }
)


def test_allowed_steps_keep_the_table_order_and_filter_by_party():
    assert TABLE.allowed("active") == ["suspend", "end"]
    assert TABLE.allowed("proposed") == ["accept", "decline"]
    assert TABLE.allowed("proposed", "proposer") == []
    # A step without a party is anyone's.
    assert TABLE.allowed("active", "proposer") == ["suspend", "end"]
    assert list(TABLE) == ["accept", "decline", "suspend", "end"]
    assert "accept" in TABLE
    assert "archive" not in TABLE
    assert TABLE.can("suspended", "end")
    assert not TABLE.can("ended", "end")


def test_target_checks_the_party_first():
    assert TABLE.target("proposed", "accept", party="other") == "active"
    with pytest.raises(WrongParty) as exc:
        TABLE.target("active", "accept", party="proposer")
    assert (exc.value.verb, exc.value.party) == ("accept", "other")


def test_a_refused_step_names_the_allowed_ones():
    with pytest.raises(Conflict) as exc:
        TABLE.target("proposed", "end")
    assert exc.value.data["message"] == (
        "cannot end while proposed; allowed next steps: accept, decline"
    )
    with pytest.raises(Conflict) as exc:
        TABLE.target("proposed", "end", party="proposer")
    assert exc.value.data["message"] == "cannot end while proposed; allowed next steps: none"
    with pytest.raises(Conflict) as exc:
        TABLE.target("ended", "end", allowed=["reopen"])
    assert exc.value.data["message"] == "cannot end while ended; allowed next steps: reopen"


def test_whom_a_step_waits_for_is_asked_only_when_it_is_refused():
    asked = []

    def waits():
        asked.append(1)
        return [Waiting("enterprise", "accept or decline", "某某公司", 12)]

    assert TABLE.target("active", "end", waiting_for=waits) == "ended"
    assert asked == []
    with pytest.raises(Conflict) as exc:
        TABLE.target("proposed", "suspend", waiting_for=waits)
    assert asked == [1]
    assert exc.value.data["message"] == (
        "cannot suspend while proposed: waiting for 某某公司 (enterprise 12) to accept or "
        "decline; allowed next steps: accept, decline"
    )
    assert exc.value.data["extra"]["waiting_for"][0]["id"] == 12


def test_enabling_names_the_steps_that_must_come_first():
    assert TABLE.enabling("proposed", "suspend") == ["accept"]
    assert TABLE.enabling("proposed", "end") == ["accept"]
    assert TABLE.enabling("active", "end") == ["suspend"]
    assert TABLE.enabling("declined", "suspend") == []
