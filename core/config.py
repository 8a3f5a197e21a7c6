"""Settings, read from environment variables.

Every setting is declared once in ``SETTINGS``; the README's configuration
table is checked against this list by ``tests/cite/test_docs.py``.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

# Defaults that code outside the settings table needs too (a Database or an
# engine made by hand, as tests and benchmarks do): written once, here.
SQLITE_BUSY_TIMEOUT_MS = 5000
SEARCH_CACHE_SIZE = 256
SEARCH_FILE = "search.db"
SEARCH_INDEX = "catalogue"


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
    Setting("CATALOGUE_MAX_REQUEST_KB", "2048",
            "The largest request body accepted, in kilobytes: a larger one answers 413."),
    Setting("CATALOGUE_DEFAULT_LOCALE", "fr",
            "Interface language when the browser asks for none we have, and the language of the "
            "command line (`fr` or `en`)."),
    Setting("CATALOGUE_TIMEZONE", "Europe/Paris",
            "Time zone in which dates and times are shown (stored times are UTC)."),
    Setting("CATALOGUE_SQLITE_BUSY_TIMEOUT_MS", str(SQLITE_BUSY_TIMEOUT_MS),
            "How long an SQLite writer waits for a lock before giving up, in milliseconds."),
    Setting("CATALOGUE_SERVER_WORKERS", "2",
            "Worker processes of `catalogue serve` (one per CPU core uses them all)."),
    Setting("CATALOGUE_SERVER_THREADS", "2",
            "Threads of each worker process of `catalogue serve`."),
    Setting("CATALOGUE_LOG_LEVEL", "INFO",
            "Logging level (DEBUG, INFO, WARNING, ERROR)."),
    Setting("CATALOGUE_OAI_REPOSITORY_ID", "cite-des-metiers",
            "Repository identifier in OAI-PMH identifiers (`oai:ID:record/42`); a domain name is best."),
    Setting("CATALOGUE_OAI_REPOSITORY_NAME", "Catalogue de la Cité des métiers",
            "Repository name given by OAI-PMH Identify."),
    Setting("CATALOGUE_OAI_ADMIN_EMAIL", "documentation@localhost",
            "Contact address given by OAI-PMH Identify."),
    Setting("CATALOGUE_OAI_PAGE_SIZE", "100",
            "Records or headers per OAI-PMH list response, before a resumption token."),
    Setting("CATALOGUE_HARVEST_URL", None,
            "Base URL of the OAI-PMH repository harvested nightly by `catalogue scheduler`."),
    Setting("CATALOGUE_HARVEST_PREFIX", "marc21",
            "Metadata prefix asked of that repository (MARCXML: `marc21`, `marcxml`, `unimarc`...)."),
    Setting("CATALOGUE_HARVEST_SET", None,
            "Set to harvest (default: the whole repository)."),
    Setting("CATALOGUE_HARVEST_SOURCE", None,
            "Source name given to harvested records (default: the repository's host)."),
    Setting("CATALOGUE_HARVEST_CRON", "0 2 * * *",
            "When `catalogue scheduler` harvests, as a crontab line in CATALOGUE_TIMEZONE."),
    Setting("CATALOGUE_HARVEST_ATTEMPTS", "5",
            "Attempts per OAI-PMH request before a harvest gives up (exponential backoff between them)."),
    Setting("CATALOGUE_HARVEST_TIMEOUT_SECONDS", "60",
            "Network timeout of one OAI-PMH request, in seconds."),
    Setting("CATALOGUE_IMPORT_MATCH_RULES", "source_id,isbn,issn,key",
            "How imported records find the work they describe, rules tried in order "
            "(see *Matching and merging*)."),
    Setting("CATALOGUE_IMPORT_ANALYSE_IN_WORKERS", "false",
            "`true`: on the embedded engine, an import's worker processes also analyse the new works' search "
            "documents, and the indexing that ends the import loads them instead of reading the works back. "
            "Pays with more than 2 CPUs; slower on 2 (see *From file to searchable*)."),
    Setting("CATALOGUE_PASSWORD_HASH_PROFILE", "rfc_9106_low_memory",
            "Parameters of the argon2id password hashes: `rfc_9106_low_memory` (64 MiB, 3 passes). "
            "`cheapest` is argon2-cffi's profile for test suites, which hash thousands of passwords: "
            "never in production."),
    Setting("CATALOGUE_SEARCH_ENGINE", "embedded",
            "Search engine: `embedded` (an index file next to the database, no service to run), "
            "`elasticsearch` (8 or 9) or `opensearch` (2.x and later)."),
    Setting("CATALOGUE_SEARCH_URL", None,
            "Address of the Elasticsearch or OpenSearch cluster, e.g. `http://localhost:9200` "
            "(credentials may go in the URL)."),
    Setting("CATALOGUE_SEARCH_INDEX", SEARCH_INDEX,
            "Name of the Elasticsearch/OpenSearch alias searched; `catalogue reindex` builds a new "
            "index behind it and swaps the alias."),
    Setting("CATALOGUE_SEARCH_PATH", None,
            f"File of the embedded search index. Default: `{SEARCH_FILE}` in the instance folder."),
    Setting("CATALOGUE_SEARCH_CACHE_SIZE", str(SEARCH_CACHE_SIZE),
            "Answers the embedded engine, visitors' answers as sent (API and results page), and lookups of "
            "the concepts a query names the search service, keep per process for repeated searches (0: none)."),
    Setting("CATALOGUE_SEARCH_DRAIN_SECONDS", "60",
            "How often `catalogue scheduler` indexes the works still waiting in the search outbox, in seconds."),
    Setting("CATALOGUE_SITE_URL", "http://127.0.0.1:5000",
            "Address of the site as the staff reach it, for the links in the mail they receive."),
    Setting("CATALOGUE_SMTP_HOST", None,
            "Mail server that sends the staff's notifications. Without it, notifications reach the inbox only."),
    Setting("CATALOGUE_SMTP_PORT", "25",
            "Port of the mail server (often 587 with `starttls`, 465 with `ssl`)."),
    Setting("CATALOGUE_SMTP_SECURITY", "none",
            "`none`, `starttls` or `ssl`."),
    Setting("CATALOGUE_SMTP_USERNAME", None,
            "Login on the mail server, if it asks for one."),
    Setting("CATALOGUE_SMTP_PASSWORD", None,
            "Password on the mail server."),
    Setting("CATALOGUE_SMTP_FROM", "documentation@localhost",
            "Sender address of the notifications."),
    Setting("CATALOGUE_SMTP_TIMEOUT_SECONDS", "10",
            "Network timeout of one exchange with the mail server, in seconds."),
    Setting("CATALOGUE_FISCAL_YEAR_START_MONTH", "1",
            "First month of the fiscal year of the acquisition funds (1 = January, 9 = September)."),
    Setting("CATALOGUE_THESAURUS_BASE_URI", "https://thesaurus.cite-des-metiers.invalid/concept/",
            "Prefix of the URI given to a concept created here (imported concepts keep theirs)."),
)


PASSWORD_HASH_PROFILES = ("rfc_9106_low_memory", "cheapest")


def password_hash_profile(environ=os.environ) -> str:
    """Read once, when the accounts package is imported: hashes are made
    outside any application too (the demo, the tests' factories)."""
    return _choice("CATALOGUE_PASSWORD_HASH_PROFILE", environ, PASSWORD_HASH_PROFILES)


def command_line_locale(environ=os.environ) -> str:
    """The command line's language, known before any application is built:
    click reads the arguments, and may have to say what is wrong with them, first."""
    return (_env("CATALOGUE_DEFAULT_LOCALE", environ) or "").strip().lower() or "fr"


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env(name: str, environ) -> str | None:
    for setting in SETTINGS:
        if setting.name == name:
            return environ.get(name, setting.default)
    raise KeyError(name)


def _choice(name: str, environ, allowed: tuple[str, ...]) -> str:
    value = _env(name, environ).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name}={value!r}: one of {', '.join(allowed)}")
    return value


