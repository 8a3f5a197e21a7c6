"""Browser tests: Debian's headless Chromium, driven by Playwright, against
the real service (``catalogue serve``) running as a separate process.

They run on SQLite only (the PostgreSQL param of ``backend`` is skipped).
Without /usr/bin/chromium they are skipped, except under CI, where they fail.
"""
from __future__ import annotations

import gettext
import os
from pathlib import Path

import pytest

from core.db import Database
from tests.support import live
from tests.support.browser import log_in
from tests.support.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCALE = "fr-FR"
TIMEOUT_MS = 10_000
FRENCH_CATALOGUE = (Path(__file__).resolve().parents[2] / "cite" / "translations" / "fr"
                    / "LC_MESSAGES" / "messages.mo")


def _french() -> gettext.NullTranslations:
    if FRENCH_CATALOGUE.is_file():
        with open(FRENCH_CATALOGUE, "rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.NullTranslations()


FRENCH = _french()
HAS_FRENCH = FRENCH_CATALOGUE.is_file()


def _fr(message: str, **params) -> str:
    text = FRENCH.gettext(message)
    return text % params if params else text


@pytest.fixture
def fr():
    """``fr(message)``: the text the French interface shows for ``message``,
    from the compiled French catalogue when there is one, else the English
    source (the same fallback the server uses). ``fr.translated`` says which."""
    _fr.translated = HAS_FRENCH
    return _fr


@pytest.fixture
def browser_backend(backend):
    if backend != "sqlite":
        pytest.skip("browser tests run on SQLite")
    return backend


@pytest.fixture
def live_database_url(browser_backend, request):
    # Asked for only after the backend check, so the PostgreSQL param never
    # starts a PostgreSQL server just to skip.
    return request.getfixturevalue("database_url")


@pytest.fixture
def live_db(live_database_url):
    """The live server's database, for arranging data (users, records) with
    the factories. Shared with the server process: commit before reading it
    in the browser."""
    database = Database(live_database_url)
    yield database
    database.dispose()


@pytest.fixture
def live_server(live_database_url, tmp_path):
    """Base URL of ``catalogue serve`` on a free loopback port, with the
    default secure session cookie."""
    with live.live_server(live_database_url, tmp_path / "live-instance") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def _playwright():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is not installed (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser_backend, browser):
    """Open a page in a fresh browser context (its own cookies): call it
    twice for two people working at once."""
    contexts = []

    def open_page():
        context = browser.new_context(locale=LOCALE, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def _login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    log_in(page, base_url, username, password)


@pytest.fixture
def login():
    """``login(page, base_url, username)``: log in through the /login form, as a person would."""
    return _login
