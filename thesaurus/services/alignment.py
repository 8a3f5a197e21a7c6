"""Which concept an incoming subject heading most likely stands for.

Headings come with imported records (RAMEAU, LCSH...); aligning them with
the thesaurus, and giving records their concepts, is the importers' work
(``importers.services.alignment``). The thesaurus only answers "which
concept is labelled like this heading?".
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.outbox import chunks
from thesaurus.models import Concept, ConceptLabel
from thesaurus.vocab import ConceptStatus, LabelKind


def suggest(session: Session, heading_keys: Iterable[str]) -> dict[str, Concept]:
    """heading key -> a concept in use whose label has that key, or the key of
    the heading's main part (before " -- "). Preferred labels win over entry
    terms, the whole heading over its main part."""
    wanted = {}
    for key in heading_keys:
        wanted.setdefault(key, []).append((0, key))
        main = key.split(" -- ", 1)[0].split("--", 1)[0].strip()
        if main and main != key:
            wanted[key].append((1, main))
    lookups = {k for options in wanted.values() for _, k in options}
    best: dict[str, tuple] = {}
    for part in chunks(lookups):
        for label_key, kind, concept_id in session.execute(
                select(ConceptLabel.key, ConceptLabel.kind, Concept.id)
                .join(Concept, Concept.id == ConceptLabel.concept_id)
                .where(ConceptLabel.key.in_(part), ConceptLabel.kind != LabelKind.HIDDEN.value,
                       Concept.status != ConceptStatus.DEPRECATED)):
            rank = (kind != LabelKind.PREF.value, concept_id)
            if label_key not in best or rank < best[label_key]:
                best[label_key] = rank
    chosen = {}
    for key, options in wanted.items():
        for depth, lookup in options:
            if lookup in best:
                chosen[key] = best[lookup][1]
                break
    concepts = {c.id: c for c in session.scalars(select(Concept).where(Concept.id.in_(set(chosen.values()))))}
    return {key: concepts[concept_id] for key, concept_id in chosen.items()}