def _month(value: str) -> int:
    month = int(value)
    if not 1 <= month <= 12:
        raise ValueError(f"CATALOGUE_FISCAL_YEAR_START_MONTH={value!r}: a month, from 1 to 12")
    return month


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
        "MAX_CONTENT_LENGTH": int(_env("CATALOGUE_MAX_REQUEST_KB", environ)) * 1024,
        "BABEL_DEFAULT_LOCALE": _env("CATALOGUE_DEFAULT_LOCALE", environ),
        "BABEL_DEFAULT_TIMEZONE": _env("CATALOGUE_TIMEZONE", environ),
        "SQLITE_BUSY_TIMEOUT_MS": int(_env("CATALOGUE_SQLITE_BUSY_TIMEOUT_MS", environ)),
        "SERVER_WORKERS": int(_env("CATALOGUE_SERVER_WORKERS", environ)),
        "SERVER_THREADS": int(_env("CATALOGUE_SERVER_THREADS", environ)),
        "LOG_LEVEL": _env("CATALOGUE_LOG_LEVEL", environ).upper(),
        "OAI_REPOSITORY_ID": _env("CATALOGUE_OAI_REPOSITORY_ID", environ),
        "OAI_REPOSITORY_NAME": _env("CATALOGUE_OAI_REPOSITORY_NAME", environ),
        "OAI_ADMIN_EMAIL": _env("CATALOGUE_OAI_ADMIN_EMAIL", environ),
        "OAI_PAGE_SIZE": int(_env("CATALOGUE_OAI_PAGE_SIZE", environ)),
        "HARVEST_URL": _env("CATALOGUE_HARVEST_URL", environ) or None,
        "HARVEST_PREFIX": _env("CATALOGUE_HARVEST_PREFIX", environ),
        "HARVEST_SET": _env("CATALOGUE_HARVEST_SET", environ) or None,
        "HARVEST_SOURCE": _env("CATALOGUE_HARVEST_SOURCE", environ) or None,
        "HARVEST_CRON": _env("CATALOGUE_HARVEST_CRON", environ),
        "HARVEST_ATTEMPTS": int(_env("CATALOGUE_HARVEST_ATTEMPTS", environ)),
        "HARVEST_TIMEOUT_SECONDS": float(_env("CATALOGUE_HARVEST_TIMEOUT_SECONDS", environ)),
        "IMPORT_MATCH_RULES": _env("CATALOGUE_IMPORT_MATCH_RULES", environ),
        "IMPORT_ANALYSE_IN_WORKERS": _flag(_env("CATALOGUE_IMPORT_ANALYSE_IN_WORKERS", environ)),
        "THESAURUS_BASE_URI": _env("CATALOGUE_THESAURUS_BASE_URI", environ),
        "SEARCH_ENGINE": _env("CATALOGUE_SEARCH_ENGINE", environ).strip().lower(),
        "SEARCH_URL": _env("CATALOGUE_SEARCH_URL", environ) or None,
        "SEARCH_INDEX": _env("CATALOGUE_SEARCH_INDEX", environ),
        # None: SEARCH_FILE in INSTANCE_DIR, resolved by search.init_app (tests change INSTANCE_DIR).
        "SEARCH_PATH": _env("CATALOGUE_SEARCH_PATH", environ) or None,
        "SEARCH_CACHE_SIZE": int(_env("CATALOGUE_SEARCH_CACHE_SIZE", environ)),
        "SEARCH_DRAIN_SECONDS": max(1, int(_env("CATALOGUE_SEARCH_DRAIN_SECONDS", environ))),
        "SITE_URL": _env("CATALOGUE_SITE_URL", environ),
        "SMTP_HOST": _env("CATALOGUE_SMTP_HOST", environ) or None,
        "SMTP_PORT": int(_env("CATALOGUE_SMTP_PORT", environ)),
        "SMTP_SECURITY": _choice("CATALOGUE_SMTP_SECURITY", environ, ("none", "starttls", "ssl")),
        "SMTP_USERNAME": _env("CATALOGUE_SMTP_USERNAME", environ) or None,
        "SMTP_PASSWORD": _env("CATALOGUE_SMTP_PASSWORD", environ) or None,
        "SMTP_FROM": _env("CATALOGUE_SMTP_FROM", environ),
        "SMTP_TIMEOUT_SECONDS": float(_env("CATALOGUE_SMTP_TIMEOUT_SECONDS", environ)),
        "FISCAL_YEAR_START_MONTH": _month(_env("CATALOGUE_FISCAL_YEAR_START_MONTH", environ)),
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_SORT_KEYS": False,
    }
