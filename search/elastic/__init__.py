"""Elasticsearch (8, 9) and OpenSearch (2 and later) behind the search-engine
protocol: one module of mappings and query DSL (schema, dsl, suggest), one
engine (engine) and a thin adapter per official client (clients)."""
from __future__ import annotations

from search.elastic.clients import SearchServerError, make_transport
from search.elastic.engine import ElasticEngine

__all__ = ["ElasticEngine", "SearchServerError", "make_engine"]


def make_engine(url: str, index_name: str = "catalogue", *, kind: str = "elasticsearch",
                refresh: str = "wait_for", **client_options) -> ElasticEngine:
    """An engine on the cluster at ``url`` (credentials may be in the URL:
    https://user:password@host:9200), searching the alias ``index_name``.
    ``kind``: "elasticsearch" or "opensearch". Connects lazily."""
    return ElasticEngine(make_transport(kind, url, **client_options), index_name, name=kind, refresh=refresh)
