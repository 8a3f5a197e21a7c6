"""Checks that need the database: the file-level checks of
``thesaurus.skos.checks`` see a graph, not the records indexed with it."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from thesaurus import store
from thesaurus.skos.checks import check
from thesaurus.skos.checks_labels import name
from thesaurus.skos.findings import Finding, finding
from thesaurus.skos.graph import SkosGraph
from thesaurus.usage import usage


def check_stored(session: Session, scheme_uri: str | None = None) -> list[Finding]:
    """Every check on the stored thesaurus (or one scheme of it), including
    deprecated concepts still indexing records."""
    stored = store.load(session, scheme_uri)
    findings = check(stored.graph)
    return findings + deprecated_in_use(session, stored.graph, stored.concept_ids)


def deprecated_in_use(session: Session, graph: SkosGraph, ids: dict[str, int],
                      uris: Iterable[str] | None = None) -> list[Finding]:
    """A warning per deprecated concept of ``graph`` (of ``uris`` if given)
    that records are still indexed with: documentalists should move them to
    the replacement."""
    deprecated = {ids[uri]: uri for uri in (graph.concepts if uris is None else uris)
                  if uri in ids and graph.concepts[uri].status == "deprecated"}
    if not deprecated:
        return []
    counts = usage().counts(session, deprecated)
    found = []
    for concept_id, count in sorted(counts.items()):
        uri = deprecated[concept_id]
        found.append(finding("deprecated_in_use", [uri], concept=name(graph, uri), count=str(count)))
    return found
