"""Settings, read from environment variables.

Every setting is declared once in ``SETTINGS``; the README's configuration
table is checked against this list by ``tests/test_docs.py``.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("CATALOGUE_INSTANCE_DIR", "./instance",
            "Folder for the embedded database, the generated secret key and other local state."),
    Setting("CATALOGUE_DATABASE_URL", None,
            "SQLAlchemy URL. Default: SQLite file `catalogue.db` in the instance folder. "
            "Use `postgresql+psycopg://user:pass@host/db` for PostgreSQL."),
    Setting("CATALOGUE_SECRET_KEY", None,
            "Key that signs sessions and CSRF tokens. Default: a random key generated once "
            "and kept in `secret_key` in the instance folder."),
    Setting("CATALOGUE_SESSION_COOKIE_SECURE", "true",
            "Send the staff session cookie over HTTPS only. Browsers treat "
            "http://127.0.0.1 and http://localhost as secure, so the default works locally."),
    Setting("CATALOGUE_SESSION_HOURS", "10",
            "How long a staff session lasts, in hours."),
    Setting("CATALOGUE_DEFAULT_LOCALE", "fr",
            "Interface language when the browser asks for none we have (`fr` or `en`)."),
    Setting("CATALOGUE_TIMEZONE", "Europe/Paris",
            "Time zone in which dates and times are shown (stored times are UTC)."),
    Setting("CATALOGUE_SQLITE_BUSY_TIMEOUT_MS", "5000",
            "How long an SQLite writer waits for a lock before giving up, in milliseconds."),
    Setting("CATALOGUE_SERVER_THREADS", "8",
            "Worker threads of the WSGI server started by `catalogue serve`."),
    Setting("CATALOGUE_LOG_LEVEL", "INFO",
            "Logging level (DEBUG, INFO, WARNING, ERROR)."),
)


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env(name: str, environ) -> str | None:
    for setting in SETTINGS:
        if setting.name == name:
            return environ.get(name, setting.default)
    raise KeyError(name)


def _secret_key(instance: Path) -> str:
    """Return the instance's persistent secret key, creating it on first use."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load(environ=None) -> dict:
    """Build the Flask configuration mapping from ``environ`` (default: os.environ)."""
    environ = os.environ if environ is None else environ
    instance = Path(_env("CATALOGUE_INSTANCE_DIR", environ)).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    database_url = _env("CATALOGUE_DATABASE_URL", environ) or f"sqlite:///{instance / 'catalogue.db'}"
    secret = _env("CATALOGUE_SECRET_KEY", environ) or _secret_key(instance)
    return {
        "INSTANCE_DIR": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret,
        "SESSION_COOKIE_SECURE": _flag(_env("CATALOGUE_SESSION_COOKIE_SECURE", environ)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "catalogue_session",
        "REMEMBER_COOKIE_SECURE": _flag(_env("CATALOGUE_SESSION_COOKIE_SECURE", environ)),
        "PERMANENT_SESSION_LIFETIME": int(_env("CATALOGUE_SESSION_HOURS", environ)) * 3600,
        "BABEL_DEFAULT_LOCALE": _env("CATALOGUE_DEFAULT_LOCALE", environ),
        "BABEL_DEFAULT_TIMEZONE": _env("CATALOGUE_TIMEZONE", environ),
        "SQLITE_BUSY_TIMEOUT_MS": int(_env("CATALOGUE_SQLITE_BUSY_TIMEOUT_MS", environ)),
        "SERVER_THREADS": int(_env("CATALOGUE_SERVER_THREADS", environ)),
        "LOG_LEVEL": _env("CATALOGUE_LOG_LEVEL", environ).upper(),
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_SORT_KEYS": False,
    }
