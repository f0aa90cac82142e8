"""The ownership guard: only a domain's own code writes its tables, checked at run time.

Active for the whole suite (`tests/conftest.py`). Every write is attributed to the innermost
frame of the application that is not in `core/` (core only carries out what a domain asked):
constructing a model object, setting one of its columns, deleting it, and INSERT, UPDATE and
DELETE statements executed directly (the ORM's own flush is left out: the objects it writes
were already checked when their attributes were set). A write whose domain is not the
table's owner is recorded, and the test that caused it fails. Tests, factories, the CLI and
the demo loader may write anything (the top floor).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = str(ROOT / "cbec_alliance") + "/"
_DML = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)

violations: list[str] = []
_owners: dict[str, str] = {}  # table name -> owning package
_files: dict[str, str] = {}  # file name -> what _package says of it


TESTS = (str(ROOT / "tests") + "/", str(ROOT / "bench") + "/")
_SKIP = ""  # a frame that decides nothing: core, libraries, the guard itself
_OUTSIDE = "-"  # a frame outside the application's domains: a test, the top floor


def _package(filename: str) -> str:
    """What a frame's file says of the writer: a domain's name, _OUTSIDE (a test or the top
    floor: anything goes), or _SKIP (core, a library or the guard: look further out)."""
    cached = _files.get(filename)
    if cached is not None:
        return cached
    result = _SKIP
    if filename == __file__:
        result = _SKIP
    elif filename.startswith(PACKAGE):
        rel = filename[len(PACKAGE) :]
        first = rel.split("/")[0]
        if first in ("core", "extensions.py"):
            result = _SKIP
        elif "/" not in rel:
            result = _OUTSIDE  # cli.py, demo_*.py, __init__.py: the top floor
        else:
            result = first
    elif filename.startswith(TESTS):
        result = _OUTSIDE
    _files[filename] = result
    return result


def _writer() -> tuple[str | None, str]:
    """The domain writing now (None: a test or the top floor) and where: the innermost frame
    that is neither core, a library nor the guard."""
    frame = sys._getframe(2)
    while frame is not None:
        package = _package(frame.f_code.co_filename)
        if package == _OUTSIDE:
            return None, ""
        if package:
            where = f"{frame.f_code.co_filename[len(PACKAGE) :]}:{frame.f_lineno}"
            return package, where
        frame = frame.f_back
    return None, ""


def _check(table: str, what: str) -> None:
    owner = _owners.get(table)
    if owner is None:
        return
    writer, where = _writer()
    if writer is not None and writer != owner:
        violations.append(f"{where} ({writer}) {what} {table}, which {owner} owns")


def _in_flush() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.endswith("orm/unitofwork.py"):
            return True
        frame = frame.f_back
    return False


def install(metadata_models) -> None:
    """Watch every mapped class of the app (once per process)."""
    if _owners:
        return
    for mapper in metadata_models:
        cls = mapper.class_
        package = cls.__module__.split(".")[1] if cls.__module__.count(".") >= 2 else None
        if package in (None, "core"):
            continue
        table = mapper.local_table.name
        _owners[table] = package

        def on_init(target, args, kwargs, _table=table):
            _check(_table, "creates a row of")

        sa.event.listen(cls, "init", on_init)
        for column in mapper.column_attrs:

            def on_set(target, value, oldvalue, initiator, _table=table):
                # A flush fills in foreign keys itself; what it writes was checked already.
                if not _in_flush():
                    _check(_table, f"sets {initiator.key} of")

            sa.event.listen(getattr(cls, column.key), "set", on_set)

    original_delete = Session.delete

    def delete(self, instance):
        _check(sa.inspect(instance).mapper.local_table.name, "deletes a row of")
        return original_delete(self, instance)

    Session.delete = delete

    @sa.event.listens_for(sa.engine.Engine, "before_execute")
    def _direct_dml(conn, clauseelement, multiparams, params, execution_options):
        table = getattr(clauseelement, "table", None)
        name = None
        if isinstance(clauseelement, sa.sql.dml.UpdateBase) and table is not None:
            name = getattr(table, "name", None)
        elif isinstance(clauseelement, sa.sql.elements.TextClause):
            match = _DML.match(clauseelement.text)
            name = match.group(1) if match else None
        if name and not _in_flush():
            _check(name, "writes (statement)")
