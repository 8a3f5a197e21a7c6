"""The alphabetical index: preferred terms and entry terms, A to Z, each
entry term pointing to its preferred term ("VAE, voir Validation des acquis
de l'expérience"), as printed thesauri have always done. Read-only."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.text import fold
from thesaurus.models import Concept, ConceptLabel
from thesaurus.services.browse import ConceptRef, refs
from thesaurus.vocab import ConceptStatus, LabelKind


@dataclass(frozen=True)
class IndexEntry:
    """One line of the alphabetical index: a preferred term, or an entry
    term pointing to its preferred term ("VAE, voir Validation des acquis...")."""

    text: str
    concept: ConceptRef
    preferred: bool


def _language_filter(language: str):
    return or_(ConceptLabel.language == language, ConceptLabel.language.like(f"{language}-%"))


def _first_letter(key: str) -> str:
    return key[:1].upper() if key[:1].isalpha() and key[:1].isascii() else "#"


def alphabetical(session: Session, *, letter: str | None = None, language: str = "fr",
                 page: int = 1, size: int = 100) -> tuple[list[IndexEntry], int, list[str]]:
    """Preferred terms and entry terms of ``language``, A to Z.

    Returns (entries of the page, total entries, letters that have entries).
    ``letter`` is A-Z, or "#" for terms that start with anything else. Hidden
    labels (misspellings) are never listed; entry terms of deprecated
    concepts are left out, their preferred terms stay (they say "use...").
    """
    label = ConceptLabel
    base = (select(label.text, label.key, label.kind, label.concept_id).join(Concept, Concept.id == label.concept_id)
            .where(_language_filter(language), label.kind.in_([LabelKind.PREF.value, LabelKind.ALT.value]),
                   or_(Concept.status != ConceptStatus.DEPRECATED, label.kind == LabelKind.PREF.value)))
    keys = base.subquery()
    letters = sorted({_first_letter(k) for k in session.scalars(select(func.substr(keys.c.key, 1, 1)).distinct())
                      if k})
    query = base
    if letter and letter != "#":
        key = fold(letter)[:1]
        query = query.where(label.key >= key, label.key < key + "\uffff")
    elif letter == "#":
        query = query.where(or_(label.key < "a", label.key >= "z\uffff"))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(label.key, label.kind.desc(), label.text)
                           .offset((page - 1) * size).limit(size)).all()
    concepts = {r.id: r for r in refs(session, {row.concept_id for row in rows})}
    entries = [IndexEntry(row.text, concepts[row.concept_id], row.kind == LabelKind.PREF.value)
               for row in rows if row.concept_id in concepts]
    return entries, total, letters
