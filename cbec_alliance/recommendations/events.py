"""Notification events of recommendations, registered in the catalogue."""

from __future__ import annotations
