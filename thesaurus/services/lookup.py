"""Concept autocomplete over preferred labels and entry terms.

Typed text is folded (``core.text.fold``: no case, no accents) and
matched as a prefix of the labels' folded keys with a range scan
``key >= p AND key < p + U+FFFF`` on the ``concept_labels.key`` index: no
LIKE, whose escaping and collation rules differ between SQLite and
PostgreSQL (the key column sorts bytewise on both, see thesaurus.models).

Ranking, best first: preferred labels, then entry terms, then hidden labels
(common misspellings: they match, but the concept shows under its preferred
label); French, then English, then other languages; shorter labels; then
alphabetical (by key). One match per concept, its best-ranked label.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from core.text import fold
from thesaurus.models import Concept, ConceptLabel
from thesaurus.vocab import ConceptStatus, LabelKind

MAX_LIMIT = 50


@dataclass(frozen=True)
class Match:
    concept_id: int
    uri: str
    label: str        # the label that matched (the preferred label for a hidden one)
    kind: str         # LabelKind value of the label that matched: "alt" means "entry term -> pref_label"
    language: str
    pref_label: str   # the concept's French preferred label
    status: str       # ConceptStatus value

    def as_dict(self) -> dict:
        return {"id": self.concept_id, "uri": self.uri, "label": self.label, "kind": self.kind,
                "language": self.language, "pref_label": self.pref_label, "status": self.status}


_KIND_RANK = {LabelKind.PREF.value: 0, LabelKind.ALT.value: 1}        # hidden and others: 2
_LANGUAGE_RANK = {"fr": 0, "en": 1}                                    # others: 2
FIRST_BATCH = 100


def autocomplete(session: Session, text: str, *, limit: int = 10, include_deprecated: bool = False) -> list[Match]:
    """Up to ``limit`` (at most 50) concepts with a label starting with
    ``text``, ignoring case and accents. Blank text matches nothing.
    Deprecated concepts are left out unless ``include_deprecated``."""
    prefix = fold(text or "")
    limit = max(1, min(limit, MAX_LIMIT))
    if not prefix:
        return []
    # A one-letter prefix matches thousands of labels. Reading and sorting
    # them all with their concepts costs ~6 ms on UNESCO; sorting only the
    # index entries (key and id) by length costs ~1 ms. So: take ids shortest first, in
    # growing batches, fetch those rows, and stop as soon as the best
    # ``limit`` concepts all matched with a French preferred label: no label
    # further down (longer) can outrank those.
    connection = session.connection()  # Core rows: the ORM's per-row work is most of the cost here
    best: dict[int, tuple] = {}   # concept id -> (rank, row) of its best label so far
    offset, batch = 0, FIRST_BATCH
    while True:
        rows = connection.execute(_PAGE, {"low": prefix, "high": prefix + "\uffff", "offset": offset,
                                          "batch": batch}).all()
        # Plain tuples and dict lookups: this loop runs for every row fetched.
        for row in rows:
            concept_id, kind, language, _text, key, _uri, _pref, status = row
            if status == DEPRECATED and not include_deprecated:
                continue
            rank = (_KIND_RANK.get(kind, 2), _LANGUAGE_RANK.get(language, 2), len(key), key, concept_id)
            kept = best.get(concept_id)
            if kept is None or rank < kept[0]:
                best[concept_id] = (rank, row)
        top = sorted(best.values())[:limit]
        if len(rows) < batch or (len(top) == limit and all(rank[:2] == (0, 0) for rank, _ in top)):
            return [_match(*row) for _, row in top]
        offset, batch = offset + batch, batch * 4


# Built once: building and caching a statement per call costs as much as running it.
_ORDERED = (select(ConceptLabel.id)
            .where(ConceptLabel.key >= bindparam("low"), ConceptLabel.key < bindparam("high"))
            .order_by(func.length(ConceptLabel.key), ConceptLabel.key, ConceptLabel.id)
            .offset(bindparam("offset", type_=Integer)).limit(bindparam("batch", type_=Integer)).subquery())
# status as its stored string: no enum conversion per row.
_PAGE = (select(ConceptLabel.concept_id, ConceptLabel.kind, ConceptLabel.language, ConceptLabel.text,
                ConceptLabel.key, Concept.uri, Concept.pref_label_fr, type_coerce(Concept.status, String))
         .join(Concept, Concept.id == ConceptLabel.concept_id)
         .join(_ORDERED, _ORDERED.c.id == ConceptLabel.id))
DEPRECATED = ConceptStatus.DEPRECATED.value


def _match(concept_id, kind, language, text, key, uri, pref_label, status) -> Match:
    hidden = kind == LabelKind.HIDDEN.value
    return Match(concept_id, uri, pref_label if hidden else text, kind, "fr" if hidden else language, pref_label,
                 status)
