"""Checks on links between concepts and beyond: inverse links, mappings to
other vocabularies, and the URIs and notations that identify concepts."""
from __future__ import annotations

import re
from collections import defaultdict

from thesaurus.skos.checks_labels import name
from thesaurus.skos.findings import finding
from thesaurus.skos.graph import SkosGraph

# An absolute IRI: a scheme, then no character RFC 3987 forbids.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]*")
_INVERSE_MAPPING = {"exactMatch": "exactMatch", "closeMatch": "closeMatch", "relatedMatch": "relatedMatch",
                    "broadMatch": "narrowMatch", "narrowMatch": "broadMatch"}


def omitted_inverses(graph: SkosGraph) -> list:
    """Links stated one way only. Only looked for when the graph states both
    directions somewhere: a file that states only broader (or a graph loaded
    from the database) is complete by convention, not faulty."""
    concepts, found = graph.concepts, []
    states_narrower = any(concept.narrower for concept in concepts.values())
    states_broader = any(concept.broader for concept in concepts.values())
    for uri, concept in concepts.items():
        pairs = []
        if states_narrower and states_broader:
            pairs += [("broader", target, "narrower") for target in concept.broader]
            pairs += [("narrower", target, "broader") for target in concept.narrower]
        pairs += [("related", target, "related") for target in concept.related]
        pairs += [(kind, target, _INVERSE_MAPPING[kind]) for kind, target in concept.mappings]
        for relation, target, inverse in sorted(pairs):
            other = concepts.get(target)
            if other is None or target == uri:
                continue
            stated = uri in getattr(other, inverse) if inverse in ("broader", "narrower", "related") \
                else (inverse, uri) in other.mappings
            if not stated:
                found.append(finding("omitted_inverse", [uri, target], concept=name(graph, uri),
                                     relation=relation, other=name(graph, target)))
    return found


def mapping_problems(graph: SkosGraph) -> list:
    """Exact matches that are also broad, narrow or related matches (SKOS
    integrity condition S46, exactMatch being transitive), and mappings between
    concepts of one scheme, which should be broader/narrower/related instead."""
    concepts, found = graph.concepts, []
    group = {}

    def root(uri):
        while group.get(uri, uri) != uri:
            uri = group[uri]
        return uri

    for uri, concept in concepts.items():
        for kind, target in concept.mappings:
            if kind == "exactMatch":
                a, b = root(uri), root(target)
                if a != b:
                    group[max(a, b)] = min(a, b)
    for uri in sorted(concepts):
        for kind, target in sorted(concepts[uri].mappings):
            if kind not in ("exactMatch", "closeMatch") and target != uri and root(uri) == root(target):
                found.append(finding("mapping_clash", [uri, target], concept=name(graph, uri),
                                     other=name(graph, target), relation=kind))
            other = concepts.get(target)
            if other is not None and other.typed and target != uri \
                    and (concepts[uri].schemes & other.schemes):
                relation = {"broadMatch": "broader", "narrowMatch": "narrower"}.get(kind, "related")
                found.append(finding("mapping_misuse", [uri, target], concept=name(graph, uri),
                                     other=name(graph, target), mapping=kind, relation=relation))
    return found


def identifier_problems(graph: SkosGraph) -> list:
    """URIs that are not absolute IRIs (relative, blank, with spaces), and
    notations shared within a scheme."""
    found = []
    for uri in sorted({*graph.concepts, *graph.schemes, *graph.collections}):
        if uri.startswith("_:") or not _IRI.fullmatch(uri):
            found.append(finding("invalid_uri", [uri], uri=f"<{uri}>"))
        elif not uri.lower().startswith(("http://", "https://")):
            found.append(finding("non_http_uri", [uri], uri=f"<{uri}>"))
    notations = defaultdict(set)
    for uri, concept in graph.concepts.items():
        if concept.notation:
            for scheme in concept.schemes or {""}:
                notations[scheme, concept.notation].add(uri)
    for (scheme, notation), uris in sorted(notations.items()):
        if len(uris) > 1:
            found.append(finding("ambiguous_notation", sorted(uris), notation=notation,
                                 concepts=", ".join(name(graph, uri) for uri in sorted(uris))))
    return found
