"""Notification events of competitions, registered in the catalogue."""

from __future__ import annotations
