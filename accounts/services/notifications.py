"""The staff inbox, and the mail that goes with it.

``notify`` writes one line per recipient in the same transaction as the
change it tells of, and queues a mail (``core.mail``) for those with an
address. Messages are message ids with parameters, so each reader sees them
in their language (``core.i18n.render``: parameters named ``*_label`` are
message ids too).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from accounts.models import Notification, User
from accounts.vocab import Role
from core import mail
from core.db import paginate, utcnow
from core.errors import NotFound
from core.i18n import N_


class NotificationService:
    def __init__(self, session: Session, clock=utcnow):
        self.session = session
        self.clock = clock

    def notify(self, users: Iterable[User], message: str, *, subject: str, params: dict | None = None,
               link: str | None = None, skip: User | None = None) -> int:
        """Tell each active user of ``users`` (but ``skip``, who caused it):
        ``message`` in the inbox, and by mail under ``subject``. Returns how many."""
        now, params = self.clock(), dict(params or {})
        told = 0
        for user in {u.id: u for u in users if u is not None}.values():
            if not user.active or (skip is not None and user.id == skip.id):
                continue
            self.session.add(Notification(user_id=user.id, at=now, message=message, params=params, link=link))
            if user.email:
                mail.queue(self.session, user.email, subject, message, params=params, link=link, now=now)
            told += 1
        self.session.flush()
        return told

    def staff_with(self, *roles: Role) -> list[User]:
        return list(self.session.scalars(select(User).where(User.role.in_(roles), User.active.is_(True))))

    def inbox(self, user_id: int, *, page: int = 1, size: int = 25) -> tuple[list[Notification], int]:
        query = (select(Notification).where(Notification.user_id == user_id)
                 .order_by(Notification.at.desc(), Notification.id.desc()))
        return paginate(self.session, query, page=page, size=size)

    def unread(self, user_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)))

    def mark_read(self, user_id: int, notification_id: int | None = None) -> int:
        """Mark one notification (or, without ``notification_id``, all) read."""
        query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        if notification_id is not None:
            if self.session.scalar(select(Notification.user_id).where(Notification.id == notification_id)) != user_id:
                raise NotFound(N_("There is no such notification in your inbox."))
            query = query.where(Notification.id == notification_id)
        return self.session.execute(query.values(read_at=self.clock())).rowcount
