"""Namespaces, and the terms SKOS actually defines (to report invented or
retired ones: skos:symbol, skos:subject... from the 2004 drafts)."""
from __future__ import annotations

SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
ISO_THES = "http://purl.org/iso25964/skos-thes#"
DCT = "http://purl.org/dc/terms/"
DC = "http://purl.org/dc/elements/1.1/"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# A candidate concept is written as iso-thes:status "candidate": ISO 25964's
# SKOS extension has a status property for exactly this, where SKOS has none.
# Approved is the default and is not written; deprecated is owl:deprecated true.
STATUS_CANDIDATE = "candidate"

# The SKOS reference (W3C Recommendation, 2009), appendix B.
SKOS_TERMS = frozenset(SKOS + name for name in (
    "Concept", "ConceptScheme", "Collection", "OrderedCollection",
    "inScheme", "hasTopConcept", "topConceptOf",
    "prefLabel", "altLabel", "hiddenLabel", "notation",
    "note", "changeNote", "definition", "editorialNote", "example", "historyNote", "scopeNote",
    "semanticRelation", "broader", "narrower", "related", "broaderTransitive", "narrowerTransitive",
    "member", "memberList",
    "mappingRelation", "closeMatch", "exactMatch", "broadMatch", "narrowMatch", "relatedMatch",
))
