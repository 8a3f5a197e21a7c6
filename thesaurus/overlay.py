"""The thesaurus as it would be after an import, and what the import changes.

Pure functions over ``SkosGraph``s, no database: the import service loads the
stored graph, overlays the file on it, validates the result and only then
writes. Rules of the overlay:

- a concept the file declares (``skos:Concept``) replaces the stored one of
  the same URI whole: labels, notes, broader, related, mappings, status;
- a concept the file only names as the end of a relation keeps what is
  stored and gains the file's links (a file of new narrower concepts hooks
  them under stored ones without restating those);
- related links stay symmetric: for a pair involving a declared concept,
  the file decides, on both sides;
- collections of the file replace stored ones whole; members of the file's
  collections that are collections become their sub-collections;
- stored concepts absent from the file are kept ("dropped" in the report).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from thesaurus.skos.graph import ConceptData, Label, SchemeData, SkosGraph
from thesaurus.skos.read import clean_label

DEPRECATED = "deprecated"


@dataclass
class Changes:
    """URIs by what the import does to them. ``changed`` may include stored
    concepts outside the file whose related links or collections the file
    changes; ``unchanged`` counts concepts of the file only."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    # Concepts whose records' search documents change: labels or status
    # (``relabelled``), or place in the hierarchy (``moved``).
    relabelled: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[str]:
        return self.added + self.changed + self.deprecated


def overlay(stored: SkosGraph, incoming: SkosGraph, scheme_uri: str | None = None
            ) -> tuple[SkosGraph, set[str]]:
    """(the thesaurus after the import, the URIs of the file's concepts).

    ``incoming`` must be normalised. With ``scheme_uri``, only the file's
    concepts of that scheme (or of none) are imported, into that scheme.
    """
    after = SkosGraph(concepts={uri: _copy(c) for uri, c in stored.concepts.items()},
                      schemes={uri: replace(s, titles=dict(s.titles), top_concepts=set(s.top_concepts))
                               for uri, s in stored.schemes.items()},
                      collections={uri: replace(c, labels=dict(c.labels), members=set(c.members),
                                                schemes=set(c.schemes)) for uri, c in stored.collections.items()})
    for uri, scheme in incoming.schemes.items():
        if scheme_uri is None or uri == scheme_uri:
            kept = after.schemes.get(uri)
            after.schemes[uri] = SchemeData(uri, dict(scheme.titles) or (kept.titles if kept else {}))
    if scheme_uri is not None and scheme_uri not in after.schemes:
        after.schemes[scheme_uri] = SchemeData(scheme_uri)
    default = scheme_uri or _only(incoming.schemes) or _only(stored.schemes)

    file_uris = {uri for uri, c in incoming.concepts.items()
                 if scheme_uri is None or not (c.schemes | c.top_of) or scheme_uri in c.schemes | c.top_of}
    declared = set()
    for uri in sorted(file_uris):
        concept = incoming.concepts[uri]
        kept = after.concepts.get(uri)
        if kept is not None and not concept.typed:
            kept.broader |= concept.broader
            kept.related |= concept.related
            continue
        declared.add(uri)
        scheme = scheme_uri or min(concept.schemes or concept.top_of or {default}, key=str) or None
        on_top = bool(concept.top_of) or any(uri in s.top_concepts for s in incoming.schemes.values())
        after.concepts[uri] = ConceptData(
            uri, notation=concept.notation, labels=_clean(concept.labels), notes=list(concept.notes),
            broader=set(concept.broader), related=set(concept.related), schemes={scheme} if scheme else set(),
            top_of={scheme} if scheme and on_top else set(), status=concept.status,
            replaced_by=concept.replaced_by, mappings=set(concept.mappings),
            created=concept.created or (kept.created if kept else None), modified=concept.modified)
    _symmetric_related(after, declared)

    for uri, collection in incoming.collections.items():
        if scheme_uri is None or not collection.schemes or scheme_uri in collection.schemes:
            after.collections[uri] = replace(
                collection, labels=dict(collection.labels), members=set(collection.members),
                schemes={scheme_uri or min(collection.schemes or {default}, key=str)} - {None})
    _drop_dangling(after)
    for scheme in after.schemes.values():
        scheme.top_concepts = set()
    for concept in after.concepts.values():
        for scheme in concept.top_of:
            after.schemes.setdefault(scheme, SchemeData(scheme)).top_concepts.add(concept.uri)
        for scheme in concept.schemes:
            after.schemes.setdefault(scheme, SchemeData(scheme))
    return after, file_uris


