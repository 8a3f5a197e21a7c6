"""The migrations create exactly the schema the models describe."""
import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from cite import migrate
from cite.schema import metadata
from core.db import Database


def test_models_and_migrations_agree(db, backend):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": migrate.include_object})
        assert compare_metadata(context, metadata) == []
    assert migrate.current_revision(db) == migrate.head_revision()


def test_sqlite_runs_in_wal_with_foreign_keys(db, backend):
    if backend != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def _empty_database(backend, request, tmp_path) -> Database:
    if backend == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'old.db'}")
    server = request.getfixturevalue("postgres_server")
    return Database(server.create_database(f"upgrade_{tmp_path.name[-20:].lower().replace('-', '_')}"))


def test_upgrade_from_0001_carries_thesaurus_rows_over(backend, request, tmp_path):
    """0002 rebuilds the concepts table; on SQLite that copy must not cascade
    into the labels, and the old deprecated flag and scope note must survive."""
    database = _empty_database(backend, request, tmp_path)
    try:
        migrate.upgrade(database, "0001")
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO concept_schemes (id, uri, title) VALUES (1, 'urn:s', 'S')"))
            conn.execute(text(
                "INSERT INTO concepts (id, scheme_id, uri, pref_label_fr, scope_note, deprecated, created_at, "
                "updated_at) VALUES (1, 1, 'urn:c', 'Écoles', 'Établissements', :yes, :at, :at)"),
                {"yes": True, "at": dt.datetime(2020, 1, 1)})
            conn.execute(text("INSERT INTO concept_labels (concept_id, kind, language, text) "
                              "VALUES (1, 'alt', 'fr', 'Établissement  Scolaire')"))
            conn.execute(text("INSERT INTO users (id, username, display_name, password_hash, role, active, "
                              "created_at, password_changed_at, failed_logins) VALUES (1, 'u', 'U', 'x', "
                              "'documentalist', :yes, :at, :at, 0)"), {"yes": True, "at": dt.datetime(2020, 1, 1)})
            conn.execute(text("INSERT INTO records (id, title, languages, document_type, origin, version, "
                              "created_at, updated_at) VALUES (1, 'T', '[]', 'book', 'local', 1, :at, :at)"),
                         {"at": dt.datetime(2020, 1, 1)})
            conn.execute(text("INSERT INTO record_subjects (record_id, heading) VALUES (1, 'Bilan de compétences')"))
            conn.execute(text("INSERT INTO record_descriptors (record_id, concept_id, added_at) VALUES (1, 1, :at)"),
                         {"at": dt.datetime(2020, 1, 1)})
        migrate.upgrade(database)
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT status, version FROM concepts")).one() == ("deprecated", 1)
            assert conn.execute(text("SELECT key FROM concept_labels")).scalar_one() == "etablissement scolaire"
            assert conn.execute(text("SELECT kind, language, text FROM concept_notes")).one() == (
                "scope", "fr", "Établissements")
            assert conn.execute(text("SELECT heading_key FROM record_subjects")).scalar_one() == "bilan de competences"
            assert conn.execute(text("SELECT count(*) FROM record_descriptors")).scalar_one() == 1
            if backend == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()


def test_weeding_migrates_down_to_0006_and_up_again(backend, request, tmp_path):
    """0007 replaces the first weeding tables: going back restores them, and
    the copies it dated stay withdrawn."""
    from alembic import command

    database = _empty_database(backend, request, tmp_path)
    try:
        migrate.upgrade(database)
        with database.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0006")
        assert migrate.current_revision(database) == "0006"
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM weeding_decisions")).scalar_one() == 0
        migrate.upgrade(database)
        assert migrate.current_revision(database) == migrate.head_revision()
    finally:
        database.dispose()


def test_held_imports_migrate_down_to_0008_and_up_again(backend, request, tmp_path):
    """0009 adds the held updates of imports: going back drops them (never
    applied, so no work changes) and counts them as rejected, so a run's
    read still adds up."""
    from alembic import command

    database = _empty_database(backend, request, tmp_path)
    try:
        migrate.upgrade(database)
        at = dt.datetime(2020, 1, 1)
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO records (id, title, languages, document_type, origin, version, "
                              "created_at, updated_at) VALUES (1, 'T', '[]', 'book', 'local', 1, :at, :at)"),
                         {"at": at})
            conn.execute(text(
                "INSERT INTO import_runs (id, kind, source, dry_run, started_at, read, created, updated, unchanged, "
                "held, rejected, status) VALUES (1, 'file', 'b', :no, :at, 3, 1, 0, 0, 2, 0, 'finished')"),
                {"no": False, "at": at})
            conn.execute(text(
                "INSERT INTO import_held (run_id, position, record_id, record_version, rule, old_title, new_title, "
                "data, state) VALUES (1, 2, 1, 1, 'isbn', 'T', 'U', '{}', 'held')"))
        with database.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0008")
        assert migrate.current_revision(database) == "0008"
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT read, created, rejected FROM import_runs")).one() == (3, 1, 2)
            assert conn.execute(text("SELECT title, version FROM records")).one() == ("T", 1)
        migrate.upgrade(database)
        assert migrate.current_revision(database) == migrate.head_revision()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT held, rejected FROM import_runs")).one() == (0, 2)
            assert conn.execute(text("SELECT count(*) FROM import_held")).scalar_one() == 0
    finally:
        database.dispose()


def test_thesaurus_unmodelled_triples_migrate_down_to_0009_and_up_again(backend, request, tmp_path):
    """0010 adds the table of what imported SKOS files said beyond the model;
    going back drops it (exports lose those triples again), going up restores it."""
    from alembic import command
    from sqlalchemy import inspect

    database = _empty_database(backend, request, tmp_path)
    try:
        migrate.upgrade(database)
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO concept_schemes (id, uri, title, titles, created_at, updated_at) "
                              "VALUES (1, 'http://example.org/s', 'S', '{}', :now, :now)"),
                         {"now": dt.datetime(2026, 1, 1)})
            conn.execute(text("INSERT INTO thesaurus_unmodelled (scheme_id, kept, unstated) VALUES (1, :kept, '')"),
                         {"kept": '<http://example.org/s> <http://purl.org/dc/terms/license> <http://x/> .'})
            command.downgrade(migrate.alembic_config(conn), "0009")
        assert migrate.current_revision(database) == "0009"
        assert "thesaurus_unmodelled" not in inspect(database.engine).get_table_names()
        migrate.upgrade(database)
        assert migrate.current_revision(database) == migrate.head_revision()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM thesaurus_unmodelled")).scalar_one() == 0
    finally:
        database.dispose()
