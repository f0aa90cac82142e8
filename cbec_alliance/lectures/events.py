"""Notification events of lectures, registered in the catalogue."""

from __future__ import annotations
