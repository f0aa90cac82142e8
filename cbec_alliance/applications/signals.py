"""What applications announce to the domains above them (core.hooks.Signal).

`accepted`: a student accepted an offer (an enterprise's, or one a match round published),
in the same transaction; the placements domain opens the placement. Receivers get the
application, its posting and the accepting user. `placement_of`: the placement's summary.
"""

from __future__ import annotations

from cbec_alliance.core.hooks import Hook, Signal

accepted: Signal = Signal("application accepted")
# The student gave up an accepted place (before the start): the placement ends with it.
withdrawn: Signal = Signal("accepted application withdrawn")
# The placement opened for an application, `{id, state, final_score, certificate_code,
# ends_on, enterprise_ratings}` or None: the placements domain provides it, so completing,
# evaluating and hiring read it.
placement_of: Hook[[int], dict | None] = Hook("the placement of an application")
