"""Autocomplete (completion suggester) and "did you mean" (term suggester):
request bodies and how their answers are read. Pure functions.

"Did you mean" takes one request: a ``filter`` aggregation per word tells
which words match no document (the same analysis as the search, so
"formations" is known when "formation" is indexed), and a term suggester
per word proposes the closest indexed words. Only the unknown words are
replaced.
"""
from __future__ import annotations

import re

from core.text import fold
from search.elastic.dsl import clause_query
from search.engine import Completion
from search.query import Clause, parse

_KINDS = {"title": "title_suggest", "author": "author_suggest"}
_ELIDED = re.compile(r"^(\w+['’])(?=\w)")


def completion_body(prefix: str, size: int) -> dict:
    # Several documents share a title or an author: ask for enough options
    # to count them (the most shared come first, as on the embedded engine).
    return {
        "_source": ["id", "title"],
        "suggest": {kind: {"prefix": prefix, "completion": {"field": field, "size": min(size * 5, 100)}}
                    for kind, field in _KINDS.items()},
    }


def completions(response: dict, size: int) -> list[Completion]:
    """Distinct (kind, text), the most shared first, then alphabetically;
    a title's record is the lowest id holding it, an author has none."""
    groups: dict[tuple[str, str], dict] = {}
    for kind in _KINDS:
        for entry in response.get("suggest", {}).get(kind, []):
            for option in entry.get("options", []):
                source = option.get("_source") or {}
                # a title matched through its sort form is shown as written
                text = source.get("title") if kind == "title" else option["text"]
                group = groups.setdefault((kind, text or option["text"]),
                                          {"ids": set(), "key": fold(option["text"])})
                group["ids"].add(int(source.get("id", option.get("_id", 0))))
                group["key"] = min(group["key"], fold(option["text"]))
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]["ids"]), item[1]["key"], item[0][0]))
    return [Completion(kind, text, min(group["ids"]) if kind == "title" else None)
            for (kind, text), group in ordered[:size]]


def spelling_words(text: str) -> list[str]:
    """The words worth correcting: not ISBNs, field names or numbers."""
    return [w for c in parse(text).clauses if c.field != "isbn"
            for w in c.words if not any(ch.isdigit() for ch in w)]


def spelling_body(words: list[str]) -> dict:
    return {
        "size": 0,
        "track_total_hits": False,
        "aggs": {f"w{i}": {"filter": clause_query(Clause(None, (word,)))} for i, word in enumerate(words)},
        "suggest": {f"w{i}": {"text": word, "term": {
            # as the embedded engine: a typo may be in the first letter, short words too
            "field": "spell", "suggest_mode": "always", "size": 5, "prefix_length": 0, "min_word_length": 2}}
                    for i, word in enumerate(words)},
    }


def spelling_answer(text: str, words: list[str], response: dict) -> str | None:
    aggs = response.get("aggregations", {})
    suggest = response.get("suggest", {})
    result = text
    changed = False
    for i, word in enumerate(words):
        if aggs.get(f"w{i}", {}).get("doc_count", 0) > 0:
            continue
        entries = suggest.get(f"w{i}", [])
        options = entries[0].get("options", []) if len(entries) == 1 else []
        if not options:
            continue  # several tokens or nothing close: leave the word as typed
        # closest first, then the most frequent, then alphabetical: as the embedded engine
        best = min(options, key=lambda o: (-o.get("score", 0), -o.get("freq", 0), o["text"]))["text"]
        elided = _ELIDED.match(word)
        replacement = (elided.group(1) if elided else "") + best
        result, count = re.subn(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, result, count=1)
        changed = changed or (count > 0 and fold(replacement) != fold(word))
    return result if changed else None
