"""Merging two concepts that say the same thing.

The survivor takes over everything the loser carried: its records, its
labels (as entry terms, so a visitor's word still finds the works), its
narrower and related concepts, its mappings to other vocabularies, the
headings mapped to it and its collections. The loser stays, deprecated with
the survivor as its replacement, so links to its URI keep resolving.
"""
from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from core.audit import diff
from core.errors import ValidationFailed
from core.i18n import N_
from core.outbox import mark_record_ids
from core.text import fold
from thesaurus import indexing
from thesaurus.models import (
    CollectionMember,
    Concept,
    ConceptLabel,
    ConceptMapping,
    ConceptRelation,
    HeadingMapping,
)
from thesaurus.services import rules
from thesaurus.services.concept_input import concept_fields, relations_of
from thesaurus.usage import usage
from thesaurus.vocab import ConceptStatus, LabelKind, RelationKind

RELATIONS = ConceptRelation.__table__


def merge_concepts(service, loser: Concept, survivor: Concept) -> Concept:
    session = service.session
    if loser.id == survivor.id:
        rules.refuse_errors([rules.finding("reflexive_relation", [loser.uri], concept=rules.quoted(
            loser.pref_label_fr), relation="merge")])
    if survivor.status is ConceptStatus.DEPRECATED:
        raise ValidationFailed({"into": [N_("This concept is deprecated: merge into the concept that replaces it.")]})
    children = [c for c in _narrower(session, loser.id) if c != survivor.id]
    related = [r for r in relations_of(session, loser.id, RelationKind.RELATED) if r != survivor.id]
    new_labels = _entry_terms(loser, survivor)
    _check(service, loser, survivor, children, related, new_labels)

    # Records whose documents change: the loser's (their descriptor changes),
    # the survivor's if it gains labels, and those below the loser (their path).
    works = usage()
    marked = works.records(session, {loser.id} | indexing.descendants(session, [loser.id]))
    if new_labels:
        marked |= works.records(session, [survivor.id])

    before = [concept_fields(session, loser), concept_fields(session, survivor)]
    with service._writing(loser, {"into": survivor.id}):
        survivor.labels.extend(ConceptLabel(kind=kind, language=language, text=text, key=fold(text))
                               for kind, language, text in new_labels)
        _move_hierarchy(service, loser, survivor, children, related)
        _move_links(service, loser, survivor)
        works.hand_over(session, loser, survivor, actor_id=service.actor_id, now=service.clock())
        loser.status, loser.replaced_by_id, loser.top_concept = ConceptStatus.DEPRECATED, survivor.id, False
        now = service.clock()
        for concept in (loser, survivor):
            concept.updated_at, concept.updated_by_id = now, service.actor_id
        session.flush()
    for concept, old in zip((loser, survivor), before):
        changes = diff(old, concept_fields(session, concept))
        changes["merge"] = [loser.id, survivor.id]
        service.audit.log("concept.merge", "concept", concept.id, record_id=None, label=concept.pref_label_fr,
                          changes=changes)
    mark_record_ids(session, marked, "concept.merge", now=service.clock())
    return survivor


def _narrower(session, concept_id: int) -> list[int]:
    return sorted(session.scalars(select(RELATIONS.c.source_id).where(
        RELATIONS.c.kind == RelationKind.BROADER.value, RELATIONS.c.target_id == concept_id)))


def _entry_terms(loser: Concept, survivor: Concept) -> list[tuple]:
    """The loser's preferred and entry terms become the survivor's entry terms;
    hidden labels stay hidden. Labels the survivor has already are skipped."""
    have = {(label.language.lower(), label.key) for label in survivor.labels}
    terms = []
    for label in loser.labels:
        kind = LabelKind.HIDDEN.value if label.kind == LabelKind.HIDDEN.value else LabelKind.ALT.value
        if (label.language.lower(), fold(label.text)) not in have:
            have.add((label.language.lower(), fold(label.text)))
            terms.append((kind, label.language, label.text))
    return terms


def _check(service, loser, survivor, children, related, new_labels) -> None:
    session = service.session
    labels = [(label.kind, label.language, label.text) for label in survivor.labels] + new_labels
    findings = rules.label_findings(session, rules.Proposed(
        survivor.id, survivor.uri, survivor.pref_label_fr, survivor.scheme_id, False, tuple(labels)),
        ignore={loser.id})
    for child_id in children:
        child = session.get(Concept, child_id)
        broader = set(relations_of(session, child_id, RelationKind.BROADER)) - {loser.id} | {survivor.id}
        findings += rules.hierarchy_findings(session, child, broader)
    for other_id in related:
        findings += rules.related_findings(session, survivor, session.get(Concept, other_id))
    rules.refuse_errors(findings)


def _move_hierarchy(service, loser, survivor, children, related) -> None:
    session = service.session
    broader, kind_related = RelationKind.BROADER.value, RelationKind.RELATED.value
    has_survivor_broader = set(session.scalars(select(RELATIONS.c.source_id).where(
        RELATIONS.c.kind == broader, RELATIONS.c.target_id == survivor.id)))
    already_related = set(relations_of(session, survivor.id, RelationKind.RELATED))
    # The loser leaves the hierarchy and every related link.
    session.execute(delete(RELATIONS).where(
        (RELATIONS.c.source_id == loser.id) | (RELATIONS.c.target_id == loser.id)))
    rows = [{"source_id": c, "kind": broader, "target_id": survivor.id}
            for c in children if c not in has_survivor_broader]
    for other in related:
        if other not in already_related:
            rows += [{"source_id": survivor.id, "kind": kind_related, "target_id": other},
                     {"source_id": other, "kind": kind_related, "target_id": survivor.id}]
    if rows:
        session.execute(insert(RELATIONS), rows)


def _move_links(service, loser, survivor) -> None:
    """Mappings, headings, collections and replacements (the records: ConceptUsage.hand_over)."""
    session = service.session
    have = {(m.kind, m.uri) for m in survivor.mappings}
    for mapping in list(loser.mappings):
        loser.mappings.remove(mapping)
        if (mapping.kind, mapping.uri) not in have:
            survivor.mappings.append(ConceptMapping(kind=mapping.kind, uri=mapping.uri))
    session.execute(update(HeadingMapping).where(HeadingMapping.concept_id == loser.id)
                    .values(concept_id=survivor.id), execution_options={"synchronize_session": False})
    session.execute(update(Concept.__table__).where(Concept.__table__.c.replaced_by_id == loser.id)
                    .values(replaced_by_id=survivor.id))
    members = CollectionMember.__table__
    theirs = set(session.scalars(select(members.c.collection_id).where(members.c.concept_id == survivor.id)))
    collections = set(session.scalars(select(members.c.collection_id).where(members.c.concept_id == loser.id)))
    session.execute(delete(members).where(members.c.concept_id == loser.id))
    if collections - theirs:
        session.execute(insert(members), [{"collection_id": c, "concept_id": survivor.id}
                                          for c in sorted(collections - theirs)])
