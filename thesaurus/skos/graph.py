"""The in-memory thesaurus every SKOS reader, writer and check shares."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Label:
    kind: str      # LabelKind value: "pref", "alt", "hidden"
    language: str  # BCP 47 tag as given; "" when the source gave none
    text: str


@dataclass(frozen=True, order=True)
class Note:
    kind: str      # NoteKind value
    language: str
    text: str


@dataclass(frozen=True)
class Unmodelled:
    """What a source file says about one resource beyond what the model
    reproduces, as canonical N-Triples lines (see ``thesaurus.skos.unmodelled``):
    ``kept``, the file's triples the model does not write (a licence, a
    date, an iso-thes:subGroup...), written back as they were; ``unstated``,
    triples the model would write that the file did not state (the inverse
    of a one-way link...), left out so that nothing is invented."""

    kept: frozenset[str] = frozenset()
    unstated: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.kept or self.unstated)


NOTHING = Unmodelled()


@dataclass
class ConceptData:
    uri: str
    notation: str | None = None
    labels: list[Label] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    broader: set[str] = field(default_factory=set)
    narrower: set[str] = field(default_factory=set)   # as stated; normalise() folds it into broader
    related: set[str] = field(default_factory=set)
    schemes: set[str] = field(default_factory=set)     # skos:inScheme
    top_of: set[str] = field(default_factory=set)      # skos:topConceptOf / hasTopConcept
    status: str = "approved"                           # ConceptStatus value
    replaced_by: str | None = None                     # dct:isReplacedBy
    mappings: set[tuple[str, str]] = field(default_factory=set)  # (MappingKind value, uri)
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    typed: bool = True  # declared skos:Concept, rather than only met as a relation's end
    unmodelled: Unmodelled = NOTHING

    def pref(self, language: str) -> str | None:
        return next((label.text for label in self.labels if label.kind == "pref" and label.language == language),
                    None)


@dataclass
class SchemeData:
    uri: str
    titles: dict[str, str] = field(default_factory=dict)  # language -> title
    top_concepts: set[str] = field(default_factory=set)
    unmodelled: Unmodelled = NOTHING
    typed: bool = True  # declared skos:ConceptScheme, rather than only met as inScheme's object


@dataclass
class CollectionData:
    uri: str
    labels: dict[str, str] = field(default_factory=dict)  # language -> preferred label
    notation: str | None = None
    members: set[str] = field(default_factory=set)        # concept or collection URIs
    schemes: set[str] = field(default_factory=set)
    unmodelled: Unmodelled = NOTHING


@dataclass
class SkosGraph:
    concepts: dict[str, ConceptData] = field(default_factory=dict)
    schemes: dict[str, SchemeData] = field(default_factory=dict)
    collections: dict[str, CollectionData] = field(default_factory=dict)
    # Problems only the reader can see (an IRI that is not one, a term SKOS
    # does not define...), reported with the checks' findings.
    reader_findings: list = field(default_factory=list)
    # Free-standing resources (an unused skosxl:Label, an ontology header...):
    # subject -> its N-Triples lines, written back as they came.
    resources: dict[str, frozenset[str]] = field(default_factory=dict)
    # The file as canonical N-Triples (UTF-8), set by the reader: an import
    # keeps from it what the model does not hold.
    source: bytes | None = None
