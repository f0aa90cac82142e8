"""What placements provide to the floors below: a placement opens when an offer is accepted."""

from __future__ import annotations

from cbec_alliance.applications import signals

from . import services

signals.accepted.connect(services.open_for_application)
signals.withdrawn.connect(services.close_for_withdrawal)


@signals.placement_of.provide
def placement_of(application_id: int) -> dict | None:
    """The summary of the application's placement, if one was opened."""
    return services.summary_of_application(application_id)
