from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow


class ImportRun(Base):
    """One import or harvest. Invariant: read = created + updated + unchanged + rejected."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # file, oai
    source: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(2000))  # file name or endpoint URL
    syntax: Mapped[str | None] = mapped_column(String(20))  # iso2709, marcxml, oai-pmh
    flavour: Mapped[str | None] = mapped_column(String(20))  # asked for: auto, marc21, unimarc
    encoding: Mapped[str | None] = mapped_column(String(20))  # asked for: auto, utf-8, marc-8, iso-5426
    rejects_file: Mapped[str | None] = mapped_column(String(2000))  # raw bytes of rejects, re-importable
    error: Mapped[str | None] = mapped_column(Text)  # why a run stopped, if it did
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    read: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="running")
    # Who runs it and when it last showed life: a run whose process is gone
    # is "interrupted" the next time anyone looks (ImportService.reap).
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    rejects: Mapped[list[ImportReject]] = relationship(cascade="all, delete-orphan", order_by="ImportReject.position")


class ImportReject(Base):
    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)


class HarvestState(Base):
    """Where the last incremental OAI-PMH harvest of an endpoint stopped."""

    __tablename__ = "harvest_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    metadata_prefix: Mapped[str] = mapped_column(String(50))
    set_spec: Mapped[str | None] = mapped_column(String(200))
    last_datestamp: Mapped[str | None] = mapped_column(String(32))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
