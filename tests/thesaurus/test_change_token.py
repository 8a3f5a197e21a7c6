"""The concepts' names' change token, on SQLite and PostgreSQL: the
database gives it a new value on every write to what a lookup by name
reads, whichever way the write comes (a service, a SKOS import, plain SQL),
and on no other write. The search service's cache relies on it
(tests/search/test_service.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from cite.schema import metadata
from tests.support.factories import make_record
from tests.thesaurus.skos_samples import VERSION_1, VERSION_2, read_text
from tests.thesaurus.support import edit, make_concept
from thesaurus.models import ConceptLabel
from thesaurus.services import changes
from thesaurus.services.imports import ThesaurusImportService

# What a lookup by name reads: any label column; these concept columns.
WATCHED = {"concept_labels": {column.name for column in ConceptLabel.__table__.columns},
           "concepts": {"id", "uri", "pref_label_fr", "status", "replaced_by_id"}}


def token(db) -> str | None:
    with db.session() as session:
        return changes.names_token(session)

def test_what_lookups_by_name_read_is_watched_by_triggers(db, backend):
    """A later migration that rebuilds a table (SQLite's batch mode copies
    it) would drop its triggers silently: this would fail. So would a lookup
    starting to read a column no trigger watches (search.services)."""
    assert set(WATCHED) <= set(metadata.tables)
    from search.services import _CONCEPTS, _NAMED
    read = {(column.table.name, column.name) for statement in (_NAMED, _CONCEPTS)
            for column in _columns_read(statement)}
    assert read <= {(table, column) for table, columns in WATCHED.items() for column in columns}
    with db.engine.connect() as conn:
        if backend == "sqlite":
            rows = conn.exec_driver_sql("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").all()
            events = {(table, event) for table, sql in rows for event in ("INSERT", "UPDATE", "DELETE")
                      if f" {event} " in sql and "change_tokens" in sql}
        else:
            rows = conn.exec_driver_sql(
                "SELECT c.relname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'concept_names_changed' "
                "AND NOT t.tgisinternal").all()
            # tgtype bits: 4 INSERT, 8 DELETE, 16 UPDATE
            events = {(table, event) for table, kind in rows
                      for event, bit in (("INSERT", 4), ("UPDATE", 16), ("DELETE", 8)) if kind & bit}
    assert events == {(table, event) for table in WATCHED for event in ("INSERT", "UPDATE", "DELETE")}

def _columns_read(statement):
    """The table columns a Core statement refers to, through its subqueries."""
    from sqlalchemy.sql import visitors
    return [element for element in visitors.iterate(statement)
            if getattr(element, "table", None) is not None and getattr(element.table, "name", None) in
            {"concepts", "concept_labels"} and hasattr(element, "name")]

def test_a_service_edit_gives_a_new_token(db):
    concept_id = make_concept(db, "Bilan de compétences")
    before = token(db)
    assert before
    edit(db, "update", concept_id, {"pref_labels": {"fr": "Bilan professionnel"}}, version=1)
    assert token(db) not in (None, before)

def test_plain_sql_gives_a_new_token_on_insert_update_and_delete(db):
    concept_id = make_concept(db, "Apprentissage", alt=["Alternance"])
    seen = {token(db)}
    for statement in (
            "INSERT INTO concept_labels (concept_id, kind, language, text, key) "
            "VALUES (:id, 'alt', 'fr', 'Contrat d''apprentissage', 'contrat d''apprentissage')",
            "UPDATE concept_labels SET text = 'Alternance école-entreprise' WHERE concept_id = :id AND kind = 'alt' "
            "AND text = 'Alternance'",
            "DELETE FROM concept_labels WHERE concept_id = :id AND kind = 'alt'"):
        with db.transaction() as session:
            session.execute(text(statement), {"id": concept_id})
        seen.add(token(db))
    assert len(seen) == 4 and None not in seen

def test_a_skos_import_gives_a_new_token(db):
    with db.transaction() as session:
        ThesaurusImportService(session).import_graph(read_text(VERSION_1))
    first = token(db)
    with db.transaction() as session:
        ThesaurusImportService(session).import_graph(read_text(VERSION_2))
    assert token(db) not in (None, first)

def test_other_writes_keep_the_token(db):
    broader = make_concept(db, "Reconversion")
    concept_id = make_concept(db, "Bilan de compétences", broader=[broader])
    before = token(db)
    make_record(db, title="Changer de métier")
    with db.transaction() as session:
        session.execute(text("UPDATE concepts SET version = version + 1, updated_at = updated_at WHERE id = :id"),
                        {"id": concept_id})
        session.execute(text("DELETE FROM concept_relations"))
    assert token(db) == before
    with db.transaction() as session:
        session.execute(text("UPDATE concepts SET status = 'deprecated' WHERE id = :id"), {"id": concept_id})
    assert token(db) != before

@pytest.mark.parametrize("in_transaction", [False, True])
def test_the_token_reads_the_same_inside_a_transaction_or_not(db, in_transaction):
    make_concept(db, "Orientation")
    with db.session() as session:
        if in_transaction:
            session.execute(text("SELECT 1"))
        assert session.in_transaction() is in_transaction
        assert changes.names_token(session) == token(db)
