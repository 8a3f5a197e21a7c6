from __future__ import annotations

from sqlalchemy.orm import Session

from core.audit import AuditTrail
from core.db import utcnow


class Service:
    """What every cataloguing service holds: the session, the acting user
    (None for the system), a clock, and the audit trail they write to."""

    def __init__(self, session: Session, actor=None, clock=utcnow):
        self.session = session
        self.actor = actor
        self.clock = clock
        self.audit = AuditTrail(session, actor, clock)

    @property
    def actor_id(self) -> int | None:
        return getattr(self.actor, "id", None)
