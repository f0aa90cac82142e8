"""Settings read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, overload

BASE_DIR = Path(__file__).resolve().parent.parent
# The SQLite file and the development secret: instance/ in a source tree; an installed wheel's
# BASE_DIR is site-packages, so there Flask's place for an installed app's instance folder.
INSTANCE_DIR = Path(
    os.environ.get("CBEC_INSTANCE_DIR")
    or (
        BASE_DIR / "instance"
        if (BASE_DIR / "pyproject.toml").is_file()
        else Path(sys.prefix) / "var" / "cbec_alliance-instance"
    )
)


class ConfigError(RuntimeError):
    """Raised when a required setting is missing."""


@overload
def _env(name: str, default: str) -> str: ...


@overload
def _env(name: str, default: None = None) -> str | None: ...


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _flag(name: str) -> bool:
    """A boolean setting: 1, true, yes or on (any case) is true; unset is false."""
    return (_env(name) or "").strip().lower() in ("1", "true", "yes", "on")


def _normalise_db_url(url: str) -> str:
    # Heroku-style and plain postgresql:// URLs would pick psycopg2; this project ships psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class BaseConfig:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    DEBUG = False
    TESTING = False

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    JSON_SORT_KEYS = False

    # Session cookies (Flask-Login): HttpOnly, SameSite=Lax; Secure in production.
    SESSION_COOKIE_NAME = "cbec_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_NAME = "cbec_remember"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False

    # Password hashing: argon2id at OWASP's first recommended setting (19 MiB, t=2, p=1).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1

    API_TOKEN_MAX_DAYS = 365
    INVITATION_DAYS = 14
    # Emailed account tokens (accounts/tokens.py): single use, stored only as hashes.
    PASSWORD_RESET_MINUTES = 60
    EMAIL_VERIFICATION_HOURS = 72
    # Reset requests per client address and per email asked for, known or not (so a 429
    # tells nothing), counted in the database like failed logins; verification mails per
    # logged-in user (flask-limiter). flask-limiter's syntax for all three.
    PASSWORD_RESET_LIMIT_PER_IP = "20 per hour"  # noqa: S105 - a rate, not a password
    PASSWORD_RESET_LIMIT_PER_EMAIL = "3 per hour"  # noqa: S105 - a rate, not a password
    VERIFY_EMAIL_RESEND_LIMIT = "3 per hour"

    # Login throttling counts failed attempts only, in the database (accounts/throttle.py),
    # so it holds across workers with Redis down or absent. flask-limiter's syntax; several
    # windows separated by ";". While an account is over its limit, an address the user
    # logged in from within LOGIN_TRUSTED_ADDRESS_DAYS that has not failed for it may try.
    LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_LIMIT_PER_IP = "50 per 15 minutes"
    LOGIN_TRUSTED_ADDRESS_DAYS = 90
    # flask-limiter (Redis when REDIS_URL is set) serves no route now; should one use it, a
    # stopped or hung Redis must not fail or slow it: short timeouts, then memory.
    # Retry-After on 429 comes from the error handler; no X-RateLimit-* headers.
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 1, "socket_connect_timeout": 1}
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STRATEGY = "fixed-window"
    # Reverse proxies in front of the app that set X-Forwarded-For, -Proto and -Host (nginx:
    # 1). With N, werkzeug's ProxyFix takes the client address N hops from the right of
    # X-Forwarded-For (what the nearest proxy saw), so the per-address login limit and audit
    # see the client, not the proxy; 0 trusts no such header (a client could forge it).
    TRUSTED_PROXIES = 0
    # Public certificate verification (GET /certificates/verify), per client address.
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute")

    # flask-smorest / OpenAPI
    API_TITLE = "CBEC Alliance API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    # Every operation needs a bearer token or the session cookie unless it says `security: []`.
    API_SPEC_OPTIONS: dict[str, Any] = {"security": [{"bearer": []}, {"cookie": []}]}

    # Notifications
    NOTIFY_BATCH_SIZE = 1000
    NOTIFY_MAX_ATTEMPTS = 8
    NOTIFY_RETRY_BASE = 30.0  # seconds; doubles per attempt, with jitter
    NOTIFY_RETRY_MAX = 1200.0  # below the broker visibility timeout, so no early redelivery
    APPROVAL_ESCALATION_DAYS = 5
    # Web processes wake a relay thread after each commit that emitted events.
    OUTBOX_RELAY_THREAD = True
    # A backstop: work still owed this long after its message was sent is sent again even if
    # no probe got through the queue (recovery below normally sends it within minutes).
    OUTBOX_REQUEUE_AFTER = 2 * 3600
    WEBHOOK_TIMEOUT = 5
    WEBHOOK_ALLOW_LOOPBACK = True  # development and testing only; production refuses it

    # Outgoing mail (core/mail.py, Flask-Mailman). MAIL_SERVER unset: mail goes to the log
    # (logger cbec_alliance.mail, INFO). MAIL_USE_TLS is STARTTLS (usually port 587),
    # MAIL_USE_SSL implicit TLS (usually 465); the server's certificate is verified against
    # the system's CAs, or MAIL_CA_FILE's.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 10.0
    MAIL_CA_FILE: str | None = None
    RECS_INDEX_MIN_AGE = 30.0
    # Seconds a partner-matching ranking (every organization of the other kind scored) is
    # kept per process before it is scored again; live partnerships are always current.
    PARTNER_MATCH_MAX_AGE = 60.0
    # Monitoring summaries and partnership health are refreshed by beat this often; a
    # summary older than that is recomputed on request, so none is ever older (0: always).
    MONITORING_REFRESH_SECONDS = 600
    # Placement attendance: check-in coordinates this far from the workplace are refused.
    PLACEMENT_CHECKIN_RADIUS_M = 500
    MAIL_DEFAULT_SENDER = "noreply@cbec-alliance.local"
    LOG_FORMAT = "json"
    # Placements (cbec_alliance/placements): the rules' limits and the completion terms.
    PLACEMENT_MAX_MONTHS = 6  # an ordinary placement lasts at most this long
    PLACEMENT_MENTOR_MAX_STUDENTS = 20  # open placements one mentor may hold
    PLACEMENT_SCHOOL_WEIGHT = 50  # weight of the school mentor's grade (percent)
    PLACEMENT_MIN_LOGS = 12  # reviewed weekly logs needed to complete
    PLACEMENT_INSURANCE_WARN_DAYS = 7  # a cover ending early is flagged this far ahead
    # Teaching (cbec_alliance/teaching/rules.py): a university teacher counts as dual-qualified
    # (双师型) with at least DUAL_QUALIFIED_PRACTICE_MONTHS months (30 days each) of confirmed
    # practice in enterprises within the last DUAL_QUALIFIED_YEARS years, or, when
    # DUAL_QUALIFIED_BY_INDUSTRY_TITLE, an industry title recorded on their profile.
    DUAL_QUALIFIED_PRACTICE_MONTHS = 6
    DUAL_QUALIFIED_YEARS = 5
    DUAL_QUALIFIED_BY_INDUSTRY_TITLE = True
    # Documents (cbec_alliance/documents): an upload's own body limit (every other body keeps
    # MAX_CONTENT_LENGTH), the life of a signed download link, and how long an upload never
    # attached is kept. Bytes go to DOCUMENT_STORAGE_PATH, or to an S3-compatible bucket
    # when DOCUMENT_S3_BUCKET is set (DOCUMENT_S3_ENDPOINT_URL, _REGION, _ACCESS_KEY_ID and
    # _SECRET_ACCESS_KEY, else boto3's usual environment and instance credentials).
    DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
    DOCUMENT_LINK_SECONDS = 300
    DOCUMENT_ORPHAN_HOURS = 24

    def __init__(self) -> None:
        self.SECRET_KEY = _env("SECRET_KEY")
        self.DOCUMENT_STORAGE_PATH = _env("DOCUMENT_STORAGE_PATH", str(INSTANCE_DIR / "documents"))
        for name in ("DOCUMENT_MAX_BYTES", "DOCUMENT_LINK_SECONDS", "DOCUMENT_ORPHAN_HOURS"):
            setattr(self, name, int(_env(name, str(getattr(self, name))) or 0))
        for name in ("BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY"):
            setattr(self, f"DOCUMENT_S3_{name}", _env(f"DOCUMENT_S3_{name}"))
        self.DATABASE_URL = _env("DATABASE_URL")
        self.REDIS_URL = _env("REDIS_URL")
        self.MAIL_SERVER = _env("MAIL_SERVER")
        self.MAIL_PORT = int(_env("MAIL_PORT", "25") or 25)
        self.MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", self.MAIL_DEFAULT_SENDER)
        # Logs: JSON lines with request ids (`text` for reading by eye); see core/requestlog.
        self.LOG_FORMAT = _env("LOG_FORMAT", self.LOG_FORMAT)
        # /metrics (core/metrics.py): a bearer token, and/or networks that may scrape.
        self.METRICS_TOKEN = _env("METRICS_TOKEN")
        self.METRICS_ALLOW_NETWORKS = _networks(_env("METRICS_ALLOW_NETWORKS") or "")
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")  # a secret: no default, never logged
        self.MAIL_USE_TLS = _flag("MAIL_USE_TLS")
        self.MAIL_USE_SSL = _flag("MAIL_USE_SSL")
        if self.MAIL_USE_TLS and self.MAIL_USE_SSL:
            raise ConfigError(
                "MAIL_USE_TLS (STARTTLS) and MAIL_USE_SSL (implicit TLS) exclude each other"
            )
        self.MAIL_TIMEOUT = float(_env("MAIL_TIMEOUT", str(self.MAIL_TIMEOUT)))
        self.MAIL_CA_FILE = _env("MAIL_CA_FILE")
        self.PASSWORD_RESET_MINUTES = int(
            _env("PASSWORD_RESET_MINUTES", str(self.PASSWORD_RESET_MINUTES))
        )
        self.EMAIL_VERIFICATION_HOURS = int(
            _env("EMAIL_VERIFICATION_HOURS", str(self.EMAIL_VERIFICATION_HOURS))
        )
        for limit in (
            "PASSWORD_RESET_LIMIT_PER_IP",
            "PASSWORD_RESET_LIMIT_PER_EMAIL",
            "VERIFY_EMAIL_RESEND_LIMIT",
        ):
            setattr(self, limit, _env(limit, getattr(self, limit)))
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            self.DATABASE_URL or f"sqlite:///{INSTANCE_DIR / 'cbec_alliance.db'}"
        )
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        proxies = _env("TRUSTED_PROXIES", "0")
        if not proxies.isdigit():
            raise ConfigError(f"TRUSTED_PROXIES={proxies!r} is not a count of proxies (0, 1, ...)")
        self.TRUSTED_PROXIES = int(proxies)
        self.NOTIFY_BATCH_SIZE = int(_env("NOTIFY_BATCH_SIZE", str(self.NOTIFY_BATCH_SIZE)))
        self.NOTIFY_RETRY_BASE = float(_env("NOTIFY_RETRY_BASE", str(self.NOTIFY_RETRY_BASE)))
        self.NOTIFY_MAX_ATTEMPTS = int(_env("NOTIFY_MAX_ATTEMPTS", str(self.NOTIFY_MAX_ATTEMPTS)))
        self.OUTBOX_REQUEUE_AFTER = int(
            _env("OUTBOX_REQUEUE_AFTER", str(self.OUTBOX_REQUEUE_AFTER)) or 0
        )
        self.TASK_TIME_LIMIT = int(_env("CELERY_TASK_TIME_LIMIT", str(self.TASK_TIME_LIMIT)))
        # No notification task may outlive the longest task, which the visibility covers.
        self.NOTIFY_TASK_TIME_LIMIT = min(
            int(_env("NOTIFY_TASK_TIME_LIMIT", str(self.NOTIFY_TASK_TIME_LIMIT))),
            self.TASK_TIME_LIMIT,
        )
        self.VISIBILITY_TIMEOUT = max(
            int(_env("CELERY_VISIBILITY_TIMEOUT", str(self.VISIBILITY_TIMEOUT))),
            2 * self.TASK_TIME_LIMIT,
        )
        # The public internship list keeps whole pages per data version (see listing_json);
        # `0` turns that off, for benchmarks of the uncached path.
        self.INTERNSHIP_PAGE_CACHE = _env("INTERNSHIP_PAGE_CACHE", "1") != "0"
        # The list's page keys and totals from the postings' arrays (listing_index); `0`
        # sends every page through the filtered SQL, for benchmarks of that path.
        self.INTERNSHIP_LIST_INDEX = _env("INTERNSHIP_LIST_INDEX", "1") != "0"
        # Seconds a student's recommendations may lag behind changed postings (index.py).
        self.RECS_INDEX_MIN_AGE = float(
            _env("RECS_INDEX_MIN_AGE", str(self.RECS_INDEX_MIN_AGE)) or 0
        )
        self.PARTNER_MATCH_MAX_AGE = float(
            _env("PARTNER_MATCH_MAX_AGE", str(self.PARTNER_MATCH_MAX_AGE)) or 0
        )
        self.MONITORING_REFRESH_SECONDS = int(
            _env("MONITORING_REFRESH_SECONDS", str(self.MONITORING_REFRESH_SECONDS)) or 0
        )
        for name in (
            "PLACEMENT_MAX_MONTHS",
            "PLACEMENT_MENTOR_MAX_STUDENTS",
            "PLACEMENT_SCHOOL_WEIGHT",
            "PLACEMENT_MIN_LOGS",
            "DUAL_QUALIFIED_PRACTICE_MONTHS",
            "DUAL_QUALIFIED_YEARS",
        ):
            setattr(self, name, int(_env(name, str(getattr(self, name))) or 0))
        self.DUAL_QUALIFIED_BY_INDUSTRY_TITLE = _env("DUAL_QUALIFIED_BY_INDUSTRY_TITLE", "1") != "0"
        self.CELERY = self._celery_settings()

    # --- Recovery of work a killed worker or a lost broker message left undone ---------------
    # (notifications/recovery.py). Celery kills a task at its hard time limit, so a task begun
    # at t is over (done, failed or killed) by t + limit. The longest task is a match round
    # (100,000 students: 16 s); notification tasks take seconds (a fan-out to 100,000: 5.5 s,
    # one batch of 1,000, one email or webhook: well under one), so they get a limit of their
    # own, which bounds how long recovery waits for a worker that may still be on one.
    TASK_TIME_LIMIT = 900
    NOTIFY_TASK_TIME_LIMIT = 120
    # Redis hands a dead worker's unacknowledged messages out again after this. At least twice
    # the longest limit (a running task is never handed to a second worker) and above
    # NOTIFY_RETRY_MAX (a retry waiting for its time is never handed out early): too long
    # to wait for, so recovery does not rely on it.
    VISIBILITY_TIMEOUT = 3600
    # Beat runs the sweeps this often; the outbox sweep ends by sending a probe through the
    # task queue. Redis hands a queue out in order, so once a worker has run a probe, all sent
    # before it has left the queue: work recorded as sent before and still owed is with a
    # worker, dead or alive, or lost. It is sent again as soon as no live worker can be on it:
    # at once when a lock tells (a delivery's row lock, a round's advisory lock), else its
    # task's hard limit after the probe ran. From a worker's death that is at most the limit +
    # 2 margins + 2 sweeps: 200 s for an event or a recipient batch, 80 s for a delivery or a
    # round (recovery.recovery_bound); work still waiting in a backed-up queue is never sent
    # twice.
    RELAY_SWEEP_SECONDS = 10.0
    # Allowance for the clocks of different hosts and for the moments between recording work
    # as sent and its message reaching Redis, or between a worker taking it and starting it.
    RECOVERY_MARGIN = 30.0
    # The tasks held to NOTIFY_TASK_TIME_LIMIT.
    NOTIFY_TASKS = (
        "notifications.fanout",
        "notifications.deliver",
        "notifications.send_email",
        "notifications.send_webhook",
    )

    def _beat_schedule(self) -> dict:
        from celery.schedules import crontab

        return {
            "relay-outbox": {
                "task": "notifications.relay_sweep",
                "schedule": self.RELAY_SWEEP_SECONDS,
            },
            "event-reminders": {"task": "lectures.send_reminders", "schedule": 900.0},
            "resume-stalled-rounds": {
                "task": "matching.resume_stalled",
                "schedule": self.RELAY_SWEEP_SECONDS,
            },
            # Twice per interval: a refresh lands before any summary is an interval old, so
            # requests never find one stale and compute it themselves.
            "monitoring-refresh": {
                "task": "monitoring.refresh",
                "schedule": float(max(self.MONITORING_REFRESH_SECONDS / 2, 60)),
            },
            "escalate-overdue-approvals": {
                "task": "notifications.escalate_overdue",
                "schedule": crontab(minute=7),
            },
            # 01:30 in Guangzhou: the day before is over, even for a late check-out.
            "placement-compliance-sweep": {
                "task": "placements.compliance_sweep",
                "schedule": crontab(hour=17, minute=30),
            },
            # 09:00 in Guangzhou.
            "placement-log-reminders": {
                "task": "placements.log_reminders",
                "schedule": crontab(hour=1, minute=0),
            },
            # 08:00 in Guangzhou (UTC+8).
            "daily-digest": {
                "task": "notifications.send_digests",
                "schedule": crontab(hour=0, minute=0),
                "args": ["daily"],
            },
            "weekly-digest": {
                "task": "notifications.send_digests",
                "schedule": crontab(hour=0, minute=0, day_of_week="mon"),
                "args": ["weekly"],
            },
            # Placements start on their first day (00:05 in Guangzhou, then hourly for those
            # made ready later that day); insurance ending early is flagged each morning.
            "start-placements": {
                "task": "placements.start_due",
                "schedule": crontab(minute=5),
            },
            "flag-placement-insurance": {
                "task": "placements.flag_insurance",
                "schedule": crontab(hour=0, minute=20),
            },
            # Hourly: an upload never attached goes DOCUMENT_ORPHAN_HOURS after it came.
            "delete-orphan-documents": {
                "task": "documents.delete_orphans",
                "schedule": crontab(minute=41),
            },
        }

    def _celery_settings(self) -> dict:
        """Celery settings; without REDIS_URL tasks run in-process (eager)."""
        eager = self.REDIS_URL is None
        time_limit = self.TASK_TIME_LIMIT
        notify_limit = self.NOTIFY_TASK_TIME_LIMIT
        return {
            "broker_url": self.REDIS_URL or "memory://",
            "result_backend": None,
            "task_ignore_result": True,
            "task_serializer": "json",
            "accept_content": ["json"],
            "result_accept_content": ["json"],
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "task_always_eager": eager,
            # enqueue() inspects the result itself; a nested eager retry must not raise.
            "task_eager_propagates": False,
            "timezone": "UTC",
            "enable_utc": True,
            # A hung Redis must never hang a caller: short socket timeouts, bounded retries.
            "broker_connection_timeout": 2,
            "broker_connection_retry_on_startup": True,
            "task_publish_retry_policy": {
                "max_retries": 2,
                "interval_start": 0,
                "interval_step": 0.2,
                "interval_max": 0.5,
            },
            "broker_transport_options": {
                "socket_timeout": 2,
                "socket_connect_timeout": 2,
                "visibility_timeout": self.VISIBILITY_TIMEOUT,
                # Look for unacknowledged tasks of dead workers every few seconds.
                "unacked_restore_interval": 5,
                "unacked_restore_throttle": 1,
            },
            "task_time_limit": time_limit,
            "task_soft_time_limit": _soft_limit(time_limit),
            # Hard limits need the prefork pool (the default), which kills a task at its limit.
            "task_annotations": {
                name: {"time_limit": notify_limit, "soft_time_limit": _soft_limit(notify_limit)}
                for name in self.NOTIFY_TASKS
            },
            "worker_cancel_long_running_tasks_on_connection_loss": True,
            "beat_schedule": self._beat_schedule(),
            "include": [
                "tasks.notifications",
                "tasks.system",
                "tasks.lectures",
                "tasks.matching",
                "tasks.monitoring",
                "tasks.placements",
                "tasks.placement_records",
                "tasks.destinations",
                "tasks.rosters",
                "tasks.reports",
                "tasks.documents",
            ],
        }

    def check(self) -> None:
        """Raise ConfigError if a setting this environment needs is missing."""
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY is not set")


class DevelopmentConfig(BaseConfig):
    """Local development: a SQLite file and in-process tasks unless told otherwise."""

    ENV_NAME = "development"
    DEBUG = True
    LOG_FORMAT = "text"  # read by eye in a terminal; LOG_FORMAT=json to see production's
    ARGON2_MEMORY_COST = 19 * 1024

    def __init__(self) -> None:
        super().__init__()
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret()


class TestingConfig(BaseConfig):
    """The test suite: TEST_DATABASE_URL / DATABASE_URL, cheap hashing for speed."""

    ENV_NAME = "testing"
    TESTING = True
    # Tests hash hundreds of passwords; production strength is asserted in its own test.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_IP = "20 per 15 minutes"
    RECS_INDEX_MIN_AGE = 0.0  # tests see every change at once (one test sets a lag)
    PARTNER_MATCH_MAX_AGE = 0.0  # the same for partner matching (one test keeps rankings)
    MONITORING_REFRESH_SECONDS = 0  # every monitoring request computes afresh
    NOTIFY_RETRY_BASE = 0.2
    NOTIFY_RETRY_MAX = 2.0
    # Recovery runs the production code with every duration RECOVERY_SCALE times shorter, so
    # fault tests see a killed worker's work come back within seconds. The visibility timeout
    # stays far above those bounds: work back in time was sent again by recovery, not Redis.
    RECOVERY_SCALE = 15
    TASK_TIME_LIMIT = BaseConfig.TASK_TIME_LIMIT // RECOVERY_SCALE  # 60 s
    NOTIFY_TASK_TIME_LIMIT = BaseConfig.NOTIFY_TASK_TIME_LIMIT // RECOVERY_SCALE  # 8 s
    VISIBILITY_TIMEOUT = BaseConfig.VISIBILITY_TIMEOUT // RECOVERY_SCALE  # 240 s
    RELAY_SWEEP_SECONDS = BaseConfig.RELAY_SWEEP_SECONDS / RECOVERY_SCALE  # 0.67 s
    RECOVERY_MARGIN = BaseConfig.RECOVERY_MARGIN / RECOVERY_SCALE  # 2 s
    OUTBOX_REQUEUE_AFTER = BaseConfig.OUTBOX_REQUEUE_AFTER // RECOVERY_SCALE  # 480 s

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            self.SECRET_KEY = "testing-" + secrets.token_hex(16)
        # The suite names its own database; it never touches DATABASE_URL's.
        test_db = _env("TEST_DATABASE_URL")
        if test_db:
            self.DATABASE_URL = test_db
            self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(test_db)
        elif not self.DATABASE_URL:
            name = _env("TEST_SQLITE_NAME", "test")
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / f'{name}.db'}"
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)


class ProductionConfig(BaseConfig):
    """Production: PostgreSQL, Redis, secure cookies; refuses to start without its secrets."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    WEBHOOK_ALLOW_LOOPBACK = False

    def check(self) -> None:
        """Refuse to start, naming every missing setting."""
        missing = [
            name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not getattr(self, name)
        ]
        if missing:
            raise ConfigError(
                "production configuration is missing: "
                + ", ".join(missing)
                + " (set them in the environment)"
            )


def _networks(value: str) -> tuple[str, ...]:
    """Comma-separated CIDRs, each checked now (a typo must stop the start, not a scrape)."""
    import ipaddress

    nets = tuple(net.strip() for net in value.split(",") if net.strip())
    for net in nets:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise ConfigError(f"METRICS_ALLOW_NETWORKS: {net!r} is not a network") from None
    return nets


def _soft_limit(hard: int) -> int:
    """The soft time limit (the task may clean up) before a hard one."""
    return max(hard - 30, int(hard * 0.9))


def _dev_secret() -> str:
    """A per-checkout development secret kept under instance/ so sessions survive restarts."""
    path = INSTANCE_DIR / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> BaseConfig:
    """Build the settings object named by `name` or CBEC_CONFIG (default development)."""
    name = name or _env("CBEC_CONFIG", "development")
    try:
        cls = CONFIGS[name]
    except KeyError:
        raise ConfigError(f"CBEC_CONFIG={name!r} is not one of {', '.join(CONFIGS)}") from None
    config = cls()
    config.check()
    return config
