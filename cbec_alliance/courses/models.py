"""Models of courses (filled by its issue)."""

from __future__ import annotations
