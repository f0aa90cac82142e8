"""Models of applications (filled by its issue)."""

from __future__ import annotations
