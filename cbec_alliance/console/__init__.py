"""The web console: server-rendered pages for the four parties (coordinators and government,
enterprises, universities, students), built on the domains' services. Top floor."""

from __future__ import annotations

import importlib

from flask import Flask

# One Blueprint per party; `views` is the door (login, language, home) and serves the static
# files. A module missing here is not routed.
PARTS = (
    "views",
    "monitoring",
    "monitoring_reports",
    "rounds",
    "surveys",
    "policies",
    "enterprise",
    "university",
    "student",
)


def register_console(app: Flask) -> None:
    """Register every console Blueprint on `app`."""
    for part in PARTS:
        module = importlib.import_module(f"cbec_alliance.console.{part}")
        app.register_blueprint(module.blp)
