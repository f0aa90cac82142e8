"""The hooks insights provides to the domains below it (`core.hooks`)."""

from __future__ import annotations

from cbec_alliance.partnerships import services as partnerships
from cbec_alliance.policies import services as policies

from . import activity, policy_figures

partnerships.refresh_health.provide(activity.refresh)
partnerships.activity_of.provide(activity.activity_of)
policies.figures_of.provide(policy_figures.figures_of)
