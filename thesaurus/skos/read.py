"""Read a SKOS file (Turtle, RDF/XML, N-Triples) into a ``SkosGraph``.

pyoxigraph parses (about 0.25 s for UNESCO's 88k triples; rdflib takes 5 s);
this module only sorts the triples into concepts, schemes and collections.
Label texts are kept exactly as given: the checks report stray whitespace,
and the import layer calls ``clean_label`` when it stores them.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pyoxigraph as ox
from lxml import etree

from core.errors import CatalogueError
from core.i18n import N_
from thesaurus.skos.build import GraphBuilder
from thesaurus.skos.graph import SkosGraph
from thesaurus.skos.ntriples import report_language_tags, skos_terms_in, triples


class SkosReadError(CatalogueError):
    """The file is not RDF we can read, or is unsafe to read."""

    code = "skos_unreadable"


FORMATS = {"turtle": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML, "ntriples": ox.RdfFormat.N_TRIPLES}
_EXTENSIONS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".rdf": "rdfxml", ".xml": "rdfxml",
               ".skos": "rdfxml", ".owl": "rdfxml", ".rdfxml": "rdfxml"}

_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def clean_label(text: str) -> str:
    """The text to store for a label: surrounding blanks stripped, inner runs of
    whitespace and control characters (tabs, newlines, NUL...) collapsed to one
    space. What the untidy_label and unprintable_characters warnings promise."""
    return _SPACES.sub(" ", text).strip()


def read(source, *, format: str | None = None) -> SkosGraph:  # noqa: A002 - the design's name
    """Parse ``source`` (a path, or the file's bytes) into a ``SkosGraph``.

    ``format`` is "turtle", "rdfxml" or "ntriples"; guessed from the file
    extension, else from the content. Raises ``SkosReadError`` on a syntax
    error (with its line) or on an XML DOCTYPE declaring entities.
    """
    data, name = _load(source)
    format = format or _guess(name, data)
    if format not in FORMATS:
        raise SkosReadError(N_("%(format)s is not a SKOS format we read (turtle, rdfxml, ntriples)."),
                            format=format)
    if format == "rdfxml":
        _refuse_entities(data)
    try:
        # lenient: an invalid IRI (relative, with a space...) must not stop the
        # whole file; the invalid_uri check names each one instead.
        # Through canonical N-Triples text: see ntriples.py for why.
        canonical = ox.serialize(ox.parse(data, FORMATS[format], lenient=True), format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        raise _syntax_error(format, error.lineno, error.msg) from None
    text = canonical.decode("utf-8")
    graph = GraphBuilder(triples(text), skos_terms_in(text)).build()
    report_language_tags(graph, text)
    graph.source = canonical
    return graph


def _syntax_error(format: str, line: int | None, detail: str) -> SkosReadError:  # noqa: A002
    if line:
        return SkosReadError(N_("The file is not valid %(format)s (line %(line)s): %(detail)s"),
                             format=format, line=line, detail=detail)
    # pyoxigraph's RDF/XML errors carry no position.
    return SkosReadError(N_("The file is not valid %(format)s: %(detail)s"), format=format, detail=detail)


def _load(source) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), ""
    path = Path(os.fspath(source))
    try:
        return path.read_bytes(), path.name
    except OSError as error:
        raise SkosReadError(N_("%(path)s cannot be read: %(detail)s"), path=str(path),
                            detail=error.strerror or str(error)) from None


def _guess(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    # An XML start tag (<rdf:RDF ...>), not a Turtle IRI (<http://...>).
    xml_tag = re.match(rb"<(\?xml|!--|[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?[\s/>])", head)
    return "rdfxml" if xml_tag else "turtle"


def _refuse_entities(data: bytes) -> None:
    """Entity declarations are how "billion laughs" and external-file attacks
    get in; a SKOS export never needs them, so any is refused before parsing."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as error:
        raise _syntax_error("rdfxml", error.lineno, error.msg) from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise SkosReadError(N_("The file declares XML entities, which are refused for safety. "
                               "Export it again without a DOCTYPE."))


def normalise(graph: SkosGraph) -> SkosGraph:
    """Fold each stated narrower link into the other side's broader set, empty
    the narrower sets, make related symmetric and drop a concept's related link
    to itself, in place (returns ``graph``). Run ``check`` first: it reports
    what this repairs (omitted_inverse, self_related).

    Ends that are not concepts of the graph are kept as stated: they may be
    concepts already stored (an import overlays the stored thesaurus).
    """
    concepts = graph.concepts
    for concept in list(concepts.values()):
        for child in concept.narrower:
            target = concepts.get(child)
            if target is not None:
                target.broader.add(concept.uri)
        # A narrower end outside the graph stays stated, so it is not lost.
        concept.narrower = {child for child in concept.narrower if child not in concepts}
    for concept in list(concepts.values()):
        concept.related.discard(concept.uri)   # reported as self_related; it means nothing
        for other in concept.related:
            target = concepts.get(other)
            if target is not None:
                target.related.add(concept.uri)
    return graph
