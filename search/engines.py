"""Choosing the search engine from the settings (SEARCH_ENGINE)."""
from __future__ import annotations

import os

from .engine import SearchEngine

ENGINES = ("embedded", "elasticsearch", "opensearch")


def make_engine(config) -> SearchEngine:
    """The engine the settings name. Nothing is opened or contacted here:
    engines connect on first use, so creating the app stays cheap.

    SEARCH_ENGINE: "embedded" (default), "elasticsearch" or "opensearch";
    SEARCH_PATH: the embedded index file (default INSTANCE_DIR/search.db);
    SEARCH_URL and SEARCH_INDEX (default "catalogue"): the cluster and the
    alias searched.
    """
    name = (config.get("SEARCH_ENGINE") or "embedded").strip().lower()
    if name == "embedded":
        from .embedded import EmbeddedEngine
        path = config.get("SEARCH_PATH") or os.path.join(config.get("INSTANCE_DIR") or "instance", "search.db")
        return EmbeddedEngine(path, busy_timeout_ms=int(config.get("SQLITE_BUSY_TIMEOUT_MS") or 5000),
                              cache_size=int(config.get("SEARCH_CACHE_SIZE", 256)))
    if name in ("elasticsearch", "opensearch"):
        if not config.get("SEARCH_URL"):
            raise ValueError(f"SEARCH_ENGINE={name} needs SEARCH_URL (CATALOGUE_SEARCH_URL)")
        from .elastic import make_engine as make_elastic
        return make_elastic(config["SEARCH_URL"], config.get("SEARCH_INDEX") or "catalogue", kind=name)
    raise ValueError(f"unknown SEARCH_ENGINE {name!r}: one of {', '.join(ENGINES)}")
