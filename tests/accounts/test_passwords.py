"""Password hashing strength and login work parity."""

from __future__ import annotations

from argon2 import PasswordHasher

from cbec_alliance import create_app
from cbec_alliance.accounts import services
from config import ProductionConfig
from tests import factories


def test_production_hashing_is_owasp_argon2id(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    app = create_app(ProductionConfig())
    with app.app_context():
        hashed = services.hash_password("a long enough password")
    assert hashed.startswith("$argon2id$")
    # OWASP: argon2id with 19 MiB memory, 2 iterations, parallelism 1.
    assert "m=19456,t=2,p=1" in hashed


def test_unknown_email_does_the_same_hash_work_as_wrong_password(client, monkeypatch):
    user = factories.UserFactory()
    calls: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(self, hash_, password):
        calls.append(hash_.split("$")[1])
        return real_verify(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    a = client.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong-pw-12"})
    known_calls = list(calls)
    calls.clear()
    b = client.post(
        "/api/v1/auth/login", json={"email": "no@example.cn", "password": "wrong-pw-12"}
    )
    assert a.status_code == b.status_code == 401
    assert a.get_json() == b.get_json()
    # Exactly one argon2id verification on both paths, so they take about the same time.
    assert known_calls == ["argon2id"]
    assert calls == ["argon2id"]
