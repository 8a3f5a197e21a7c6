"""Index settings, mappings and the stored document, for Elasticsearch and
OpenSearch alike.

Analysis agrees with the embedded engine (search.analysis): lowercase,
French elision, ASCII folding, the light French stemmer; no stop words, so
that "la formation" ANDs the same words on both engines. Lowercase runs
before elision so the article list needs no case variants (and does not
depend on ``articles_case``). Only the fields the engine queries are sent,
so the mapping can be strict: a typo in a field name fails loudly instead
of creating a field nobody searches.
"""
from __future__ import annotations

from core.text import fold
from search.engine import FACET_KEYS

# French elided articles and conjunctions (l'école, qu'il, jusqu'à...)
ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

ANALYSIS = {
    "filter": {
        "french_elision": {"type": "elision", "articles": ELISIONS},
        "french_light_stemmer": {"type": "stemmer", "language": "light_french"},
    },
    "analyzer": {
        # the searchable text
        "french_text": {"type": "custom", "tokenizer": "standard",
                        "filter": ["lowercase", "french_elision", "asciifolding", "french_light_stemmer"]},
        # "did you mean" offers real words, not stems; folded as the embedded
        # engine's vocabulary, so "metirs" is one edit from "metiers"
        "french_words": {"type": "custom", "tokenizer": "standard",
                         "filter": ["lowercase", "french_elision", "asciifolding"]},
        # completion: "cre" completes "Création"
        "french_prefix": {"type": "custom", "tokenizer": "standard",
                          "filter": ["lowercase", "french_elision", "asciifolding"]},
    },
    "normalizer": {
        "folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
    },
}

# searched by unfielded words; the weights rank a title match first
TEXT_FIELDS = {
    "title": 5, "subtitle": 3, "authors": 3, "subjects": 2, "descriptor_terms": 2,
    "publisher": 1, "series": 1, "summary": 1, "notes": 1,
}
# what field:word searches
FIELD_TARGETS = {
    "title": ["title", "subtitle"], "author": ["authors"], "subject": ["subjects", "descriptor_terms"],
    "publisher": ["publisher"], "series": ["series"],
}
HIGHLIGHTED = ("title", "summary")


def _text(keyword: bool = False) -> dict:
    field = {"type": "text", "analyzer": "french_text"}
    if keyword:
        # exact values for facets or sorting, folded so "Éditions" == "editions"
        field["fields"] = {"keyword": {"type": "keyword", "normalizer": "folded", "ignore_above": 256}}
    return field


def _completion() -> dict:
    return {"type": "completion", "analyzer": "french_prefix", "search_analyzer": "french_prefix",
            "max_input_length": 100}


MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        "title": _text(keyword=True),
        "subtitle": _text(),
        "authors": _text(keyword=True),
        "subjects": _text(keyword=True),
        "descriptor_terms": _text(),
        "publisher": _text(keyword=True),
        "series": _text(keyword=True),
        "summary": _text(),
        "notes": _text(),
        "year": {"type": "short"},
        "title_sort": {"type": "keyword"},
        "isbns": {"type": "keyword"},
        "issn": {"type": "keyword"},
        # ids of the descriptors and their ancestors: exact-match filters only
        "descriptor_paths": {"type": "long"},
        **{key: {"type": "keyword"} for key in FACET_KEYS.values()},
        "spell": {"type": "text", "analyzer": "french_words"},
        "title_suggest": _completion(),
        "author_suggest": _completion(),
    },
}


def index_body(*, loading: bool = False) -> dict:
    """Settings and mappings of a new index. ``loading``: no refresh while a
    rebuild bulk-loads it (set back by ``LIVE_SETTINGS`` before the swap)."""
    settings = {"analysis": ANALYSIS, "index": {"max_result_window": 10000}}
    if loading:
        settings["index"]["refresh_interval"] = "-1"
    return {"settings": settings, "mappings": MAPPINGS}


LIVE_SETTINGS = {"index": {"refresh_interval": None}}  # back to the server's default


def source(document: dict) -> dict:
    """The projection's document as stored: the mapped fields only, plus
    the spelling vocabulary and the completion inputs."""
    authors = list(document.get("authors") or document.get("contributors") or [])
    out = {
        "id": document["id"],
        "title": document.get("title") or "",
        "subtitle": document.get("subtitle"),
        "authors": authors,
        "subjects": list(document.get("subjects") or []),
        "descriptor_terms": list(document.get("descriptor_terms") or []),
        "publisher": document.get("publisher"),
        "series": document.get("series"),
        "summary": document.get("summary"),
        "notes": document.get("notes"),
        "year": document.get("year"),
        "title_sort": document.get("title_sort") or fold(document.get("title") or ""),
        "isbns": _isbns(document),
        "issn": document.get("issn"),
        "descriptor_paths": list(document.get("descriptor_paths") or []),
    }
    for key in FACET_KEYS.values():
        out[key] = document.get(key)
    # The spelling vocabulary is built here rather than with copy_to: it is
    # then the same on every server (copy_to is not universally emulated).
    out["spell"] = [value for name in TEXT_FIELDS for value in _values(out[name])]
    # a title completes from its first word or from its sort form ("guide"
    # completes "Le guide du routard"); an author from the name as catalogued
    titles = list(dict.fromkeys(t for t in (out["title"], out["title_sort"]) if t))
    out["title_suggest"] = {"input": titles} if titles else None
    out["author_suggest"] = {"input": list(dict.fromkeys(a for a in authors if a))} if authors else None
    return out


def _values(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _isbns(document: dict) -> list[str]:
    forms = list(document.get("isbns") or [])
    if document.get("isbn") and document["isbn"] not in forms:
        forms.append(document["isbn"])
    return [form.replace("-", "").replace(" ", "").upper() for form in forms]
