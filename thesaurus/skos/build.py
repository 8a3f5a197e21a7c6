"""Sort a file's triples into concepts, schemes and collections."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from thesaurus.skos.findings import finding
from thesaurus.skos.graph import CollectionData, ConceptData, Label, Note, SchemeData, SkosGraph
from thesaurus.skos.terms import DC, DCT, ISO_THES, OWL, RDF, RDFS, SKOS, SKOS_TERMS, SKOSXL, STATUS_CANDIDATE

# Predicate -> what it means here. Sub-properties declared in the file
# (rdfs:subPropertyOf) are read as their SKOS super-property.
_LABELS = {SKOS + "prefLabel": "pref", SKOS + "altLabel": "alt", SKOS + "hiddenLabel": "hidden"}
_XL_LABELS = {SKOSXL + "prefLabel": "pref", SKOSXL + "altLabel": "alt", SKOSXL + "hiddenLabel": "hidden"}
_NOTES = {SKOS + "scopeNote": "scope", SKOS + "definition": "definition", SKOS + "editorialNote": "editorial",
          SKOS + "historyNote": "history", SKOS + "changeNote": "change", SKOS + "example": "example",
          SKOS + "note": "note"}
_MAPPINGS = {SKOS + name: name for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
_HIERARCHY = {SKOS + "broader": "broader", SKOS + "narrower": "narrower", SKOS + "related": "related",
              SKOS + "broaderTransitive": "broaderTransitive", SKOS + "narrowerTransitive": "narrowerTransitive",
              SKOS + "semanticRelation": "semanticRelation"}
_KNOWN = {**{p: ("label", k) for p, k in _LABELS.items()}, **{p: ("xl", k) for p, k in _XL_LABELS.items()},
          **{p: ("note", k) for p, k in _NOTES.items()}, **{p: ("map", k) for p, k in _MAPPINGS.items()},
          **{p: ("rel", k) for p, k in _HIERARCHY.items()}}
_CONCEPT_CLASSES = {SKOS + "Concept"}
_COLLECTION_CLASSES = {SKOS + "Collection", SKOS + "OrderedCollection", ISO_THES + "ConceptGroup"}
_SCHEME_CLASSES = {SKOS + "ConceptScheme"}


def _datetime(literal) -> dt.datetime | None:
    if not isinstance(literal, tuple):
        return None
    try:
        return dt.datetime.fromisoformat(literal[0])
    except ValueError:
        return None


class GraphBuilder:
    """Concepts: typed skos:Concept (or a sub-class the file declares), plus
    resources only met as an end of a SKOS semantic relation, as the subject of
    a mapping, or as a top concept (typed=False)."""

    def __init__(self, triples, skos_terms: set[str]):
        self.skos_terms = skos_terms
        # Bucket by predicate first: every later step reads one or two buckets.
        self.by_predicate: dict[str, list] = defaultdict(list)
        for subject, predicate, obj in triples:
            self.by_predicate[predicate].append((subject, obj))
        self.graph = SkosGraph()
        self.undefined: dict[str, set[str]] = defaultdict(set)   # SKOS-namespace IRI -> subjects using it

    def pairs(self, predicate: str):
        return self.by_predicate.get(predicate, ())

    def build(self) -> SkosGraph:
        meaning = self._predicate_meanings()
        types = defaultdict(set)
        for s, o in self.pairs(RDF + "type"):
            types[o].add(s)
        concept_uris = self._instances(types, _CONCEPT_CLASSES)
        collection_uris = self._instances(types, _COLLECTION_CLASSES) - concept_uris
        scheme_uris = self._instances(types, _SCHEME_CLASSES)
        self._find_undefined_terms(types)

        graph = self.graph
        for uri in sorted(concept_uris):
            graph.concepts[uri] = ConceptData(uri)
        xl_forms = self._xl_forms()
        transitive = []
        labels = defaultdict(list)   # subject -> [Label] (collections and schemes use them too)
        for predicate, pairs in self.by_predicate.items():
            kind, sub = meaning.get(predicate, (None, None))
            if kind == "label":
                for s, o in pairs:
                    if isinstance(o, tuple):
                        labels[s].append(Label(sub, o[1], o[0]))
            elif kind == "xl":
                for s, o in pairs:
                    for language, text in xl_forms.get(o, ()):
                        labels[s].append(Label(sub, language, text))
            elif kind == "rel":
                for source, target in pairs:
                    if isinstance(target, tuple):
                        continue
                    # Both ends are concepts, even when only met here.
                    a = self._concept(source)
                    self._concept(target)
                    if sub == "broader":
                        a.broader.add(target)
                    elif sub == "narrower":
                        a.narrower.add(target)
                    elif sub == "related":
                        a.related.add(target)
                    elif sub in ("broaderTransitive", "narrowerTransitive"):
                        transitive.append((source, target) if sub == "broaderTransitive" else (target, source))
            elif kind == "map":
                for s, o in pairs:
                    if not isinstance(o, tuple):
                        self._concept(s).mappings.add((sub, o))
        self._notes(meaning)
        self._schemes(scheme_uris)
        self._collections(collection_uris, labels)
        for uri, concept in graph.concepts.items():
            concept.labels = list(dict.fromkeys(labels.get(uri, ())))  # the writer sorts
        self._concept_fields()
        self._report_transitive(transitive)
        for term, subjects in sorted(self.undefined.items()):
            graph.reader_findings.append(finding("undefined_skos_term", sorted(subjects)[:20], term=term))
        return graph

    def _concept(self, uri: str) -> ConceptData:
        concept = self.graph.concepts.get(uri)
        if concept is None:
            concept = self.graph.concepts[uri] = ConceptData(uri, typed=False)
        return concept

    def _predicate_meanings(self) -> dict:
        """Known predicates plus the file's own sub-properties of them (followed
        through chains: myBroader < broader, mySpecialBroader < myBroader)."""
        meaning = dict(_KNOWN)
        parents = defaultdict(set)
        for s, o in self.pairs(RDFS + "subPropertyOf"):
            parents[s].add(o if not isinstance(o, tuple) else "")
        for prop in parents:
            seen, todo = set(), [prop]
            while todo:
                current = todo.pop()
                if current in _KNOWN:
                    meaning.setdefault(prop, _KNOWN[current])
                    break
                if current not in seen:
                    seen.add(current)
                    todo.extend(parents.get(current, ()))
        return meaning

    def _instances(self, types, classes: set[str]) -> set[str]:
        """Instances of ``classes`` or of any sub-class the file declares."""
        children = defaultdict(set)
        for s, o in self.pairs(RDFS + "subClassOf"):
            if not isinstance(o, tuple):
                children[o].add(s)
        all_classes, todo = set(), list(classes)
        while todo:
            cls = todo.pop()
            if cls not in all_classes:
                all_classes.add(cls)
                todo.extend(children.get(cls, ()))
        return set().union(*(types.get(cls, set()) for cls in all_classes))

    def _find_undefined_terms(self, types) -> None:
        undefined = self.skos_terms - SKOS_TERMS - {SKOS}
        if not undefined:
            return
        for predicate, pairs in self.by_predicate.items():
            for s, o in pairs:
                for node in (s, predicate, o):
                    if node in undefined:
                        self.undefined[node].add(s)

    def _xl_forms(self) -> dict[str, list[tuple[str, str]]]:
        forms = defaultdict(list)
        for s, o in self.pairs(SKOSXL + "literalForm"):
            if isinstance(o, tuple):
                forms[s].append((o[1], o[0]))
        return forms

    def _notes(self, meaning) -> None:
        for predicate, (kind, sub) in meaning.items():
            if kind != "note":
                continue
            for s, o in self.pairs(predicate):
                concept = self.graph.concepts.get(s)
                if concept is not None and isinstance(o, tuple):
                    concept.notes.append(Note(sub, o[1], o[0]))

    def _schemes(self, typed: set[str]) -> None:
        graph = self.graph
        uris = set(typed)
        for s, o in self.pairs(SKOS + "inScheme"):
            concept = graph.concepts.get(s)
            if concept is not None:
                concept.schemes.add(o)
                uris.add(o)
        for s, o in self.pairs(SKOS + "topConceptOf"):
            self._concept(s).top_of.add(o)
            uris.add(o)
        for s, o in self.pairs(SKOS + "hasTopConcept"):
            self._concept(o).top_of.add(s)
            uris.add(s)
        for uri in sorted(uris):
            graph.schemes[uri] = SchemeData(uri, typed=uri in typed)
        for concept in graph.concepts.values():
            for scheme in concept.top_of:
                graph.schemes[scheme].top_concepts.add(concept.uri)
        # dct:title wins over skos:prefLabel, which wins over dc:title.
        for predicate in (DC + "title", RDFS + "label", SKOS + "prefLabel", DCT + "title"):
            for s, o in self.pairs(predicate):
                scheme = graph.schemes.get(s)
                if scheme is not None and isinstance(o, tuple):
                    scheme.titles[o[1]] = o[0]

    def _collections(self, typed: set[str], labels) -> None:
        graph = self.graph
        members = defaultdict(set)
        for s, o in self.pairs(SKOS + "member"):
            members[s].add(o)
        for s, o in self.pairs(ISO_THES + "subGroup"):
            members[s].add(o)
        for s, o in self.pairs(ISO_THES + "superGroup"):
            members[o].add(s)
        firsts = {s: o for s, o in self.pairs(RDF + "first")}
        rests = {s: o for s, o in self.pairs(RDF + "rest")}
        for s, o in self.pairs(SKOS + "memberList"):
            node, seen = o, set()
            while node in firsts and node not in seen:
                seen.add(node)
                members[s].add(firsts[node])
                node = rests.get(node, "")
        uris = (typed | set(members)) - set(graph.concepts)
        for uri in sorted(uris):
            collection = graph.collections[uri] = CollectionData(uri, members=members.get(uri, set()))
            for label in sorted(labels.get(uri, ())):
                if label.kind == "pref":
                    collection.labels.setdefault(label.language, label.text)
        for s, o in self.pairs(SKOS + "notation"):
            collection = graph.collections.get(s)
            if collection is not None and isinstance(o, tuple):
                collection.notation = min(filter(None, (collection.notation, o[0])))
        for s, o in self.pairs(SKOS + "inScheme"):
            collection = graph.collections.get(s)
            if collection is not None:
                collection.schemes.add(o)

    def _concept_fields(self) -> None:
        concepts = self.graph.concepts
        for s, o in self.pairs(SKOS + "notation"):
            concept = concepts.get(s)
            if concept is not None and isinstance(o, tuple):
                # Several notations: keep the smallest, so reading is deterministic.
                concept.notation = min(filter(None, (concept.notation, o[0])))
        for s, o in self.pairs(OWL + "deprecated"):
            concept = concepts.get(s)
            if concept is not None and isinstance(o, tuple) and o[0].lower() in ("true", "1"):
                concept.status = "deprecated"
        for s, o in self.pairs(ISO_THES + "status"):
            concept = concepts.get(s)
            if concept is not None and concept.status != "deprecated" and isinstance(o, tuple) \
                    and o[0].strip().lower() == STATUS_CANDIDATE:
                concept.status = "candidate"
        for s, o in self.pairs(DCT + "isReplacedBy"):
            concept = concepts.get(s)
            if concept is not None and not isinstance(o, tuple):
                concept.replaced_by = min(filter(None, (concept.replaced_by, o)))
        for name in ("created", "modified"):
            for s, o in self.pairs(DCT + name):
                concept = concepts.get(s)
                value = _datetime(o)
                if concept is not None and value is not None:
                    setattr(concept, name, max(filter(None, (getattr(concept, name), value))))

    def _report_transitive(self, transitive) -> None:
        """A stated broaderTransitive/narrowerTransitive link that no chain of
        plain broader/narrower links supports: SKOS means these to be inferred,
        so the hierarchy itself is missing a link (qSKOS "solely transitive")."""
        if not transitive:
            return
        parents = defaultdict(set)
        for concept in self.graph.concepts.values():
            parents[concept.uri] |= concept.broader
            for child in concept.narrower:
                parents[child].add(concept.uri)
        for lower, upper in sorted(transitive):
            seen, todo = set(), list(parents.get(lower, ()))
            while todo and upper not in seen:
                current = todo.pop()
                if current not in seen:
                    seen.add(current)
                    todo.extend(parents.get(current, ()))
            if upper not in seen:
                self.graph.reader_findings.append(finding("solely_transitive", (lower, upper),
                                                          concept=lower, other=upper))
