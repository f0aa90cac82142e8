"""The student console's Blueprint, shared by its modules (student.py and student_*.py)."""

from __future__ import annotations

from .web import console_blueprint

blp = console_blueprint("console_student", __name__, "/console/student")
