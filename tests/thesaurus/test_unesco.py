"""The real UNESCO thesaurus (4,485 concepts) imports, validates, exports in
both formats and imports again unchanged. On SQLite only: once is enough.
Timings are measured by bench/thesaurus.py, not asserted here."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from thesaurus.models import Concept
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.services.lookup import autocomplete
from thesaurus.skos.read import read
from thesaurus.skos.write import write
from thesaurus.store import load_graph

UNESCO = "skos-unesco-thesaurus/unesco-thesaurus.ttl"


def test_unesco_imports_exports_and_imports_again_unchanged(db, shared_data, backend):
    if backend != "sqlite":
        pytest.skip("4,485 concepts: once is enough, on SQLite")
    with db.transaction() as session:
        report = ThesaurusImportService(session).import_graph(read(shared_data / UNESCO), source="unesco")
    assert len(report.added) == 4485 and report.applied
    assert not [f for f in report.findings if f.is_error]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Concept)) == 4485
        assert session.scalar(select(func.count()).where(Concept.pref_label_fr == "")) == 0
        assert autocomplete(session, "educ")[0].label == "Éducation"
        graph = load_graph(session)
    exports = {fmt: write(graph, fmt) for fmt in ("turtle", "rdfxml")}
    for fmt, data in exports.items():
        with db.transaction() as session:
            again = ThesaurusImportService(session).import_graph(read(data, format=fmt))
        assert again.counts() == {"added": 0, "changed": 0, "deprecated": 0, "unchanged": 4485, "dropped": 0}
        with db.session() as session:
            assert write(load_graph(session), fmt) == data
    with db.session() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.action == "thesaurus.import")) == 3
