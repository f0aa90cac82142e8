"""Notification events of internships, registered in the catalogue."""

from __future__ import annotations