def compare(stored: SkosGraph, after: SkosGraph, file_uris: set[str], scheme_uri: str | None = None) -> Changes:
    """What the import does, concept by concept (dates are not compared)."""
    changes = Changes()
    before_in, after_in = memberships(stored), memberships(after)
    if not stored.concepts:  # a first import: everything is new
        changes.added = sorted(after.concepts)
        return changes
    for uri in sorted(after.concepts):
        new = after.concepts[uri]
        old = stored.concepts.get(uri)
        if old is None:
            changes.added.append(uri)
            continue
        if content(old, before_in.get(uri)) == content(new, after_in.get(uri)):
            if uri in file_uris:
                changes.unchanged.append(uri)
            continue
        newly_deprecated = new.status == DEPRECATED and old.status != DEPRECATED
        (changes.deprecated if newly_deprecated else changes.changed).append(uri)
        if set(old.labels) != set(new.labels) or old.status != new.status or old.replaced_by != new.replaced_by:
            changes.relabelled.append(uri)
        if old.broader != new.broader:
            changes.moved.append(uri)
    targets = {scheme_uri} if scheme_uri else {next(iter(after.concepts[u].schemes), None) for u in file_uris}
    changes.dropped = sorted(uri for uri, concept in stored.concepts.items()
                             if uri not in file_uris and next(iter(concept.schemes), None) in targets)
    return changes


def content(concept: ConceptData, collections) -> tuple:
    """Everything an import compares: what the thesaurus says, not when."""
    return (concept.notation, frozenset(concept.labels), frozenset(concept.notes), frozenset(concept.broader),
            frozenset(concept.related), concept.status, concept.replaced_by, frozenset(concept.mappings),
            frozenset(collections or ()), frozenset(concept.schemes), frozenset(concept.top_of))


def memberships(graph: SkosGraph) -> dict[str, set[str]]:
    """concept URI -> URIs of the collections it is a direct member of."""
    found: dict[str, set[str]] = {}
    concepts = graph.concepts
    for uri, collection in graph.collections.items():
        for member in collection.members:
            if member in concepts:
                if member in found:
                    found[member].add(uri)
                else:
                    found[member] = {uri}
    return found


def _copy(concept: ConceptData) -> ConceptData:
    return replace(concept, labels=list(concept.labels), notes=list(concept.notes), broader=set(concept.broader),
                   narrower=set(concept.narrower), related=set(concept.related), schemes=set(concept.schemes),
                   top_of=set(concept.top_of), mappings=set(concept.mappings))


def _clean(labels: list[Label]) -> list[Label]:
    """Labels as they are stored: blanks trimmed and collapsed, duplicates once."""
    seen: dict[Label, None] = {}
    for label in labels:
        # Most labels are clean already: a C-speed test spares the regex.
        if " ".join(label.text.split()) != label.text:
            label = Label(label.kind, label.language, clean_label(label.text))
        seen.setdefault(label, None)
    return list(seen)


def _symmetric_related(after: SkosGraph, declared: set[str]) -> None:
    for uri, concept in after.concepts.items():
        if uri not in declared:
            concept.related -= declared
    for uri in declared:
        for other in after.concepts[uri].related:
            if other in after.concepts:
                after.concepts[other].related.add(uri)


def _drop_dangling(after: SkosGraph) -> None:
    """Links to nothing known cannot be stored (the reader names every
    relation end as a concept, so this only trims replacements and members)."""
    concepts, collections = after.concepts, after.collections
    for concept in concepts.values():
        if concept.replaced_by not in concepts:
            concept.replaced_by = None
        concept.broader &= concepts.keys()
        concept.related &= concepts.keys()
    for collection in collections.values():
        collection.members = {m for m in collection.members if m in concepts or m in collections}


def _only(mapping: dict) -> str | None:
    return next(iter(mapping)) if len(mapping) == 1 else None
