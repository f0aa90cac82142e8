"""deploy/: the compose file, the Dockerfile, the systemd units and the nginx example agree with
the app (no Docker engine or nginx is needed: the files are read and checked)."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from config.settings import BaseConfig

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # unit keys are case-sensitive
    parser.read(DEPLOY / "systemd" / f"cbec-alliance-{name}.service", encoding="utf-8")
    return parser["Service"]


def _settings_read_from_the_environment() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'_env\(\s*"([A-Z0-9_]+)"', source))


def test_compose_runs_the_five_services_and_the_migration(compose):
    assert set(compose["services"]) == {"postgres", "redis", "migrate", *APP_SERVICES}
    services = compose["services"]
    assert services["migrate"]["command"] == ["flask", "--app", "wsgi", "db", "upgrade"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "tasks", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "tasks", "beat"]
    # web runs the image's command: gunicorn with the repository's gunicorn.conf.py.
    assert "command" not in services["web"]
    assert "deploy" not in services["beat"]  # exactly one beat


def test_compose_health_checks_and_start_order(compose):
    services = compose["services"]
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    redis = services["redis"]["command"]
    assert redis[redis.index("--appendonly") + 1] == "yes"
    assert redis[redis.index("--maxmemory-policy") + 1] == "noeviction"
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])


def test_compose_gives_every_app_service_the_production_settings(compose):
    known = _settings_read_from_the_environment()
    for name in ("migrate", *APP_SERVICES):
        env = compose["services"][name]["environment"]
        assert env["CBEC_CONFIG"] == "production"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # refused when unset
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert set(env) <= known, set(env) - known


def test_env_example_names_only_settings_the_app_reads():
    lines = (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines()
    names = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert {"CBEC_CONFIG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXIES"} <= names
    assert names <= _settings_read_from_the_environment()


def test_dockerfile_copies_what_exists_and_runs_gunicorn_with_the_config():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    copied = [
        part
        for line in text.splitlines()
        if line.startswith("COPY ")
        for part in line.split()[1:-1]
        if not part.startswith("--")
    ]
    assert "gunicorn.conf.py" in copied
    assert [p for p in copied if not (ROOT / p).exists()] == []
    assert "uv sync --frozen --no-dev" in text
    cmd = re.search(r"^CMD (\[.*?\])\s*$", text.replace("\\\n", ""), re.M | re.S)
    assert cmd is not None
    assert yaml.safe_load(cmd.group(1))[:2] == ["gunicorn", "wsgi:app"]
    assert "\nUSER " in text  # not root


def test_systemd_units_run_web_worker_and_beat_from_the_checkout():
    web, worker, beat = (_unit(n) for n in ("web", "worker", "beat"))
    start = shlex.split(web["ExecStart"])
    assert start[:2] == ["/srv/cbec-alliance/.venv/bin/gunicorn", "wsgi:app"]
    assert start[start.index("--config") + 1] == "/srv/cbec-alliance/gunicorn.conf.py"
    assert start[start.index("--bind") + 1] == "127.0.0.1:8000"
    assert shlex.split(web["ExecStartPre"])[-2:] == ["db", "upgrade"]
    assert shlex.split(worker["ExecStart"])[1:4] == ["-A", "tasks", "worker"]
    assert shlex.split(beat["ExecStart"])[1:4] == ["-A", "tasks", "beat"]
    # A worker stopping finishes its notification task (hard limit) before it is killed.
    assert int(worker["TimeoutStopSec"]) > BaseConfig.NOTIFY_TASK_TIME_LIMIT
    for unit in (web, worker, beat):
        assert unit["EnvironmentFile"] == "/etc/cbec-alliance/env"
        assert unit["User"] == "cbec"


def _nginx() -> str:
    return (DEPLOY / "nginx" / "cbec-alliance.conf").read_text(encoding="utf-8")


def test_nginx_body_limit_is_the_apps():
    (size,) = re.findall(r"^\s*client_max_body_size\s+(\d+)([km]?);", _nginx(), re.M)
    number, unit = int(size[0]), size[1]
    assert number * {"": 1, "k": 1024, "m": 1024 * 1024}[unit] == BaseConfig.MAX_CONTENT_LENGTH


def test_nginx_terminates_tls_and_sets_the_headers_proxyfix_reads():
    text = _nginx()
    assert re.search(r"^\s*listen 443 ssl", text, re.M)
    assert re.search(r"^\s*ssl_certificate\s", text, re.M)
    assert re.search(r"^\s*ssl_certificate_key\s", text, re.M)
    assert "return 301 https://" in text
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert re.search(rf"^\s*proxy_set_header {header} \$", text, re.M), header
    # The upstream is where the web unit binds gunicorn.
    assert re.search(r"^\s*server 127\.0\.0\.1:8000;", text, re.M)


@pytest.mark.parametrize("script", ["backup.sh", "restore.sh"])
def test_scripts_parse_and_are_executable(script):
    path = DEPLOY / script
    assert path.stat().st_mode & 0o111
    assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
