from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import paginate, utcnow
from ..models import AuditEvent


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
