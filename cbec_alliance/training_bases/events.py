"""Notification events of training_bases, registered in the catalogue."""

from __future__ import annotations
