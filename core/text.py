"""Folding labels and headings into keys that ignore case, accents and spacing.

One function so that autocomplete, label clashes, heading alignment, search
analysis and match keys all agree on when two spellings are "the same term".
"""
from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPACES = re.compile(r"\s+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "ʼ": "'"})


def unaccent(text: str) -> str:
    """Case-folded, accents removed: "L'Économie" -> "l'economie". Ligatures
    and spacing are kept (match keys, stored in the database, depend on it)."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text


def fold(text: str) -> str:
    """"  Validation des Acquis de l’Expérience " -> "validation des acquis de l'experience"."""
    text = unaccent(text.translate(_LIGATURES))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()
