"""Write a ``SkosGraph`` as Turtle, RDF/XML or N-Triples, deterministically.

The model's triples are made first: the hierarchy in both directions
(broader and narrower, related both ways, topConceptOf and hasTopConcept),
as most SKOS tools expect, whatever the graph stated. Then each resource's
``unmodelled`` part is applied, so that an imported thesaurus goes out as it
came in: the triples its file did not state are left out and the ones the
model does not hold are put back (see ``thesaurus.skos.unmodelled``).

Every format is made from the same sorted N-Triples lines, so two exports of
the same thesaurus are the same bytes (diffable, and
``write(read(write(g))) == write(g)``).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import pyoxigraph as ox

from thesaurus.skos.graph import SkosGraph
from thesaurus.skos.terms import DC, DCT, ISO_THES, OWL, RDF, RDFS, SKOS, SKOSXL, STATUS_CANDIDATE, XSD

_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML, "ntriples": ox.RdfFormat.N_TRIPLES}
_PREFIXES = {"skos": SKOS, "dct": DCT, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "iso-thes": ISO_THES,
             "dc": DC, "skosxl": SKOSXL}
_NOTE_PREDICATES = {"scope": "scopeNote", "definition": "definition", "editorial": "editorialNote",
                    "history": "historyNote", "change": "changeNote", "example": "example", "note": "note"}
_LABEL_PREDICATES = {"pref": "prefLabel", "alt": "altLabel", "hidden": "hiddenLabel"}

_node_cache: dict[str, ox.NamedNode] = {}


def _iri(value: str):
    if value.startswith("_:"):
        return ox.BlankNode(value[2:])
    node = _node_cache.get(value)
    if node is None:
        node = _node_cache[value] = ox.NamedNode(value)
    return node


def _text(value: str, language: str = "") -> ox.Literal:
    return ox.Literal(value, language=language.lower()) if language else ox.Literal(value)


_TYPE, _TRUE = ox.NamedNode(RDF + "type"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
_DATETIME = ox.NamedNode(XSD + "dateTime")
_TYPE_TOKEN = f" <{RDF}type> ".encode()


def write(graph: SkosGraph, format: str = "turtle") -> bytes:  # noqa: A002 - the design's name
    """Serialise ``graph`` as "turtle", "rdfxml" or "ntriples" (UTF-8 bytes).

    Raises ``ValueError`` for an unknown format or a URI of the model that is
    not an IRI (the checks report those as ``invalid_uri`` before anything is
    stored). Kept triples are written as they were read, leniently.
    """
    if format not in _FORMATS:
        raise ValueError(f"unknown SKOS format {format!r}")
    data = b"".join(line + b"\n" for line in sorted(export_lines(graph), key=_type_first))
    if format == "ntriples":
        return data
    if format == "rdfxml":
        _check_rdfxml_predicates(data)
    prefixes = dict(_PREFIXES)
    namespace = _main_namespace(graph)
    if namespace:
        prefixes["voc"] = namespace
    return ox.serialize(ox.parse(data, ox.RdfFormat.N_TRIPLES, lenient=True), format=_FORMATS[format],
                        prefixes=prefixes)


# RDF/XML writes a predicate as an element: its IRI must end in an XML name.
_XML_NAME_END = re.compile(r"[^\W\d][\w.\-]*$")
_PREDICATE = re.compile(rb"^\S+ <([^>]*)> ", re.M)


def _check_rdfxml_predicates(data: bytes) -> None:
    """pyoxigraph writes invalid XML, without a word, for a predicate whose IRI
    ends in "/" or a digit; kept triples may have one. Refuse instead."""
    for iri in {m.decode("utf-8") for m in _PREDICATE.findall(data)}:
        if not _XML_NAME_END.search(iri):
            raise ValueError(f"RDF/XML cannot write the property <{iri}>: export as Turtle instead.")


def _type_first(line: bytes) -> bytes:
    """Sort key: by subject, its rdf:type first (Turtle's "a"), then by predicate and object."""
    return line.replace(_TYPE_TOKEN, b" <\x00> ", 1)


def export_lines(graph: SkosGraph) -> set[bytes]:
    """Every triple the export holds, as N-Triples lines (UTF-8): the model's,
    less each resource's unstated triples, plus its kept ones and the
    free-standing resources."""
    lines = set(model_lines(graph))
    kept: set[str] = set()
    for owner in (*graph.schemes.values(), *graph.concepts.values(), *graph.collections.values()):
        if owner.unmodelled:
            lines.difference_update(line.encode("utf-8") for line in owner.unmodelled.unstated)
            kept |= owner.unmodelled.kept
    for resource in graph.resources.values():
        kept |= resource
    return lines | {line.encode("utf-8") for line in kept}


def model_lines(graph: SkosGraph, subjects: set[str] | None = None, *, dates: bool = True) -> list[bytes]:
    """The model's own triples as canonical N-Triples lines (UTF-8, no
    unmodelled part): of every resource, or of ``subjects`` only; without the
    concepts' dct:created and dct:modified when ``dates`` is false."""
    return ox.serialize(_triples(graph, subjects, dates), format=ox.RdfFormat.N_TRIPLES).splitlines()


def _main_namespace(graph: SkosGraph) -> str | None:
    """The namespace most concept URIs share, to get short readable names."""
    counts = Counter()
    for uri in graph.concepts:
        cut = max(uri.rfind("/"), uri.rfind("#"))
        if cut > 0 and not uri.startswith("_:"):
            counts[uri[:cut + 1]] += 1
    if not counts:
        return None
    namespace, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return namespace if count > 1 or len(counts) == 1 else None


def _hierarchy(graph: SkosGraph):
    """(broader, narrower, related) maps of the graph read as normalise() would."""
    broader, narrower, related = defaultdict(set), defaultdict(set), defaultdict(set)
    for concept in graph.concepts.values():
        for parent in concept.broader:
            broader[concept.uri].add(parent)
            narrower[parent].add(concept.uri)
        for child in concept.narrower:
            narrower[concept.uri].add(child)
            broader[child].add(concept.uri)
        for other in concept.related:
            related[concept.uri].add(other)
            related[other].add(concept.uri)
    return broader, narrower, related


def _triples(graph: SkosGraph, subjects: set[str] | None = None, dates: bool = True):
    skos = {name: ox.NamedNode(SKOS + name) for name in (
        "Concept", "ConceptScheme", "Collection", "inScheme", "hasTopConcept", "topConceptOf", "notation",
        "broader", "narrower", "related", "member", "prefLabel", "altLabel", "hiddenLabel",
        *_NOTE_PREDICATES.values(), "exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
    dct_title, dct_created, dct_modified = (ox.NamedNode(DCT + n) for n in ("title", "created", "modified"))
    replaced, deprecated, status = ox.NamedNode(DCT + "isReplacedBy"), ox.NamedNode(OWL + "deprecated"), \
        ox.NamedNode(ISO_THES + "status")
    broader, narrower, related = _hierarchy(graph)
    tops = defaultdict(set)
    for concept in graph.concepts.values():
        for scheme in concept.top_of:
            tops[scheme].add(concept.uri)
    for scheme in graph.schemes.values():
        tops[scheme.uri] |= scheme.top_concepts
    top_of = defaultdict(set)
    for scheme, concepts in tops.items():
        for concept in concepts:
            top_of[concept].add(scheme)

    def wanted(uris):
        return sorted(uris) if subjects is None else sorted(set(uris) & subjects)

    for uri in wanted(graph.schemes):
        scheme, s = graph.schemes[uri], _iri(uri)
        yield ox.Triple(s, _TYPE, skos["ConceptScheme"])
        for language, title in sorted(scheme.titles.items()):
            yield ox.Triple(s, dct_title, _text(title, language))
        for top in sorted(tops[uri]):
            yield ox.Triple(s, skos["hasTopConcept"], _iri(top))
        for language, title in sorted(scheme.titles.items()):
            yield ox.Triple(s, skos["prefLabel"], _text(title, language))

    for uri in wanted(graph.concepts):
        concept, s = graph.concepts[uri], _iri(uri)
        yield ox.Triple(s, _TYPE, skos["Concept"])
        if dates and concept.created:
            yield ox.Triple(s, dct_created, ox.Literal(concept.created.isoformat(), datatype=_DATETIME))
        if concept.replaced_by:
            yield ox.Triple(s, replaced, _iri(concept.replaced_by))
        if dates and concept.modified:
            yield ox.Triple(s, dct_modified, ox.Literal(concept.modified.isoformat(), datatype=_DATETIME))
        if concept.status == "candidate":
            yield ox.Triple(s, status, ox.Literal(STATUS_CANDIDATE))
        if concept.status == "deprecated":
            yield ox.Triple(s, deprecated, _TRUE)
        for label in sorted(label for label in concept.labels if label.kind == "alt"):
            yield ox.Triple(s, skos["altLabel"], _text(label.text, label.language))
        for target in sorted(broader.get(uri, ())):
            yield ox.Triple(s, skos["broader"], _iri(target))
        for note in sorted(concept.notes):
            yield ox.Triple(s, skos[_NOTE_PREDICATES[note.kind]], _text(note.text, note.language))
        for kind, target in sorted(concept.mappings):
            yield ox.Triple(s, skos[kind], _iri(target))
        for label in sorted(label for label in concept.labels if label.kind == "hidden"):
            yield ox.Triple(s, skos["hiddenLabel"], _text(label.text, label.language))
        for scheme in sorted(concept.schemes):
            yield ox.Triple(s, skos["inScheme"], _iri(scheme))
        for target in sorted(narrower.get(uri, ())):
            yield ox.Triple(s, skos["narrower"], _iri(target))
        if concept.notation:
            yield ox.Triple(s, skos["notation"], ox.Literal(concept.notation))
        for label in sorted(label for label in concept.labels if label.kind == "pref"):
            yield ox.Triple(s, skos["prefLabel"], _text(label.text, label.language))
        for target in sorted(related.get(uri, ())):
            yield ox.Triple(s, skos["related"], _iri(target))
        for scheme in sorted(top_of.get(uri, ())):
            yield ox.Triple(s, skos["topConceptOf"], _iri(scheme))

    for uri in wanted(graph.collections):
        collection, s = graph.collections[uri], _iri(uri)
        yield ox.Triple(s, _TYPE, skos["Collection"])
        for scheme in sorted(collection.schemes):
            yield ox.Triple(s, skos["inScheme"], _iri(scheme))
        for member in sorted(collection.members):
            yield ox.Triple(s, skos["member"], _iri(member))
        if collection.notation:
            yield ox.Triple(s, skos["notation"], ox.Literal(collection.notation))
        for language, label in sorted(collection.labels.items()):
            yield ox.Triple(s, skos["prefLabel"], _text(label, language))
