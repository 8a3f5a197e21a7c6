"""The audit trail: who changed what and when, written by every service.

``AuditEvent.actor`` (the staff account) is mapped by ``accounts.models``,
which owns the users table: the trail itself only keeps the actor's id.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, UTCDateTime, paginate, utcnow


class AuditEvent(Base):
    """Who changed what and when. ``changes`` maps field -> [old, new]."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the work concerned, kept after deletion
    label: Mapped[str | None] = mapped_column(String(500))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)


class AuditTrail:
    """Writes and reads who changed what and when."""

    def __init__(self, session: Session, actor=None, clock=utcnow):
        self.session = session
        self.actor = actor
        self.clock = clock

    def log(self, action: str, entity_type: str, entity_id: int, *, record_id: int | None,
            label: str | None, changes: dict | None = None) -> AuditEvent:
        event = AuditEvent(
            at=self.clock(), actor_id=getattr(self.actor, "id", None), action=action,
            entity_type=entity_type, entity_id=entity_id, record_id=record_id,
            label=(label or "")[:500] or None, changes=changes or {},
        )
        self.session.add(event)
        return event

    def events(self, *, record_id: int | None = None, actor_id: int | None = None,
               action: str | None = None, page: int = 1, size: int = 50) -> tuple[list[AuditEvent], int]:
        """Most recent first. Returns (events on the page, total)."""
        query = select(AuditEvent)
        if record_id is not None:
            query = query.where(AuditEvent.record_id == record_id)
        if actor_id is not None:
            query = query.where(AuditEvent.actor_id == actor_id)
        if action:
            query = query.where(AuditEvent.action == action)
        return paginate(self.session, query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
                        page=page, size=size)


def diff(before: dict, after: dict) -> dict:
    """Fields whose value changed, as field -> [old, new]. A field missing on
    one side counts as None there (a deletion diffs against {})."""
    return {k: [before.get(k), after.get(k)] for k in {**before, **after}
            if before.get(k) != after.get(k)}
