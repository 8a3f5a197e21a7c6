"""Importing a SKOS thesaurus: validate the result whole, then write it in bulk.

The file is overlaid on the stored thesaurus (``thesaurus.overlay``) and the
checks run on that result, so an import is judged by the thesaurus it would
leave, exactly as an edit is. Any error about a concept of the file refuses
the import whole: nothing is written. Re-importing updates concepts by URI;
concepts stored but absent from the file are kept and reported ("dropped"),
never deleted, because records may be indexed with them.

One audit event per import ("thesaurus.import", entity "scheme") holds the
counts and the URIs changed. One event per concept would be 4,500 rows for
UNESCO and would bury the editors' own history of each concept.

What the file says beyond the model (a scheme's licence, dates, iso-thes
groups, skosxl labels...) is kept, per resource, and written back on export
(``thesaurus.skos.unmodelled``), so the export of an imported thesaurus holds
every triple of its file and invents none.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from core.services import Service
from thesaurus import store
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.indexing import descendants, mark_records
from thesaurus.models import ConceptScheme
from thesaurus.overlay import compare, overlay
from thesaurus.services.validation import deprecated_in_use
from thesaurus.skos.checks import check
from thesaurus.skos.checks_labels import name
from thesaurus.skos.findings import Finding, errors_in, finding
from thesaurus.skos.graph import SkosGraph
from thesaurus.skos.read import normalise
from thesaurus.skos.unmodelled import separate
from thesaurus.skos.write import model_lines
from thesaurus.store.unmodelled import save
from thesaurus.store.write import as_stored

REINDEX_REASON = "thesaurus.import"


@dataclass
class ImportReport:
    """What an import did (or, with ``applied`` False, would do). URIs sorted."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)   # stored, absent from the file: kept
    # Warnings; errors only if already stored and not about the file's concepts
    # (errors about them refuse the import).
    findings: list[Finding] = field(default_factory=list)
    applied: bool = False
    records_marked: int = 0  # records queued for re-indexing

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in ("added", "changed", "deprecated", "unchanged", "dropped")}


class ThesaurusImportService(Service):
    def import_graph(self, graph: SkosGraph, *, scheme_uri: str | None = None, dry_run: bool = False,
                     source: str | None = None) -> ImportReport:
        """Import ``graph`` (as read by ``thesaurus.skos.read.read``; normalised
        here, in place). With ``scheme_uri``, only the file's concepts of that
        scheme (or of none) are imported, into it, and "dropped" counts that
        scheme's stored concepts only. ``source`` (a file name) goes to the
        audit trail. Raises ThesaurusRuleViolation, writing nothing, if the
        result has an error about a concept of the file."""
        normalise(graph)
        stored = store.load(self.session)
        after, file_uris = overlay(stored.graph, graph, scheme_uri)
        changes = compare(stored.graph, after, file_uris, scheme_uri)

        findings = list(graph.reader_findings) + check(after, focus=file_uris)
        blocking = [f for f in errors_in(findings) if not f.concepts or set(f.concepts) & file_uris]
        if blocking:
            raise ThesaurusRuleViolation(blocking)
        findings += deprecated_in_use(self.session, after, stored.concept_ids, changes.deprecated)
        findings += [finding("concept_dropped", [uri], concept=name(stored.graph, uri)) for uri in changes.dropped]
        report = ImportReport(changes.added, changes.changed, changes.deprecated, changes.unchanged,
                              changes.dropped, findings=findings)
        if dry_run:
            return report

        now = self.clock()
        ids = store.apply(self.session, stored, after, changes, actor_id=self.actor_id, now=now)
        if graph.source is not None:
            self._keep_unmodelled(graph, after, stored, file_uris, scheme_uri)
        # Only records already indexed can be concerned: new concepts have none.
        # A concept that moved changes the ancestor path of everything below it.
        moved = {ids[uri] for uri in changes.moved}
        concept_ids = {ids[uri] for uri in changes.relabelled} | moved | descendants(self.session, moved)
        report.records_marked = mark_records(self.session, concept_ids, REINDEX_REASON)
        scheme = scheme_uri or (next(iter(graph.schemes)) if len(graph.schemes) == 1 else None)
        scheme_id = self.session.scalar(select(ConceptScheme.id).where(ConceptScheme.uri == scheme)) if scheme else None
        self.audit.log("thesaurus.import", "scheme", scheme_id or 0, record_id=None, label=source or scheme,
                       changes={**report.counts(), "scheme": scheme,
                                **{key: getattr(report, key) for key in ("changed", "deprecated", "dropped")}})
        self.session.flush()
        report.applied = True
        return report

    def _keep_unmodelled(self, graph: SkosGraph, after: SkosGraph, stored: store.Stored, file_uris: set[str],
                         scheme_uri: str | None) -> None:
        """Compare the file with what the writer makes of the thesaurus as now
        stored, and keep the difference. A concept or scheme the file only
        names, and already stored, is not the file's to describe: what was
        kept of it stays, and the file's triples about it beyond the links it
        gains are not kept."""
        owners = {uri for uri in file_uris if graph.concepts[uri].typed or uri not in stored.concept_ids}
        owners |= {uri for uri, c in graph.collections.items()
                   if scheme_uri is None or not c.schemes or scheme_uri in c.schemes}
        owners |= {uri for uri, s in graph.schemes.items()
                   if (scheme_uri is None or uri == scheme_uri) and (s.typed or uri not in stored.scheme_ids)}
        owners &= after.concepts.keys() | after.collections.keys() | after.schemes.keys()
        excluded = (graph.concepts.keys() | graph.collections.keys() | graph.schemes.keys()) - owners
        scope = scheme_uri or (next(iter(graph.schemes)) if len(graph.schemes) == 1 else None)
        written = model_lines(as_stored(after), owners, dates=False)
        parts, resources = separate(graph.source, written, owners, excluded, scope or "")
        save(self.session, parts, resources, scope)
