"""The demo thesaurus's concepts an existing install does not have yet.

The demo thesaurus is imported whole only once, so that a second
``catalogue demo`` never undoes what documentalists changed since. Concepts
added to thesaurus.ttl later (new works and portals name them) are created
here instead, one by one through ConceptService, as a documentalist would:
each under its broader concepts that are still there, each checked and
audited. Nothing stored is changed: links the file would add to existing
concepts, and collection memberships, are left to the documentalists. A
concept the rules refuse (a documentalist made one with the same label) is
left out, and works simply go without it.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationFailed
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.models import Concept
from thesaurus.services.concepts import ConceptService
from thesaurus.skos.graph import ConceptData, SkosGraph
from thesaurus.skos.read import normalise


def add_missing_concepts(session: Session, graph: SkosGraph, *, scheme_id: int, prefix: str, actor=None) -> int:
    """Create the concepts of ``graph`` (URIs starting with ``prefix``) not
    stored, broader ones first. Returns the number created."""
    normalise(graph)
    stored = dict(session.execute(select(Concept.uri, Concept.id).where(Concept.uri.startswith(prefix))).all())
    pending = {uri for uri in graph.concepts if uri.startswith(prefix) and uri not in stored}
    service, created = ConceptService(session, actor), 0
    while pending:
        ready = sorted(uri for uri in pending if not graph.concepts[uri].broader & pending)
        if not ready:  # a cycle in the file: the checks would refuse it anyway
            break
        for uri in ready:
            pending.discard(uri)
            try:
                stored[uri] = service.create(_data(graph.concepts[uri], stored, scheme_id)).id
            except (ThesaurusRuleViolation, ValidationFailed):
                continue
            created += 1
    return created


def _data(concept: ConceptData, stored: dict[str, int], scheme_id: int) -> dict:
    def labels(kind: str) -> list[dict]:
        return [{"language": label.language, "text": label.text} for label in concept.labels if label.kind == kind]
    return {
        "uri": concept.uri, "scheme_id": scheme_id, "notation": concept.notation,
        "pref_labels": {label.language: label.text for label in concept.labels if label.kind == "pref"},
        "alt_labels": labels("alt"), "hidden_labels": labels("hidden"),
        "notes": [{"kind": note.kind, "language": note.language, "text": note.text} for note in concept.notes],
        # a broader concept deleted since is left out: the concept then stands at the top
        "broader": sorted(stored[uri] for uri in concept.broader if uri in stored),
        "related": sorted(stored[uri] for uri in concept.related if uri in stored),
    }
