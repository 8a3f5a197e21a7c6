"""Fixtures for tests of the search service, outbox, API and CLI: an app on
each DB backend (``app`` fixture's database) with each search engine.

Import ``search_app`` and ``elasticsearch_url`` into a test module to use
them. The Elasticsearch param uses CATALOGUE_TEST_ES_URL, else the session's
noida-db (tests.support.noida); each test gets its own index, deleted after.
"""
from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from cite import create_app
from search.web import flush_observatory
from tests.support.noida import elasticsearch_url  # noqa: F401  (a fixture)

ENGINES = ["embedded", "elasticsearch"]


def app_config(database_url: str, tmp_path, **extra) -> dict:
    return {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
            "SESSION_COOKIE_SECURE": False, "INSTANCE_DIR": str(tmp_path), **extra}


def engine_config(kind: str, request) -> dict:
    if kind == "embedded":
        return {"SEARCH_ENGINE": "embedded"}
    return {"SEARCH_ENGINE": "elasticsearch", "SEARCH_URL": request.getfixturevalue("elasticsearch_url"),
            "SEARCH_INDEX": f"test-{uuid.uuid4().hex[:12]}"}


@pytest.fixture(params=ENGINES)
def search_app(request, database_url, tmp_path):
    """An app whose search engine is the param's, on the backend's database."""
    extra = engine_config(request.param, request)
    app = create_app(app_config(database_url, tmp_path, **extra))
    app.extensions["catalogue.search"].ensure_ready()
    yield app
    # Else the observatory's timer writes this test's last counts later, into a database
    # dropped or reused by then (as the app fixture in tests/conftest.py does).
    flush_observatory(app)
    app.extensions["catalogue.search"].close()
    app.extensions["catalogue.db"].dispose()
    if request.param == "elasticsearch":
        drop_indexes(extra["SEARCH_URL"], extra["SEARCH_INDEX"])


def drop_indexes(url: str, alias: str) -> None:
    """Delete the indexes behind ``alias`` (by name: clusters refuse wildcards)."""
    try:
        with urllib.request.urlopen(f"{url}/_alias/{alias}*", timeout=10) as response:
            names = list(json.load(response))
    except OSError:
        return
    for name in names:
        try:
            urllib.request.urlopen(urllib.request.Request(f"{url}/{name}", method="DELETE"), timeout=10).close()
        except OSError:
            pass
