"""Notification events of applications, registered in the catalogue."""

from __future__ import annotations
