"""Models of recommendations (filled by its issue)."""

from __future__ import annotations
