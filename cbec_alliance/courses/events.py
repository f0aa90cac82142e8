"""Notification events of courses, registered in the catalogue."""

from __future__ import annotations
