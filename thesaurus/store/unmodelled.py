"""The unmodelled triples of imported files (``thesaurus_unmodelled``), read
into a loaded ``SkosGraph`` and written after an import.

Dates follow from them. A concept created here is dated by the catalogue
(dct:created; dct:modified once edited). An imported concept carries the
dates its file gave, as given, and no others, until it is edited here: then
dct:modified is the catalogue's, and only its kept triples about what the
model does not hold still travel (``unmodelled.as_edited``).
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.bulk import BulkInsert
from thesaurus.models import Concept, ConceptCollection, ConceptScheme, UnmodelledTriples
from thesaurus.skos.graph import ConceptData, SkosGraph, Unmodelled
from thesaurus.skos.unmodelled import as_edited

TABLE = UnmodelledTriples.__table__
COLUMNS = ("concept_id", "collection_id", "scheme_id", "subject", "version", "kept", "unstated")
CHUNK = 5000


def _lines(text: str | None) -> frozenset[str]:
    return frozenset(text.splitlines()) if text else frozenset()


def _text(lines) -> str:
    return "\n".join(sorted(lines))


def attach(session: Session, graph: SkosGraph, concepts: dict[int, ConceptData], versions: dict[int, int],
           collections: dict[int, str], schemes: dict[int, str], wanted: set[int] | None) -> None:
    """Give the loaded ``graph`` its unmodelled triples and its concepts their
    dates. ``concepts``, ``collections`` and ``schemes`` map the loaded rows'
    ids; free-standing resources come with a scheme in ``wanted`` (None: all)."""
    imported: dict[int, int | None] = {}
    for row in session.execute(select(*(TABLE.c[name] for name in ("id",) + COLUMNS))):
        if row.subject is not None:
            if wanted is None or row.scheme_id in wanted:
                graph.resources[row.subject] = graph.resources.get(row.subject, frozenset()) | _lines(row.kept)
            continue
        part = Unmodelled(_lines(row.kept), _lines(row.unstated))
        if row.concept_id is not None:
            imported[row.concept_id] = row.version
            concept = concepts.get(row.concept_id)
            if concept is not None:
                edited = versions[row.concept_id] != row.version
                concept.unmodelled = as_edited(part) if edited else part
        elif row.collection_id in collections:
            graph.collections[collections[row.collection_id]].unmodelled = part
        elif row.scheme_id in schemes:
            graph.schemes[schemes[row.scheme_id]].unmodelled = part
    for cid, concept in concepts.items():
        if cid in imported:
            concept.created = None
            concept.modified = concept.modified if versions[cid] != imported[cid] else None
        elif versions[cid] == 1:  # created here, never changed since
            concept.modified = None


def save(session: Session, parts: dict[str, Unmodelled], resources: dict[str, frozenset[str]],
         scope: str | None) -> None:
    """Replace the rows of the owners in ``parts`` (URIs of concepts,
    collections or schemes, as stored now) and of the free-standing
    resources of the same ``scope`` (a scheme URI) that the file gives
    again; those it no longer gives are kept, as concepts are."""
    concepts = {row.uri: row for row in session.execute(select(Concept.id, Concept.uri, Concept.version))}
    collections = dict(session.execute(select(ConceptCollection.uri, ConceptCollection.id)).all())
    schemes = dict(session.execute(select(ConceptScheme.uri, ConceptScheme.id)).all())
    rows, owners = [], {"concept_id": [], "collection_id": [], "scheme_id": []}
    for uri, part in parts.items():
        row = dict.fromkeys(COLUMNS)
        if uri in concepts:
            column, row["concept_id"], row["version"] = "concept_id", concepts[uri].id, concepts[uri].version
        elif uri in collections:
            column, row["collection_id"] = "collection_id", collections[uri]
        elif uri in schemes:
            column, row["scheme_id"] = "scheme_id", schemes[uri]
        else:
            continue
        owners[column].append(row[column])
        rows.append({**row, "kept": _text(part.kept), "unstated": _text(part.unstated)})
    connection = session.connection()
    for column, ids in owners.items():
        for start in range(0, len(ids), CHUNK):
            connection.execute(delete(TABLE).where(TABLE.c.subject.is_(None),
                                                   TABLE.c[column].in_(ids[start:start + CHUNK])))
    scope_id = schemes.get(scope)
    in_scope = TABLE.c.scheme_id.is_(None) if scope_id is None else TABLE.c.scheme_id == scope_id
    named = sorted(resources)
    for start in range(0, len(named), CHUNK):
        connection.execute(delete(TABLE).where(in_scope, TABLE.c.subject.in_(named[start:start + CHUNK])))
    rows += [{**dict.fromkeys(COLUMNS), "scheme_id": scope_id, "subject": subject, "kept": _text(lines),
              "unstated": ""} for subject, lines in sorted(resources.items())]
    BulkInsert(session, TABLE, COLUMNS).insert(rows)
