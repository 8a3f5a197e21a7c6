"""Schema creation and upgrades through Alembic."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from core.db import Database

JOBS_TABLE = "apscheduler_jobs"  # APScheduler's own table (cite.scheduler)

_VERSION = text("SELECT version_num FROM alembic_version")

MIGRATIONS = Path(__file__).parent / "migrations"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Which database objects are ours to migrate. APScheduler keeps its job
    store in its own table, outside our models."""
    return not (type_ == "table" and name == JOBS_TABLE)


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Create the schema on an empty database or bring an existing one up to date."""
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        return
    # SQLite alters a table by copying it and dropping the original, and a
    # DROP with foreign keys on deletes every child row through ON DELETE
    # CASCADE. The pragma only takes effect outside a transaction.
    with database.engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"The upgrade left rows pointing nowhere: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def current_revision(database: Database) -> str | None:
    """The revision the database is at, None on an empty database. Raises
    SQLAlchemyError when the database cannot be reached.

    One SELECT: /healthz asks on every probe, and alembic's MigrationContext
    costs ten times the query."""
    with database.engine.connect() as connection:
        try:
            revisions = connection.scalars(_VERSION).all()
        except DBAPIError:
            # No version table yet (an empty database), or no database at all:
            # only the second still fails once the statement is rolled back.
            connection.rollback()
            if inspect(connection).has_table("alembic_version"):
                raise
            return None
    # Several rows would be branches this project does not make: never "current".
    return ",".join(sorted(revisions)) if revisions else None


def is_current(database: Database) -> bool:
    """Whether the database's schema is the one this code expects."""
    return current_revision(database) == head_revision()


@lru_cache(maxsize=1)
def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def revision(database: Database, message: str) -> None:
    """Autogenerate a migration (a developer tool, documented in the README)."""
    with database.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
