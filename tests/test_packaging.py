"""Packaging: the application's wheel (migrations and assets inside, the `cbec-alliance`
command), the migrations found from a wheel, and the README's commands as CI runs them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import cbec_alliance
from cbec_alliance import _migrations_dir
from cbec_alliance.cli import main

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("CBEC_REQUIRE_SERVICES") == "1"


def _uv() -> list[str] | None:
    """A way to run uv: the one in .venv (the README puts it there), on PATH, or a module."""
    beside = Path(sys.prefix) / "bin" / "uv"
    if beside.is_file():
        return [str(beside)]
    if found := shutil.which("uv"):
        return [found]
    for python in (sys.executable, shutil.which("python3")):
        if (
            python
            and subprocess.run([python, "-m", "uv", "--version"], capture_output=True).returncode
            == 0
        ):
            return [python, "-m", "uv"]
    return None


def _shipped_sources() -> list[str]:
    """Every non-Python file of the packages (templates, catalogues, ...) in the source tree:
    git's list where this is a checkout (so stray untracked files do not count)."""
    roots = ("cbec_alliance", "config", "tasks")
    if (ROOT / ".git").exists() and shutil.which("git"):
        out = subprocess.run(
            ["git", "ls-files", *roots], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    else:
        out = [
            str(p.relative_to(ROOT))
            for root in roots
            for p in (ROOT / root).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ]
    return [name for name in out if not name.endswith(".py")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    uv = _uv()
    if uv is None:
        if REQUIRED:
            pytest.fail("uv is not installed: the wheel cannot be built")
        pytest.skip("uv is not installed: the wheel cannot be built")
    out = tmp_path_factory.mktemp("dist")
    # sdist first, then the wheel from it (uv's default): a file the sdist forgets fails here.
    done = subprocess.run(
        [*uv, "build", "--out-dir", str(out), str(ROOT)], capture_output=True, text=True
    )
    if done.returncode != 0:
        if "build-system.requires" in done.stderr and not REQUIRED:
            pytest.skip(f"the build backend (hatchling) cannot be fetched: {done.stderr[-300:]}")
        pytest.fail(f"uv build failed:\n{done.stderr}")
    (path,) = out.glob("cbec_alliance-*.whl")
    with zipfile.ZipFile(path) as built:
        yield built


def test_wheel_holds_the_application_and_its_migrations(wheel):
    names = set(wheel.namelist())
    for module in ("wsgi.py", "config/settings.py", "tasks/__init__.py", "cbec_alliance/cli.py"):
        assert module in names
    migrations = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "migrations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert "migrations/env.py" in migrations
    assert "migrations/alembic.ini" in migrations
    assert len([m for m in migrations if m.startswith("migrations/versions/")]) >= 37
    missing = [m for m in migrations if f"cbec_alliance/{m}" not in names]
    assert missing == []
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "bench/"))]


def test_wheel_holds_every_asset_of_the_packages(wheel):
    names = set(wheel.namelist())
    assert [a for a in _shipped_sources() if a not in names] == []


def test_wheel_declares_the_command_and_the_asset_packages(wheel):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "cbec-alliance = cbec_alliance.cli:main" in wheel.read(entry_points).decode()
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    requires = re.findall(r"^Requires-Dist: ([A-Za-z0-9_.-]+)", wheel.read(metadata).decode(), re.M)
    # The Chinese font of charts and PDFs and the Swagger UI's files come from these.
    assert {"mplfonts", "swagger-ui-bundle"} <= {r.lower() for r in requires}
    assert not {"pytest", "ruff", "hypothesis", "mypy"} & {r.lower() for r in requires}


def test_migrations_come_from_the_package_when_the_tree_has_none(monkeypatch, tmp_path):
    import config.settings

    assert _migrations_dir() == ROOT / "migrations"
    monkeypatch.setattr(config.settings, "BASE_DIR", tmp_path)
    assert _migrations_dir() == Path(cbec_alliance.__file__).parent / "migrations"


def test_console_command_is_flasks_cli_for_the_app(monkeypatch, capsys):
    monkeypatch.setenv("CBEC_CONFIG", "testing")
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "Usage: cbec-alliance" in out
    for command in ("db", "serve-demo", "check-integrity", "create-coordinator"):
        assert re.search(rf"^\s+{command}\s", out, re.M), command


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```bash", 1)[1].split("```", 1)[0]
    serve, test = (line for line in block.splitlines() if line and not line.startswith("#"))
    assert serve.startswith("python3 -m venv .venv && ")
    assert "--no-dev" in serve
    assert "serve-demo" in serve
    assert test.startswith("python3 -m venv .venv && ")
    assert test.endswith("uv run --frozen pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
