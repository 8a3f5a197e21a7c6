"""The migrations create exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from catalogue import migrate
from catalogue.schema import metadata


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
