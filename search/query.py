"""The query language visitors type, parsed once for every engine.

Words are ANDed; ``"..."`` is a phrase; ``field:word`` or ``field:"a phrase"``
restricts to a field (English or French names). An ISBN typed bare, with or
without hyphens or spaces, becomes an isbn clause holding the ISBN-13, so an
ISBN-10 finds the record catalogued with its ISBN-13.

The parser does no linguistic analysis: words stay as typed (accents, case,
elisions) and each engine analyses them the way it analysed the documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import isbn as _isbn

from core.text import fold

FIELDS = ("title", "author", "subject", "isbn", "publisher", "series")
ALIASES = {
    **{name: name for name in FIELDS},
    "titre": "title", "auteur": "author", "sujet": "subject",
    "editeur": "publisher", "collection": "series",  # "éditeur" folds to "editeur"
}

# A word: letters/digits, with inner apostrophes kept (l'entreprise) so
# that engines apply elision; hyphens and other punctuation split words.
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# field:"phrase", field:word, "phrase" (an unclosed quote runs to the end), or anything else
_TOKEN = re.compile(r'(?:(?P<field>\w+):)?(?:"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+))')
# digits with optional hyphens/spaces between them, 10 or 13 long, last may be X
_ISBN_LIKE = re.compile(r"(?<![\w:-])\d(?:[- ]?\d){8}(?:(?:[- ]?\d){3})?[- ]?[\dXx](?![\w-])")


@dataclass(frozen=True)
class Clause:
    """``field`` None means every searchable field. Words of a non-phrase
    clause are ANDed; a phrase's words must be adjacent, in order."""
    field: str | None
    words: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def text_for_thesaurus(self) -> str:
        """The whole query as typed, to match against concept labels
        ("VAE", "création d'entreprise")."""
        return self.text.strip()


def parse(text: str | None) -> Query:
    """Parse what a visitor typed; never fails (bad syntax degrades to words)."""
    text = text or ""
    clauses: list[Clause] = []
    rest = _ISBN_LIKE.sub(lambda m: _take_isbn(m.group(0), clauses), text)
    for match in _TOKEN.finditer(rest):
        name = ALIASES.get(fold(match.group("field") or ""))
        if match.group("field") and name is None:
            # "foo:bar" with an unknown field: just words
            clauses.extend(_words(None, match.group(0).replace(":", " ")))
            continue
        if match.group("phrase") is not None:
            clauses.extend(_phrase(name, match.group("phrase")))
        else:
            clauses.extend(_words(name, match.group("bare")))
    return Query(tuple(clauses), text)


def _take_isbn(candidate: str, clauses: list[Clause]) -> str:
    number = _isbn13(candidate)
    if number is None:
        return candidate
    clauses.append(Clause("isbn", (number,)))
    return " "


def _isbn13(value: str) -> str | None:
    try:
        number = _isbn.validate(value)
    except Exception:  # stdnum raises several ValidationError subclasses
        return None
    return _isbn.compact(_isbn.to_isbn13(number)) if len(number) == 10 else number


def _words(field: str | None, text: str) -> list[Clause]:
    if field == "isbn":
        return [Clause("isbn", (_isbn13(text) or re.sub(r"[^\dXx]", "", text).upper(),))]
    return [Clause(field, (word,)) for word in _WORD.findall(text)]


def _phrase(field: str | None, text: str) -> list[Clause]:
    if field == "isbn":
        return _words(field, text)
    words = tuple(_WORD.findall(text))
    if not words:
        return []
    return [Clause(field, words, phrase=len(words) > 1)]
