"""Models of lectures (filled by its issue)."""

from __future__ import annotations
