"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbec_alliance import create_app
from config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CBEC_CONFIG", "TEST_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_names_every_missing_setting(clean_env):
    with pytest.raises(ConfigError) as err:
        create_app("production")
    message = str(err.value)
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        assert name in message


def test_production_names_only_what_is_missing(clean_env):
    clean_env.setenv("SECRET_KEY", "s" * 40)
    clean_env.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/db")
    with pytest.raises(ConfigError, match="REDIS_URL") as err:
        load_config("production")
    assert "SECRET_KEY" not in str(err.value)


def test_production_settings(clean_env):
    clean_env.setenv("SECRET_KEY", "s" * 40)
    clean_env.setenv("DATABASE_URL", "postgres://u@127.0.0.1/db")
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    clean_env.setenv("MAIL_SERVER", "smtp.example.cn")
    clean_env.setenv("MAIL_PORT", "2525")
    app = create_app("production")
    cfg = app.config
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/db"
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert cfg["REMEMBER_COOKIE_SECURE"] is True
    assert cfg["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert cfg["REMEMBER_COOKIE_DURATION"].days <= 30
    assert cfg["MAIL_SERVER"] == "smtp.example.cn"
    assert cfg["MAIL_PORT"] == 2525
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    celery = app.extensions["celery"].conf
    assert celery.task_always_eager is False
    assert celery.broker_url == "redis://127.0.0.1:6379/3"
    assert celery.task_serializer == "json"
    assert celery.accept_content == ["json"]
    assert celery.task_acks_late is True
    assert celery.task_reject_on_worker_lost is True
    assert celery.worker_prefetch_multiplier == 1
    opts = celery.broker_transport_options
    assert opts["socket_timeout"] <= 5
    assert opts["visibility_timeout"] >= 2 * celery.task_time_limit


def test_development_defaults_need_no_services(clean_env):
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/cbec_alliance.db")
    assert app.extensions["celery"].conf.task_always_eager is True
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["SECRET_KEY"]


def test_unknown_config_name(clean_env):
    with pytest.raises(ConfigError, match="staging"):
        load_config("staging")


def test_flask_cli_refuses_production_without_secrets(clean_env):
    env = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")
    }
    env["CBEC_CONFIG"] = "production"
    proc = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "SECRET_KEY" in proc.stderr
    assert "REDIS_URL" in proc.stderr
