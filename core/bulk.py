"""Multi-row INSERTs handed straight to the database driver.

An import creates tens of thousands of rows; going through the ORM, or even
SQLAlchemy's per-row parameter processing, costs more than reading the MARC.
Here each statement is compiled once by SQLAlchemy (so it is right for
SQLite and PostgreSQL), values are converted by the columns' own type
processors (UTC timestamps, enums, JSON), and the rows go to the driver's
executemany in one call.
"""
from __future__ import annotations

import functools
from operator import itemgetter

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session


class BulkInsert:
    def __init__(self, session: Session, table: Table, columns: tuple[str, ...]):
        self.connection = session.connection()
        self.sql, self.order, self.processors = _compiled(self.connection.dialect, table, columns)

    def insert(self, rows: list[dict]) -> None:
        """Insert ``rows`` (dicts with a value for every column; changed in place)."""
        if not rows:
            return
        for name, processor in self.processors:
            # Rows of a batch share many values (the timestamp, a role): convert each once.
            seen: dict = {}
            for row in rows:
                value = row[name]
                try:
                    row[name] = seen[value]
                except KeyError:
                    row[name] = seen[value] = processor(value)
                except TypeError:  # unhashable (JSON lists and dicts)
                    row[name] = processor(value)
        if self.order is not None:
            getter = itemgetter(*self.order)
            if len(self.order) > 1:
                params = [getter(row) for row in rows]
            else:
                params = [(getter(row),) for row in rows]
        else:
            params = rows
        self.connection.exec_driver_sql(self.sql, params)


@functools.lru_cache(maxsize=64)
def _compiled(dialect, table: Table, columns: tuple[str, ...]):
    """(SQL, parameter order, value processors) of an INSERT, compiled once."""
    # inline(): no implicit RETURNING of the primary key (PostgreSQL).
    compiled = table.insert().inline().compile(dialect=dialect, column_keys=list(columns))
    order = compiled.positiontup  # None for named parameter styles (psycopg)
    missing = set(order or columns) - set(columns)
    if missing:
        raise ValueError(f"{table.name}: give a value for {', '.join(sorted(missing))}")
    processors = []
    for name in columns:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors.append((name, processor))
    return str(compiled), order, tuple(processors)


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Primary keys for ``count`` new rows of ``table``, so that rows pointing at
    them can be written in the same batch without a RETURNING round trip.

    PostgreSQL: taken from the table's sequence. SQLite: after the highest id
    (and the highest ever given, for AUTOINCREMENT tables), safe because
    writing transactions hold the database's write lock from their first
    statement (BEGIN IMMEDIATE, see core.db).
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                    "FROM generate_series(1, :count)"), {"table": table.name, "count": count})
        return [row[0] for row in rows]
    start = session.scalar(select(func.max(table.c.id))) or 0
    # AUTOINCREMENT tables never reuse the id of a deleted row (records: ids are
    # OAI identifiers): start after the highest id ever given, too.
    has_sequence = session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"))
    if has_sequence:
        given = session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name})
        start = max(start, given or 0)
    return list(range(start + 1, start + count + 1))
