"""The search-engine protocol: what the service asks of every engine.

Two implementations (search.embedded, search.elastic) pass one conformance
suite (tests/search), so the service, the API and the public pages never
know which engine answers. Documents are the projection's dicts
(search.projection.search_documents); queries arrive parsed
(search.query.parse) so both engines read the same clauses.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from core.config import SEARCH_CACHE_SIZE, SEARCH_INDEX, SQLITE_BUSY_TIMEOUT_MS
from search.query import Query

FACETS = ("pole", "document_type", "audience", "language", "year_range", "library", "availability")

# facet name -> key of the search document holding its values
FACET_KEYS = {
    "pole": "poles", "document_type": "document_type", "audience": "audiences", "language": "languages",
    "year_range": "year_range", "library": "libraries", "availability": "availability",
}

# Filters that are not facets (no counts): "concept" keeps the works indexed
# with one of these concept ids or a narrower concept (descriptor_paths holds
# each descriptor's broader concepts), as a portal's or a goal's subjects.
FILTERS = FACETS + ("concept",)
FILTER_KEYS = {**FACET_KEYS, "concept": "descriptor_paths"}

SORTS = ("relevance", "date", "title")


@dataclass(frozen=True)
class SearchRequest:
    """One search. Filters (FILTERS): OR within a facet, AND across facets;
    the "concept" filter narrows the facet counts too, as it is no facet.

    ``concept_ids``: the thesaurus expansion done by the application; a
    document whose descriptor_paths holds one of them matches the whole
    query, as an alternative to the text match. ``boost``: facet values
    ranked higher under the relevance sort. Ties are always broken by id
    ascending, so pages never overlap or skip. ``page`` starts at 1.

    ``fuzzy``: unfielded words outside phrases also match indexed words a
    typing mistake away, as Elasticsearch's ``fuzziness: AUTO`` (no edit for
    words of 1-2 letters, 1 for 3-5, 2 beyond; the first letter may be the
    wrong one). Every document matching the words exactly ranks above every
    document found only through a close spelling, whatever the sort.
    """
    query: Query
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    concept_ids: Sequence[int] = ()
    boost: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = 20
    facets: Sequence[str] = FACETS
    highlight: bool = True
    fuzzy: bool = False


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    title: str
    # field ("title", "summary") -> HTML-escaped text, <mark>...</mark> around matched words
    highlight: dict[str, str]
    fuzzy: bool = False  # found only through a close spelling (a fuzzy request)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    """Facet counts are computed with every filter applied except the
    facet's own (multi-select facets), values sorted by count desc then value.
    ``exact``: of ``total``, how many match the words exactly (None but for
    a fuzzy request); they come first."""
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    exact: int | None = None


@dataclass(frozen=True)
class Completion:
    """An autocomplete entry: a title or an author (from an engine), or a
    concept (from the search service: its matching term, and where an entry
    term leads)."""
    kind: str  # "title" | "author" | "concept"
    text: str
    record_id: int | None = None
    concept_id: int | None = None
    pref_label: str | None = None


class SearchEngine(Protocol):
    name: str

    def ensure_ready(self) -> None:
        """Create the index (or file) if missing; idempotent."""

    def index(self, documents: Sequence[dict]) -> None:
        """Add or replace documents, by doc["id"]."""

    def delete(self, ids: Sequence[int]) -> None:
        """Remove documents; unknown ids are ignored."""

    def rebuild(self, documents: Iterable[dict]) -> int:
        """Replace the whole index with these documents, swapped in at once
        (searches see the old index until the new one is complete).
        Returns the number of documents indexed."""

    def search(self, request: SearchRequest) -> SearchResult: ...

    def complete(self, prefix: str, *, size: int = 8) -> list[Completion]:
        """Titles and authors starting with (a word starting with) prefix."""

    def spelling(self, text: str) -> str | None:
        """"Did you mean": the query with its unknown words replaced by the
        closest indexed words, or None when there is nothing better."""

    def count(self) -> int: ...

    def warm(self) -> None:
        """Load what the first search would otherwise wait for (a server
        calls it when it starts); harmless when there is no index yet."""

    def close(self) -> None: ...


ENGINES = ("embedded", "elasticsearch", "opensearch")


def make_engine(config) -> SearchEngine:
    """The engine the settings name. Nothing is opened or contacted here:
    engines connect on first use, so creating the app stays cheap. Each
    engine's package is imported only when chosen: the cluster clients
    take longer to import than the rest of the application.

    SEARCH_ENGINE: "embedded" (default), "elasticsearch" or "opensearch";
    SEARCH_PATH: the embedded index file (search.init_app resolves it);
    SEARCH_URL and SEARCH_INDEX: the cluster and the alias searched.
    """
    name = (config.get("SEARCH_ENGINE") or "embedded").strip().lower()
    if name == "embedded":
        from search.embedded import EmbeddedEngine
        return EmbeddedEngine(config["SEARCH_PATH"],
                              busy_timeout_ms=config.get("SQLITE_BUSY_TIMEOUT_MS", SQLITE_BUSY_TIMEOUT_MS),
                              cache_size=config.get("SEARCH_CACHE_SIZE", SEARCH_CACHE_SIZE))
    if name in ("elasticsearch", "opensearch"):
        if not config.get("SEARCH_URL"):
            raise ValueError(f"SEARCH_ENGINE={name} needs SEARCH_URL (CATALOGUE_SEARCH_URL)")
        from search.elastic import make_engine as make_elastic
        return make_elastic(config["SEARCH_URL"], config.get("SEARCH_INDEX") or SEARCH_INDEX, kind=name)
    raise ValueError(f"unknown SEARCH_ENGINE {name!r}: one of {', '.join(ENGINES)}")
