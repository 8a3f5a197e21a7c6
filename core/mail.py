"""Mail to the staff, through an outbox.

A service queues a message (``queue``) in the same transaction as the change
it tells of, so a rolled-back change sends nothing. Messages are kept as
message ids and parameters (marked with ``N_``), rendered in the catalogue's
default language when sent. The edge that committed sends them in a thread
of its own (``send_soon``): a request never waits for a mail server. What
fails is retried with a growing delay by the scheduler (``scheduled_send``);
a message still unsent after ``EXPIRY`` is dropped (the staff inbox keeps
the notification). Without ``CATALOGUE_SMTP_HOST`` nothing is sent.

Two senders (a web process and the scheduler) never send one message twice:
each takes a message by moving its next attempt forward, in a statement that
only succeeds if nobody moved it first.
"""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage

from flask_babel import force_locale, gettext
from sqlalchemy import JSON, Integer, String, Text, delete, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import jobs
from core.db import Base, Database, UTCDateTime, utcnow
from core.i18n import render

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = dt.timedelta(minutes=5)  # how long a sender holds a message it took
EXPIRY = dt.timedelta(days=3)
KEEP_SENT = dt.timedelta(days=30)
CANDIDATES = 20  # due messages looked at to find one nobody holds
SENDER = "catalogue.mail.sender"


class OutgoingMail(Base):
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))  # message ids, rendered when sent
    body: Mapped[str] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(500))  # a path on the site
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


def queue(session: Session, recipient: str, subject: str, body: str, *, params: dict | None = None,
          link: str | None = None, now: dt.datetime | None = None) -> None:
    """Queue a message; ``subject`` and ``body`` are message ids (``N_``)
    with ``%(name)s`` parameters. Sets ``session.info["mail"]``, which tells
    the edge to send once it has committed."""
    now = now or utcnow()
    session.add(OutgoingMail(recipient=recipient, subject=subject, body=body, params=params or {}, link=link,
                             created_at=now, next_attempt_at=now))
    session.info["mail"] = True


def send_due(app, *, now: dt.datetime | None = None) -> int:
    """Send what is due; returns how many messages went. Runs in the app
    context, in the default language. Never raises for a failed message:
    it records the error and when to try again."""
    config = app.config
    if not config.get("SMTP_HOST"):
        return 0
    database: Database = app.extensions["catalogue.db"]
    now = now or utcnow()
    sent = 0
    with app.app_context(), force_locale(config["BABEL_DEFAULT_LOCALE"]):
        while taken := _take(database, now):
            for mail in taken:
                try:
                    _deliver(config, mail)
                except Exception as error:  # noqa: BLE001 - the server's, or a message that won't build
                    _failed(database, mail, error, now)
                else:
                    sent += 1
                    with database.transaction() as session:
                        session.execute(update(OutgoingMail).where(OutgoingMail.id == mail.id)
                                        .values(sent_at=utcnow(), attempts=mail.attempts + 1, last_error=None))
    return sent


def _take(database: Database, now: dt.datetime) -> list[OutgoingMail]:
    """The next due message, which this sender now holds for LEASE (an empty
    list when none is left). One at a time: a message is never held longer
    than its own sending takes, so a slow server cannot outlast the lease."""
    with database.session() as session:
        due = session.scalars(select(OutgoingMail).where(
            OutgoingMail.sent_at.is_(None), OutgoingMail.next_attempt_at <= now,
            OutgoingMail.created_at > now - EXPIRY).order_by(OutgoingMail.id).limit(CANDIDATES)).all()
    for mail in due:
        with database.transaction() as session:
            moved = session.execute(update(OutgoingMail).where(
                OutgoingMail.id == mail.id, OutgoingMail.next_attempt_at == mail.next_attempt_at,
                OutgoingMail.sent_at.is_(None)).values(next_attempt_at=now + LEASE))
        if moved.rowcount == 1:
            return [mail]
    return []


def _deliver(config, mail: OutgoingMail) -> None:
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = mail.recipient
    # One line: a parameter (a proposal's title, say) may hold a line break, which a header refuses.
    message["Subject"] = " ".join(render(mail.subject, mail.params, gettext).split())
    body = render(mail.body, mail.params, gettext)
    if mail.link:
        body += "\n\n" + config["SITE_URL"].rstrip("/") + mail.link
    message.set_content(body)
    security, timeout = config["SMTP_SECURITY"], config["SMTP_TIMEOUT_SECONDS"]
    if security == "ssl":
        client = smtplib.SMTP_SSL(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout)
    with client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            client.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        client.send_message(message)


def _failed(database: Database, mail: OutgoingMail, error: Exception, now: dt.datetime) -> None:
    attempts = mail.attempts + 1
    log.warning("Mail %s to %s not sent (attempt %s): %s", mail.id, mail.recipient, attempts, error)
    retry = now + dt.timedelta(minutes=2 ** attempts) if attempts < MAX_ATTEMPTS else now + EXPIRY
    with database.transaction() as session:
        session.execute(update(OutgoingMail).where(OutgoingMail.id == mail.id).values(
            attempts=attempts, last_error=str(error)[:1000], next_attempt_at=retry))


def forget_old(database: Database, *, now: dt.datetime | None = None) -> None:
    """Drop messages sent long ago, and those that expired unsent."""
    now = now or utcnow()
    with database.transaction() as session:
        session.execute(delete(OutgoingMail).where(or_(
            OutgoingMail.sent_at < now - KEEP_SENT,
            (OutgoingMail.sent_at.is_(None)) & (OutgoingMail.created_at < now - EXPIRY))))


class _Sender:
    """One sending thread per app at a time; a request that commits mail
    while it runs asks it for one more round rather than waiting."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.running = False
        self.again = False

    def poke(self) -> None:
        with self.lock:
            if self.running:
                self.again = True
                return
            self.running = True
        threading.Thread(target=self._run, name="mail", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                send_due(self.app)
            except Exception:  # the database is down, say: the scheduler retries
                log.warning("Queued mail could not be sent now; the scheduler retries.", exc_info=True)
            with self.lock:
                if not self.again:
                    self.running = False
                    return
                self.again = False


def send_soon(app) -> None:
    """Send what is due in a thread of its own: the caller never waits."""
    if app.config.get("SMTP_HOST"):
        sender = app.extensions.get(SENDER)
        if sender is None:
            sender = app.extensions.setdefault(SENDER, _Sender(app))
        sender.poke()


def scheduled_send() -> None:
    """The scheduler's job: send what is due, then tidy the outbox."""
    app = jobs.current_app()
    sent = send_due(app)
    forget_old(app.extensions["catalogue.db"])
    if sent:
        log.info("Mail: %s messages sent.", sent)
