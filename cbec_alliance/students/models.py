"""Models of students (filled by its issue)."""

from __future__ import annotations
