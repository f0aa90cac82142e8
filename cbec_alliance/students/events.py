"""Notification events of students, registered in the catalogue."""

from __future__ import annotations
