"""The hooks insights provides to the domains below it (`core.hooks`)."""

from __future__ import annotations

from cbec_alliance.partnerships import services as partnerships

from . import activity

partnerships.refresh_health.provide(activity.refresh)
partnerships.activity_of.provide(activity.activity_of)
