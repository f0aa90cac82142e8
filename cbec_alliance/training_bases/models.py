"""Models of training_bases (filled by its issue)."""

from __future__ import annotations
