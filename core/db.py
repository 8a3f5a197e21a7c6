"""Database plumbing shared by every package: the declarative base, the engine
and the session factory.

On SQLite we run in WAL mode with foreign keys and a busy timeout, and we
issue ``BEGIN IMMEDIATE`` for writing sessions: the web server and the
scheduler write concurrently, and a deferred transaction that later upgrades
to a write lock fails at once with "database is locked" instead of waiting.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKey,
    MetaData,
    Select,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.types import TypeDecorator

from core.config import SQLITE_BUSY_TIMEOUT_MS

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


@event.listens_for(Base, "init", propagate=True)
@event.listens_for(Base, "load", propagate=True)
def _materialise_state_dict(target, *_args) -> None:
    """Give each ORM object's InstanceState a real ``__dict__`` (issue 14).

    CPython 3.11 keeps an object's attributes inline until one is added that
    its class's shared keys lack; then it builds the dict, and a garbage
    collection that this allocation starts may run a weakref callback that
    writes to the same object: the outer write then uses freed memory (use
    after free, reproduced in bench/oai_harvest_starts.py; 3.13 is not
    affected). SQLAlchemy's callback does exactly that: when a loaded object
    that only the collector can free (every object with a collection is in
    a cycle) goes, ``InstanceState._cleanup`` writes to its state, and
    closing or rolling back a session writes to every state it holds. A
    worker died when, under several threads, a collection fell inside one
    of those writes. A state whose dict exists from the start never takes
    that path."""
    vars(instance_state(target))


class UTCDateTime(TypeDecorator):
    """Timestamps stored as naive UTC and returned as aware UTC on every backend.

    SQLite has no time zones; storing naive UTC everywhere keeps SQLite and
    PostgreSQL rows identical and comparisons correct.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def enum_column(enum_cls, length: int = 32) -> Enum:
    """A portable enum column: VARCHAR holding the code, validated in Python.

    No native type and no CHECK constraint, so adding a value needs no migration.
    """
    return Enum(enum_cls, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda e: [m.value for m in e], validate_strings=True)


class Stamped:
    """Who created and last changed a row, and when (``users`` is the staff
    accounts' table, referred to by name)."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """Create the engine for ``url`` with the SQLite settings described above."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine, busy_timeout_ms)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below choose how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Owns the engine and hands out sessions: one per request, command or job."""

    def __init__(self, url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS):
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self, *, write: bool = False) -> Session:
        return (self._writer if write else self._reader)()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A writing session that commits on success and rolls back on error."""
        session = self.session(write=True)
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def paginate(session: Session, query: Select, *, page: int, size: int) -> tuple[list, int]:
    """One page of ``query`` (already ordered) and the number of rows over all pages."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.offset((page - 1) * size).limit(size)).all()
    return list(rows), total


def like_pattern(text: str) -> str:
    """A case-folded LIKE pattern matching ``text`` anywhere, wildcards escaped (escape char \\)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
