"""The mailer (core/mail.py, Flask-Mailman) against a real SMTP server on loopback: login,
STARTTLS and implicit TLS with a certificate made for the test, and the log without a server."""

from __future__ import annotations

import logging
import shutil
import smtplib
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from cbec_alliance.core.mail import send_mail
from config import ConfigError, load_config
from tests.tasks.live import Inbox

USER, PASSWORD = "mailer@example.cn", "s3cret-pass"  # smtplib logs in with ASCII only


class Server(Inbox):
    """An inbox that also remembers who logged in and whether the session was encrypted."""

    def __init__(self) -> None:
        super().__init__()
        self.logins: list[str] = []
        self.encrypted: list[bool] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
        return await super().handle_DATA(server, session, envelope)

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        """Accept USER with PASSWORD only."""
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp(**options) -> Iterator[tuple[Server, int]]:
    """aiosmtpd on 127.0.0.1 with `options` (SMTP parameters, `ssl_context`)."""
    server = Server()
    port = _free_port()
    controller = Controller(
        server, hostname="127.0.0.1", port=port, authenticator=server.authenticate, **options
    )
    controller.start()
    try:
        yield server, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with the openssl tool."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl tool (nor the cryptography package) to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 - the system's openssl with our own arguments
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def mail_config(app, monkeypatch):
    """Set mail settings on the app for one test: `mail_config(MAIL_PORT=...)`."""

    def configure(**settings) -> None:
        settings.setdefault("MAIL_SERVER", "127.0.0.1")
        for name, value in settings.items():
            monkeypatch.setitem(app.config, name, value)

    return configure


def _send(**kw) -> None:
    send_mail(
        "学生 <xuesheng@example.cn>",
        "面试邀请 Interview",
        "您好，请于周三参加面试。",
        "<p>您好，请于<b>周三</b>参加面试。</p>",
        message_id="7d1c0b5e-uid",
        **kw,
    )


def test_without_a_server_mail_goes_to_the_log_at_info(app, caplog, mail_config):
    mail_config(MAIL_SERVER=None)
    caplog.set_level(logging.INFO, logger="cbec_alliance.mail")
    with app.app_context():
        _send()
    (record,) = [r for r in caplog.records if r.name == "cbec_alliance.mail"]
    assert record.levelno == logging.INFO
    assert "学生 <xuesheng@example.cn>" in record.getMessage()
    assert "面试邀请 Interview" in record.getMessage()
    assert "您好，请于周三参加面试。" in record.getMessage()


def test_text_and_html_with_a_stable_message_id(app, mail_config):
    with smtp() as (server, port):
        mail_config(MAIL_PORT=port)
        with app.app_context():
            _send()
        (message,) = server.wait_for(1)
    assert message["Message-ID"] == "<7d1c0b5e-uid@cbec-alliance>"
    assert str(message["Subject"]) == "面试邀请 Interview"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "您好，请于周三参加面试。" in text
    assert "<b>周三</b>" in html
    assert server.logins == []
    assert server.encrypted == [False]


def test_login_with_username_and_password(app, mail_config):
    with smtp(auth_require_tls=False) as (server, port):
        mail_config(MAIL_PORT=port, MAIL_USERNAME=USER, MAIL_PASSWORD=PASSWORD)
        with app.app_context():
            _send()
        assert len(server.wait_for(1)) == 1
    assert server.logins == [USER]


def test_a_wrong_password_raises_so_the_delivery_is_retried(app, mail_config):
    with smtp(auth_require_tls=False, auth_required=True) as (server, port):
        mail_config(MAIL_PORT=port, MAIL_USERNAME=USER, MAIL_PASSWORD="wrong")
        with app.app_context(), pytest.raises(smtplib.SMTPAuthenticationError):
            _send()
    assert server.messages == []


def _delivered_securely(app, mail_config, certificate, server_options: dict, **settings):
    """Send once through a TLS server made with `server_options`; assert it logged in over
    an encrypted connection."""
    with smtp(**server_options) as (server, port):
        mail_config(
            MAIL_PORT=port,
            MAIL_USERNAME=USER,
            MAIL_PASSWORD=PASSWORD,
            MAIL_CA_FILE=str(certificate[0]),
            **settings,
        )
        with app.app_context():
            _send()
        assert len(server.wait_for(1)) == 1
    assert server.logins == [USER]
    assert server.encrypted == [True]


def test_starttls_checks_the_certificate_then_logs_in(app, mail_config, certificate):
    options = {"tls_context": _server_context(certificate), "require_starttls": True}
    _delivered_securely(app, mail_config, certificate, options, MAIL_USE_TLS=True)


def test_starttls_refuses_a_certificate_it_cannot_verify(app, mail_config, certificate):
    # Flask-Mailman's own STARTTLS would accept it: its context checks nothing.
    context = _server_context(certificate)
    with smtp(tls_context=context, require_starttls=True) as (server, port):
        mail_config(MAIL_PORT=port, MAIL_USE_TLS=True, MAIL_USERNAME=USER, MAIL_PASSWORD=PASSWORD)
        with app.app_context(), pytest.raises(ssl.SSLCertVerificationError):
            _send()
    assert server.logins == []
    assert server.messages == []


def test_implicit_tls(app, mail_config, certificate):
    # aiosmtpd offers AUTH over TLS only after STARTTLS; here the whole connection is TLS.
    options = {"ssl_context": _server_context(certificate), "auth_require_tls": False}
    _delivered_securely(app, mail_config, certificate, options, MAIL_USE_SSL=True)


def test_mail_settings_come_from_the_environment(monkeypatch):
    for name, value in {
        "MAIL_SERVER": "smtpdm.aliyun.com",
        "MAIL_PORT": "465",
        "MAIL_USERNAME": "noreply@mail.example.cn",
        "MAIL_PASSWORD": "口令",
        "MAIL_USE_SSL": "true",
        "MAIL_TIMEOUT": "7.5",
        "MAIL_DEFAULT_SENDER": "联盟 <noreply@mail.example.cn>",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MAIL_USE_TLS", raising=False)
    cfg = load_config("testing")
    assert (cfg.MAIL_SERVER, cfg.MAIL_PORT, cfg.MAIL_USE_SSL, cfg.MAIL_USE_TLS) == (
        "smtpdm.aliyun.com",
        465,
        True,
        False,
    )
    assert cfg.MAIL_USERNAME == "noreply@mail.example.cn"
    assert cfg.MAIL_PASSWORD == "口令"  # noqa: S105 - the value set above
    assert cfg.MAIL_TIMEOUT == 7.5
    assert cfg.MAIL_DEFAULT_SENDER == "联盟 <noreply@mail.example.cn>"
    monkeypatch.setenv("MAIL_USE_TLS", "1")
    with pytest.raises(ConfigError, match="MAIL_USE_TLS"):
        load_config("testing")


def test_a_password_smtplib_cannot_send_is_an_smtp_error_so_the_delivery_is_retried(
    app, mail_config
):
    with smtp(auth_require_tls=False) as (server, port):
        mail_config(MAIL_PORT=port, MAIL_USERNAME=USER, MAIL_PASSWORD="口令")
        with app.app_context(), pytest.raises(smtplib.SMTPException, match="ASCII"):
            _send()
    assert server.messages == []


def test_without_environment_there_is_no_password_and_no_tls(monkeypatch):
    for name in ("MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL"):
        monkeypatch.delenv(name, raising=False)
    cfg = load_config("testing")
    assert cfg.MAIL_USERNAME is None
    assert cfg.MAIL_PASSWORD is None
    assert cfg.MAIL_USE_TLS is False
    assert cfg.MAIL_USE_SSL is False
