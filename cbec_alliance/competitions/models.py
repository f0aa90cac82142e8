"""Models of competitions (filled by its issue)."""

from __future__ import annotations
