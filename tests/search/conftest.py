"""The ``engine`` fixture of the conformance suite: every search engine,
empty and ready, one fresh index per test.

- "embedded": a file in the test's tmp folder;
- "elasticsearch": CATALOGUE_TEST_ES_URL, else the session's noida-db
  (tests.support.noida; skipped with a reason when it cannot start, except
  under CI);
- "opensearch": only when CATALOGUE_TEST_OPENSEARCH_URL is set.
"""
from __future__ import annotations

import os
import uuid

import pytest

try:  # written alongside the Elasticsearch engine; skip its params until it exists
    from tests.support.noida import elasticsearch_url, opensearch_url  # noqa: F401  (fixtures)
    _ELASTIC = None
except ImportError as error:
    _ELASTIC = f"tests.support.noida is not available: {error}"

ENGINES = ["embedded", "elasticsearch"] + (["opensearch"] if os.environ.get("CATALOGUE_TEST_OPENSEARCH_URL") else [])


@pytest.fixture(params=ENGINES)
def engine(request, tmp_path):
    if request.param == "embedded":
        from search.embedded import EmbeddedEngine
        made = EmbeddedEngine(tmp_path / "search.db")
        made.ensure_ready()
        yield made
        made.close()
        return
    if _ELASTIC:
        pytest.skip(_ELASTIC)
    from search.elastic import make_engine
    url = request.getfixturevalue("opensearch_url" if request.param == "opensearch" else "elasticsearch_url")
    alias = f"conformance-{uuid.uuid4().hex[:12]}"
    made = make_engine(url, alias, kind=request.param)
    made.ensure_ready()
    yield made
    made.close()
    from tests.support.search import drop_indexes
    drop_indexes(url, alias)
