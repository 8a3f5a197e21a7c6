"""Read-only queries behind the thesaurus pages and the concept API.

Nothing here writes. Every function takes a session and returns plain
dataclasses or model rows, so the public pages, the staff pages and the API
show one and the same thesaurus. Labels are sorted by their folded key
(``core.text.fold``), so "Écrire" files under E, as readers expect.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from core.audit import AuditEvent
from core.db import paginate
from core.errors import NotFound
from core.i18n import N_
from core.text import fold
from thesaurus.models import (
    CollectionMember,
    Concept,
    ConceptCollection,
    ConceptLabel,
    ConceptNote,
    ConceptRelation,
    ConceptScheme,
)
from thesaurus.usage import usage
from thesaurus.vocab import ConceptStatus, LabelKind, RelationKind

BROADER = RelationKind.BROADER.value
RELATED = RelationKind.RELATED.value


@dataclass(frozen=True)
class ConceptRef:
    """Enough of a concept to link to it, in either interface language."""

    id: int
    uri: str
    label_fr: str
    label_en: str | None
    status: str
    notation: str | None = None

    def label(self, locale: str = "fr") -> str:
        return (self.label_en or self.label_fr) if locale == "en" else self.label_fr

    @property
    def deprecated(self) -> bool:
        return self.status == ConceptStatus.DEPRECATED.value


def ref(concept: Concept) -> ConceptRef:
    return ConceptRef(concept.id, concept.uri, concept.pref_label_fr, concept.pref_label_en,
                      concept.status.value, concept.notation)


def refs(session: Session, ids) -> list[ConceptRef]:
    """The concepts of ``ids``, sorted by French label; unknown ids are left out."""
    ids = list(ids)
    if not ids:
        return []
    concepts = session.scalars(select(Concept).where(Concept.id.in_(ids))).all()
    return sorted((ref(c) for c in concepts), key=lambda r: fold(r.label_fr))


@dataclass
class ConceptPage:
    concept: Concept
    labels: dict[str, list[ConceptLabel]]   # kind -> labels, French first
    notes: dict[str, list[ConceptNote]]     # kind -> notes, French first
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    related: list[ConceptRef]
    replaced_by: ConceptRef | None
    replaces: list[ConceptRef]
    collections: list[ConceptCollection] = field(default_factory=list)

    @property
    def ref(self) -> ConceptRef:
        return ref(self.concept)


def _language_order(language: str) -> tuple:
    return (language != "fr" and not language.startswith("fr-"), language != "en", language)


def get_concept(session: Session, concept_id: int) -> Concept:
    concept = session.get(Concept, concept_id)
    if concept is None:
        raise NotFound(N_("There is no concept number %(id)s."), id=concept_id)
    return concept


def concept_page(session: Session, concept_id: int) -> ConceptPage:
    """Everything a concept page shows. Raises NotFound for an unknown id."""
    concept = get_concept(session, concept_id)
    labels: dict[str, list[ConceptLabel]] = defaultdict(list)
    for label in sorted(concept.labels, key=lambda l: (_language_order(l.language), l.key)):
        labels[label.kind].append(label)
    notes: dict[str, list[ConceptNote]] = defaultdict(list)
    for note in sorted(concept.notes, key=lambda n: (_language_order(n.language), n.id)):
        notes[note.kind].append(note)
    rel = ConceptRelation
    broader = session.scalars(select(rel.target_id).where(rel.source_id == concept_id, rel.kind == BROADER))
    narrower = session.scalars(select(rel.source_id).where(rel.target_id == concept_id, rel.kind == BROADER))
    related = session.scalars(select(rel.target_id).where(rel.source_id == concept_id, rel.kind == RELATED))
    replaces = session.scalars(select(Concept.id).where(Concept.replaced_by_id == concept_id))
    collections = session.scalars(
        select(ConceptCollection).join(CollectionMember, CollectionMember.collection_id == ConceptCollection.id)
        .where(CollectionMember.concept_id == concept_id).order_by(ConceptCollection.label_fr)).all()
    return ConceptPage(
        concept=concept, labels=dict(labels), notes=dict(notes),
        broader=refs(session, broader), narrower=refs(session, narrower), related=refs(session, related),
        replaced_by=ref(concept.replaced_by) if concept.replaced_by else None,
        replaces=refs(session, replaces), collections=list(collections))


def descendants_and_self(session: Session, concept_id: int):
    """A recursive select of the concept's id and all its narrower concepts'
    ids (polyhierarchy: each once; a cycle, which the rules refuse, still ends
    because UNION drops repeated rows)."""
    rel = ConceptRelation
    tree = select(func.cast(concept_id, rel.source_id.type).label("id")).cte("tree", recursive=True)
    tree = tree.union(select(rel.source_id).join(tree, rel.target_id == tree.c.id).where(rel.kind == BROADER))
    return select(tree.c.id)


def records_of(session: Session, concept_id: int, *, include_narrower: bool = True,
               page: int = 1, size: int = 20) -> tuple[list, int]:
    """Works indexed with the concept (or any narrower concept), by title
    (the catalogue says which: thesaurus.usage)."""
    get_concept(session, concept_id)
    ids = descendants_and_self(session, concept_id) if include_narrower else select(
        func.cast(concept_id, Concept.id.type))
    return usage().works(session, ids, page=page, size=size)


@dataclass(frozen=True)
class TreeNode:
    concept: ConceptRef
    has_children: bool


def children(session: Session, parent_id: int | None = None, *, scheme_id: int | None = None) -> list[TreeNode]:
    """One level of the hierarchy, deprecated concepts left out.

    The root level is the top concepts; a thesaurus that flags none (many
    hand-made files) gets its concepts without a broader one instead.
    """
    rel = ConceptRelation
    live = Concept.status != ConceptStatus.DEPRECATED
    if parent_id is not None:
        query = select(Concept).join(rel, and_(rel.source_id == Concept.id, rel.kind == BROADER)).where(
            rel.target_id == parent_id, live)
    else:
        query = select(Concept).where(live, Concept.top_concept.is_(True))
        if scheme_id is not None:
            query = query.where(Concept.scheme_id == scheme_id)
        if session.scalar(select(func.count()).select_from(query.subquery())) == 0:
            has_broader = exists().where(rel.source_id == Concept.id, rel.kind == BROADER)
            query = select(Concept).where(live, ~has_broader)
            if scheme_id is not None:
                query = query.where(Concept.scheme_id == scheme_id)
    concepts = session.scalars(query).all()
    ids = [c.id for c in concepts]
    with_children = set(session.scalars(
        select(rel.target_id).join(Concept, Concept.id == rel.source_id)
        .where(rel.kind == BROADER, rel.target_id.in_(ids), live).distinct())) if ids else set()
    nodes = [TreeNode(ref(c), c.id in with_children) for c in concepts]
    return sorted(nodes, key=lambda n: fold(n.concept.label_fr))


@dataclass(frozen=True)
class CollectionRow:
    collection: ConceptCollection
    members: int


def schemes(session: Session) -> list[ConceptScheme]:
    """The schemes held, oldest first: the first one is browsed by default."""
    return list(session.scalars(select(ConceptScheme).order_by(ConceptScheme.id)))


def collections(session: Session, *, scheme_id: int | None = None) -> list[CollectionRow]:
    """Collections (micro-thesauri) with their number of concepts, by label."""
    counts = dict(session.execute(select(CollectionMember.collection_id, func.count())
                                  .group_by(CollectionMember.collection_id)).all())
    query = select(ConceptCollection)
    if scheme_id is not None:
        query = query.where(ConceptCollection.scheme_id == scheme_id)
    rows = session.scalars(query).all()
    return sorted((CollectionRow(c, counts.get(c.id, 0)) for c in rows), key=lambda r: fold(r.collection.label_fr))


def collection_members(session: Session, collection_id: int) -> tuple[ConceptCollection, list[ConceptRef]]:
    collection = session.get(ConceptCollection, collection_id)
    if collection is None:
        raise NotFound(N_("There is no collection number %(id)s."), id=collection_id)
    ids = session.scalars(select(CollectionMember.concept_id).where(CollectionMember.collection_id == collection_id))
    return collection, refs(session, ids)


def concept_list(session: Session, *, text: str | None = None, status: str | None = None,
                 page: int = 1, size: int = 50) -> tuple[list[Concept], int]:
    """Staff list: concepts whose any label starts with ``text`` (folded), by label."""
    query = select(Concept)
    if text:
        key = fold(text)
        matching = select(ConceptLabel.concept_id).where(ConceptLabel.key >= key, ConceptLabel.key < key + "\uffff")
        query = query.where(or_(Concept.id.in_(matching), Concept.uri == text.strip()))
    if status in ConceptStatus.values():
        query = query.where(Concept.status == ConceptStatus(status))
    return paginate(session, query.order_by(Concept.pref_label_fr, Concept.id), page=page, size=size)


def concept_for_term(session: Session, text: str) -> Concept | None:
    """The one live concept having ``text`` (folded) as preferred term or entry
    term, or None when none or several do. Lets forms work without the
    autocomplete: a typed term is as good as a picked one when unambiguous."""
    key = fold(text or "")
    if not key:
        return None
    ids = set(session.scalars(
        select(ConceptLabel.concept_id).join(Concept, Concept.id == ConceptLabel.concept_id)
        .where(ConceptLabel.key == key, ConceptLabel.kind != LabelKind.HIDDEN.value,
               Concept.status != ConceptStatus.DEPRECATED)))
    return session.get(Concept, ids.pop()) if len(ids) == 1 else None


def history(session: Session, concept_id: int, *, page: int = 1, size: int = 50) -> tuple[list[AuditEvent], int]:
    """Who changed the concept and when, most recent first."""
    query = (select(AuditEvent).where(AuditEvent.entity_type == "concept", AuditEvent.entity_id == concept_id)
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return paginate(session, query, page=page, size=size)


__all__ = ["ConceptPage", "ConceptRef", "TreeNode", "children",
           "collection_members", "collections", "concept_for_term", "concept_list", "concept_page",
           "history", "records_of", "ref", "refs"]
