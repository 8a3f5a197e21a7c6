"""The match key: a work's normalised title, first author's surname and year.

It is the last-resort rule when an incoming MARC record is matched against
the catalogue. It lives here, not in importers/, because the record service
keeps it current whenever a work is catalogued or edited.
"""
from __future__ import annotations

import re

from core.text import unaccent

ARTICLES = frozenset({"le", "la", "les", "l", "the", "a", "an"})
_WORD = re.compile(r"\w+")


def _words(value: str | None) -> list[str]:
    """Lower-case words without accents: "L'Économie" -> ["l", "economie"]."""
    if not value:
        return []
    return _WORD.findall(unaccent(value).replace("_", " "))


def surname(name: str | None) -> str:
    """"Martin, Léa" -> "martin"; "Léa Martin" -> "martin"; corporate names whole."""
    if not name:
        return ""
    head = name.split(",", 1)[0] if "," in name else name.split()[-1] if " " in name.strip() else name
    return " ".join(_words(head))


def title_words(title: str | None) -> str:
    """The title as the match key compares it: folded words, articles left out."""
    return " ".join(w for w in _words(title) if w not in ARTICLES)


def match_key(title: str | None, author: str | None, year: int | None) -> str | None:
    """Normalised "title|surname|year", or None when there is too little to
    tell works apart (no title words, or neither author nor year)."""
    words = title_words(title)
    if not words:
        return None
    name = surname(author)
    if not name and not year:
        return None
    return f"{words}|{name}|{year or ''}"[:255]
