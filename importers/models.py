from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from catalogue.models import Record
from core.db import Base, UTCDateTime, utcnow


class ImportRun(Base):
    """One import or harvest. Invariant: read = created + updated + unchanged + held + rejected.

    The counts are what the run did: a held update decided later (applied or
    rejected) stays counted as held, the decisions are told by ImportHeld."""

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
    held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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


class ImportHeld(Base):
    """An update from another source that would have changed a work's title or
    main author, held for review instead of applied (see importers.services.held).

    ``data`` is the incoming record as mapped (what applying it needs), so the
    decision applies what was reviewed even if the mapping changes meanwhile."""

    __tablename__ = "import_held"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"), index=True)
    record_version: Mapped[int] = mapped_column(Integer)  # the work's version when it was held
    rule: Mapped[str] = mapped_column(String(20))  # the match rule that found the work: isbn, issn, key
    old_title: Mapped[str] = mapped_column(String(500))
    new_title: Mapped[str] = mapped_column(String(500))
    old_author: Mapped[str | None] = mapped_column(String(255))
    new_author: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict] = mapped_column(JSON)
    raw_marc: Mapped[bytes | None] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(10), default="held")  # held, applied, rejected
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)

    run: Mapped[ImportRun] = relationship()
    record: Mapped[Record | None] = relationship()
    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_import_held_run_state", "run_id", "state", "position"),)


class HarvestState(Base):
    """Where the last incremental OAI-PMH harvest of an endpoint stopped."""

    __tablename__ = "harvest_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    metadata_prefix: Mapped[str] = mapped_column(String(50))
    set_spec: Mapped[str | None] = mapped_column(String(200))
    last_datestamp: Mapped[str | None] = mapped_column(String(32))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
