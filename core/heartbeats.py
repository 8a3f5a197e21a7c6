"""Heartbeats: when something that runs unattended last showed it was alive.

``/healthz`` reads them: the scheduler beats while it runs its jobs, and the
search drain each time it completes. One row per name, overwritten.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, Database, UTCDateTime, utcnow

SCHEDULER = "scheduler"
SEARCH_DRAIN = "search.drain"


class Heartbeat(Base):
    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


def beat(database: Database, name: str, *, now: dt.datetime | None = None) -> None:
    """Record that ``name`` is alive now, in a transaction of its own."""
    at = now or utcnow()
    dialect = postgresql if database.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Heartbeat.__table__).values(name=name, at=at)
    with database.transaction() as session:
        session.execute(statement.on_conflict_do_update(index_elements=["name"], set_={"at": at}))


def last(session: Session) -> dict[str, dt.datetime]:
    """name -> when it last beat."""
    return dict(session.execute(select(Heartbeat.name, Heartbeat.at)).all())
