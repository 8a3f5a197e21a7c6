"""French analysis for the embedded engine: words -> index terms.

Lowercase and ASCII folding (thesaurus.text.fold, so that search and the
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
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass

from thesaurus.text import fold

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


@lru_cache(maxsize=1 << 16)
def analyse(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(the index terms joined by spaces, the (folded word, term) pairs):
    the indexing fast path, memoised because subjects, publishers and
    series repeat across thousands of records."""
    pairs = tuple(map(_analyse, _INDEXED.findall(text)))
    return " ".join(term for _, term in pairs), pairs


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
