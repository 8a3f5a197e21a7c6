"""French analysis for the embedded engine: words -> index terms.

Lowercase and ASCII folding (core.text.fold, so that search and the
thesaurus agree on "the same word"), elision (l'entreprise -> entreprise),
then a light stemmer that only conflates inflections: plurals, feminine
forms. Snowball's French stemmer was measured first and rejected: it keeps
"emplois" apart from "emploi" and folds "formation" into "format".
Folding happens before stemming so "creation" and "création" cannot diverge.

The Elasticsearch analyzers (search/elastic) are configured to agree:
elision, lowercase, asciifolding, light_french.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from core.text import fold

ELIDED = frozenset({"l", "d", "j", "n", "s", "c", "m", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
APOSTROPHES = "'’ʼ"
_WORD = re.compile(r"[^\W_]+")
# feminine -> masculine, most specific first
_FEMININE = (("trice", "teur"), ("euse", "eur"), ("iere", "ier"), ("ienne", "ien"), ("elle", "el"),
             ("ive", "if"))


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str  # folded surface form, for the spelling vocabulary
    term: str  # the index term


def tokens(text: str | None) -> Iterator[Token]:
    """Words of ``text`` with their offsets in it (for highlighting)."""
    if not text:
        return
    for match in _WORD.finditer(text):
        word, term = _analyse(match.group())
        end = match.end()
        if word in ELIDED and end + 1 < len(text) and text[end] in APOSTROPHES and text[end + 1].isalnum():
            continue
        yield Token(match.start(), end, word, term)


@lru_cache(maxsize=1 << 18)
def _analyse(raw: str) -> tuple[str, str]:
    # memoised: a catalogue repeats a few hundred thousand words, and folding
    # and stemming every occurrence again would dominate a rebuild
    word = fold(raw)
    return word, stem(word)


def terms(text: str | None) -> list[str]:
    return [token.term for token in tokens(text)]


# Elided articles and pronouns are consumed by the match and left out of the
# group; the rest of the word is captured. Same rules as tokens(), in C.
_INDEXED = re.compile(r"(?:\b(?i:" + "|".join(sorted(ELIDED, key=len, reverse=True)) + r")[" + APOSTROPHES
                      + r"](?=[^\W_]))?([^\W_]+)")


# ASCII letters and digits, lowercased; every other byte a space, but for the
# part and field marks of analyse_fields. In ASCII text without an apostrophe,
# folding is lowercasing and nothing is elided: translating the bytes and
# splitting finds the very words _INDEXED finds, in half the time, and most
# of a catalogue's text is such text.
_PART, _FIELD = "\x01", "\x02"
_ASCII_WORDS = bytes(c + 32 if 65 <= c <= 90 else c if (c < 128 and chr(c).isalnum()) or chr(c) in _PART + _FIELD
                     else 32 for c in range(256))
# _INDEXED, also finding the marks
_INDEXED_MARKED = re.compile(_INDEXED.pattern.removesuffix(")") + r"|[\x01\x02])")


def analyse(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(the index terms joined by spaces, the (folded word, term) pairs):
    the indexing fast path. See analyse_repeated for text that repeats,
    analyse_fields for a whole document."""
    if text.isascii() and "'" not in text and _PART not in text and _FIELD not in text:
        words = text.encode().translate(_ASCII_WORDS).decode().split()
        stems = list(map(_STEMS.__getitem__, words))
        return " ".join(stems), tuple(zip(words, stems))
    pairs = tuple(map(_analyse, _INDEXED.findall(text)))
    return " ".join([term for _, term in pairs]), pairs


# Memoised for subjects, authors, publishers and series, which repeat across
# thousands of records; titles and notes rarely do, and would only push
# them out of the cache.
analyse_repeated = lru_cache(maxsize=1 << 16)(analyse)


def analyse_fields(fields: list[list[str]], gap: str) -> tuple[list[str], dict[str, str]] | None:
    """What analysing each part of each field apart gives, in one pass over
    the whole text: one string per field, its parts' terms joined by spaces
    and ``gap`` between two parts, and every (folded word -> term), in the
    order of the text. A document's text in six fields costs one call
    instead of a dozen. None if it cannot tell (a part with no word, or
    control characters in the text): analyse each part then."""
    parts = [[part for part in field if part] for field in fields]
    text = (" " + _FIELD + " ").join([(" " + _PART + " ").join(field) for field in parts])
    if (text.count(_FIELD) != len(fields) - 1
            or text.count(_PART) != sum(len(field) - 1 for field in parts if field)):
        return None
    if text.isascii() and "'" not in text:
        words = text.encode().translate(_ASCII_WORDS).decode().split()
        stems = list(map(_STEMS.__getitem__, words))
    else:
        pairs = list(map(_analyse, _INDEXED_MARKED.findall(text)))
        words, stems = [word for word, _ in pairs], [term for _, term in pairs]
    joined = _FIELD + " " + " ".join(stems) + " " + _FIELD
    if any(mark in joined for mark in _EMPTY_PART):
        return None
    found = dict(zip(words, stems))
    found.pop(_PART, None)
    found.pop(_FIELD, None)
    return [column.strip(" ").replace(_PART, gap) for column in joined.split(_FIELD)[1:-1]], found


# a part mark next to another mark: a part with no word, which analyse gives as ""
_EMPTY_PART = (f"{_PART} {_PART}", f"{_PART} {_FIELD}", f"{_FIELD} {_PART}")


class _Stems(dict):
    """folded word -> term, for words already seen; emptied when it grows
    past a catalogue's vocabulary, so that a long-lived process stays small."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 18:
            self.clear()
        term = self[word] = stem(word)
        return term


_STEMS = _Stems()


def stem(word: str) -> str:
    """Light French stemming of a folded word: métiers -> metier,
    formations -> formation, chevaux -> cheval, vendeuses -> vendeur.
    Numbers and short words are left alone."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith("x"):
        word = word[:-1]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix, replacement in _FEMININE:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            word = word[:-len(suffix)] + replacement
            break
    # a mute final e (and the "ee" of a feminine participle): entreprise ~ entrepris
    while word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word
