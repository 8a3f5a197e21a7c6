"""The mail outbox (core.mail) against a real SMTP server: aiosmtpd on a
loopback port, started by the test. Nothing is mocked: messages go through
smtplib, the server parses them, and the tests read what it received.

Message ids used below are translated in cite/translations/fr: the mail is
rendered in French, the catalogue's default language.
"""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select

from accounts.models import Notification
from accounts.services import AccountService
from cite import create_app
from core import mail
from core.db import utcnow
from core.mail import (
    EXPIRY,
    KEEP_SENT,
    MAX_ATTEMPTS,
    OutgoingMail,
    forget_old,
    send_due,
    send_soon,
)
from tests.support.factories import PASSWORD, make_token
from tests.support.postgres import free_port
from tests.support.smtp import smtp_server

SENDER_ADDRESS = "documentation@cite.test"
SITE = "https://catalogue.cite.test/"  # the trailing slash is not doubled before the link's path
SUBJECT = "Welcome, %(name)s."  # "Bienvenue, %(name)s."
BODY = "The work “%(title)s” was catalogued."  # "Le document « %(title)s » a été catalogué."
PARAMS = {"name": "Léa", "title": "Réussir son entretien"}


def _build(database_url, instance_dir, **config):
    return create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "SESSION_COOKIE_SECURE": False,
        "INSTANCE_DIR": str(instance_dir),
        "SITE_URL": SITE,
        "SMTP_FROM": SENDER_ADDRESS,
        "SMTP_TIMEOUT_SECONDS": 5.0,
        **config,
    })


def _close(app) -> None:
    """Let the app's background sender finish before the database goes."""
    sender = app.extensions.get(mail.SENDER)
    deadline = time.monotonic() + 15
    while sender is not None and sender.running and time.monotonic() < deadline:
        time.sleep(0.02)
    from search.web import flush_observatory
    flush_observatory(app)
    app.extensions["catalogue.db"].dispose()


@pytest.fixture
def apps(database_url, tmp_path):
    """Build apps on this test's database, with extra settings (SMTP_HOST...)."""
    made = []

    def build(**config):
        app = _build(database_url, tmp_path / f"instance{len(made)}", **config)
        made.append(app)
        return app

    yield build
    for app in made:
        _close(app)


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


def _smtp_config(server) -> dict:
    return {"SMTP_HOST": server.host, "SMTP_PORT": server.port}


def _queue(app, recipient="lea@cite.test", *, now=None, link="/records/7", params=None) -> None:
    with app.extensions["catalogue.db"].transaction() as session:
        mail.queue(session, recipient, SUBJECT, BODY, params=params or PARAMS, link=link, now=now)


def _rows(app) -> list[OutgoingMail]:
    with app.extensions["catalogue.db"].session() as session:
        return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def _row(app) -> OutgoingMail:
    [row] = _rows(app)
    return row


# 1. Queue, commit, send.

def test_a_committed_message_is_delivered_once_in_the_default_language(apps, smtp):
    app = apps(**_smtp_config(smtp))
    _queue(app)

    assert send_due(app) == 1

    [received] = smtp.messages  # the server stored it before it answered 250 to the data
    assert received.mail_from == SENDER_ADDRESS
    assert received.rcpt_tos == ("lea@cite.test",)
    assert received.message["From"] == SENDER_ADDRESS
    assert received.message["To"] == "lea@cite.test"
    assert received.message["Subject"] == "Bienvenue, Léa."
    assert received.body == ("Le document « Réussir son entretien » a été catalogué.\n\n"
                             "https://catalogue.cite.test/records/7\n")
    row = _row(app)
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None

    assert send_due(app) == 0
    assert send_due(app, now=utcnow() + dt.timedelta(days=1)) == 0
    assert len(smtp.messages) == 1


def test_a_message_without_link_or_parameters(apps, smtp):
    app = apps(**_smtp_config(smtp))
    with app.extensions["catalogue.db"].transaction() as session:
        mail.queue(session, "lea@cite.test", "Welcome, %(name)s.", "There is no such notification in your inbox.")

    assert send_due(app) == 1

    [received] = smtp.messages
    assert received.message["Subject"] == "Bienvenue, %(name)s."  # no parameters: the id is not formatted
    assert "\n\nhttp" not in received.body


def test_a_line_break_in_a_parameter_does_not_break_the_subject(apps, smtp):
    """A proposal's title may hold a line break (pasted text): the header is
    kept on one line, and the message goes."""
    app = apps(**_smtp_config(smtp))
    _queue(app, params={"name": "Léa\r\nBcc: everyone@cite.test", "title": "Réussir\nson entretien"})

    assert send_due(app) == 1

    [received] = smtp.messages
    assert received.rcpt_tos == ("lea@cite.test",)
    assert received.message["Subject"] == "Bienvenue, Léa Bcc: everyone@cite.test."
    assert received.message["Bcc"] is None
    assert received.body.startswith("Le document « Réussir\nson entretien » a été catalogué.")  # the body keeps it


def test_a_message_that_cannot_be_built_is_recorded_and_does_not_hold_back_the_others(apps, smtp):
    app = apps(**_smtp_config(smtp))
    _queue(app, "broken@cite.test", params={"title": "no name for %(name)s"})  # the subject wants "name"
    _queue(app, "lea@cite.test")

    assert send_due(app) == 1

    assert [received.rcpt_tos for received in smtp.messages] == [("lea@cite.test",)]
    broken, sent = _rows(app)
    assert broken.sent_at is None and broken.attempts == 1 and "name" in broken.last_error
    assert sent.sent_at is not None


# 2. A rolled-back transaction.

def test_a_rolled_back_transaction_sends_nothing(apps, smtp):
    app = apps(**_smtp_config(smtp))
    with pytest.raises(RuntimeError), app.extensions["catalogue.db"].transaction() as session:
        mail.queue(session, "lea@cite.test", SUBJECT, BODY, params=PARAMS)
        session.flush()  # written, then undone
        raise RuntimeError("the change fails after the mail was queued")

    assert send_due(app) == 0
    assert _rows(app) == []
    assert smtp.messages == []


# 3. No mail server configured.

def test_without_smtp_host_nothing_is_sent(apps, smtp):
    app = apps(SMTP_HOST=None, SMTP_PORT=smtp.port)  # the server listens, but the app is not told of it
    _queue(app)

    assert send_due(app) == 0
    send_soon(app)  # nothing to start either
    assert mail.SENDER not in app.extensions
    time.sleep(0.2)

    row = _row(app)
    assert (row.sent_at, row.attempts, row.last_error) == (None, 0, None)
    assert smtp.messages == []


# 4. The server is down: retries, giving up, tidying.

def test_a_failed_delivery_is_recorded_retried_later_and_delivered(apps):
    port = free_port()  # nothing listens there yet
    app = apps(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    start = utcnow()
    _queue(app, now=start)

    assert send_due(app, now=start) == 0

    row = _row(app)
    assert row.sent_at is None and row.attempts == 1
    assert row.last_error  # "[Errno 111] Connection refused", in the machine's words
    assert row.next_attempt_at == start + dt.timedelta(minutes=2)

    with smtp_server(port) as server:
        assert send_due(app, now=start + dt.timedelta(minutes=1)) == 0  # not due yet
        assert server.messages == [] and _row(app).attempts == 1

        assert send_due(app, now=start + dt.timedelta(minutes=2)) == 1

        [received] = server.messages
        assert received.rcpt_tos == ("lea@cite.test",)
        assert received.message["Subject"] == "Bienvenue, Léa."
        row = _row(app)
        assert row.sent_at is not None and row.attempts == 2 and row.last_error is None
        assert send_due(app, now=start + dt.timedelta(hours=1)) == 0
        assert len(server.messages) == 1


def test_after_max_attempts_it_stops_trying_and_the_message_expires(apps):
    port = free_port()
    app = apps(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    start = utcnow()
    _queue(app, now=start)

    now = start
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert send_due(app, now=now) == 0
        row = _row(app)
        assert row.attempts == attempt and row.sent_at is None and row.last_error
        delay = row.next_attempt_at - now
        if attempt < MAX_ATTEMPTS:
            assert delay == dt.timedelta(minutes=2 ** attempt)  # a growing delay
        else:
            assert delay == EXPIRY  # no further attempt before it expires
        assert send_due(app, now=now + delay - dt.timedelta(seconds=1)) == 0  # nothing before it is due
        assert _row(app).attempts == attempt
        now += delay

    with smtp_server(port) as server:  # the server is back, too late
        assert send_due(app, now=now) == 0
        assert send_due(app, now=now + dt.timedelta(days=1)) == 0
        assert server.messages == []
    assert _row(app).attempts == MAX_ATTEMPTS

    database = app.extensions["catalogue.db"]
    forget_old(database, now=start + EXPIRY - dt.timedelta(seconds=1))
    assert len(_rows(app)) == 1
    forget_old(database, now=start + EXPIRY + dt.timedelta(seconds=1))
    assert _rows(app) == []


def test_an_expired_message_is_not_sent_and_forget_old_tidies(apps, smtp):
    app = apps(**_smtp_config(smtp))
    database = app.extensions["catalogue.db"]
    _queue(app, "old@cite.test", now=utcnow() - EXPIRY - dt.timedelta(minutes=1))  # never reached in time
    _queue(app, "sent@cite.test")

    assert send_due(app) == 1
    assert [m.rcpt_tos for m in smtp.messages] == [("sent@cite.test",)]
    _queue(app, "waiting@cite.test", now=utcnow() + dt.timedelta(minutes=10))  # due later

    forget_old(database)

    rows = {row.recipient: row for row in _rows(app)}
    assert set(rows) == {"sent@cite.test", "waiting@cite.test"}  # the expired one is gone
    sent_at = rows["sent@cite.test"].sent_at
    forget_old(database, now=sent_at + KEEP_SENT - dt.timedelta(seconds=1))
    assert {row.recipient for row in _rows(app)} == {"sent@cite.test"}  # "waiting" expired meanwhile
    forget_old(database, now=sent_at + KEEP_SENT + dt.timedelta(seconds=1))
    assert _rows(app) == []
    assert len(smtp.messages) == 1


# 5. Several senders at once.

def test_concurrent_senders_deliver_each_message_exactly_once(apps, smtp):
    first, second = apps(**_smtp_config(smtp)), apps(**_smtp_config(smtp))  # two processes, say
    count = mail.CANDIDATES * 5 + 10  # many more than one look at the due messages
    with first.extensions["catalogue.db"].transaction() as session:
        for n in range(count):
            mail.queue(session, f"staff{n}@cite.test", SUBJECT, BODY, params=PARAMS)

    senders = [first, first, second, second]  # two threads on each app
    barrier = threading.Barrier(len(senders))
    results: list[int] = []
    errors: list[BaseException] = []

    def run(app):
        try:
            barrier.wait(timeout=10)
            results.append(send_due(app))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(app,)) for app in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(results) == count
    recipients = [received.rcpt_tos[0] for received in smtp.messages]
    assert sorted(recipients) == sorted(f"staff{n}@cite.test" for n in range(count))  # none twice
    rows = _rows(first)
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows)
    assert send_due(first) == send_due(second) == 0


# 6. Through the web: the request commits, a background thread sends.

def test_a_request_notifies_by_mail_in_the_background(apps):
    with smtp_server(delay=3.0) as slow:  # a slow server: the request must not wait for it
        app = apps(**_smtp_config(slow))
        database = app.extensions["catalogue.db"]
        with database.transaction() as session:
            accounts = AccountService(session)
            accounts.create("biblio", PASSWORD, "librarian", display_name="Bibliothécaire",
                            email="biblio@cite.test")
            accounts.create("nomail", PASSWORD, "librarian")  # told in the inbox only
            accounts.create("doc", PASSWORD, "documentalist", display_name="Noé Documentaliste",
                            email="doc@cite.test")  # the proposer is not told of their own proposal
        headers = {"Authorization": f"Bearer {make_token(database, 'doc')}"}
        client = app.test_client()

        started = time.monotonic()
        response = client.post("/api/v1/proposals", headers=headers,
                               json={"title": "Le guide de l'alternance", "isbn": "9782070360246"})
        answered_in = time.monotonic() - started

        assert response.status_code == 201, response.get_data(as_text=True)
        assert answered_in < 3.0, f"the request took {answered_in:.2f}s: it waited for the mail server"
        proposal_id = response.get_json()["id"]

        [received] = slow.wait_for(1, timeout=10)
        assert mail.SENDER in app.extensions  # send_soon's thread sent it

    assert received.rcpt_tos == ("biblio@cite.test",)
    assert received.mail_from == SENDER_ADDRESS
    # Rendered in French by a thread outside any request, as the librarian reads it.
    assert received.message["Subject"] == "Acquisitions : Le guide de l'alternance"
    assert received.body == ("Nouvelle proposition de Noé Documentaliste : « Le guide de l'alternance ».\n\n"
                             f"https://catalogue.cite.test/staff/acquisitions/proposals/{proposal_id}\n")
    _close(app)  # the sender has finished its round
    row = _row(app)
    assert row.recipient == "biblio@cite.test" and row.sent_at is not None and row.attempts == 1
    with database.session() as session:
        told = session.scalars(select(Notification.user_id)).all()
    assert len(told) == 2  # both librarians, in the inbox


# 7. A server that asks for a login (aiosmtpd allows AUTH without TLS when told to, and warns).

AUTH_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@AUTH_WITHOUT_TLS
def test_smtp_login(apps):
    with smtp_server(login=("catalogue", "s3cret mot de passe")) as server:
        app = apps(**_smtp_config(server), SMTP_USERNAME="catalogue", SMTP_PASSWORD="s3cret mot de passe")
        _queue(app)

        assert send_due(app) == 1

        [received] = server.messages
        assert received.login == "catalogue"
        assert received.message["Subject"] == "Bienvenue, Léa."


@AUTH_WITHOUT_TLS
@pytest.mark.parametrize("login", [{"SMTP_USERNAME": "catalogue", "SMTP_PASSWORD": "wrong"}, {}],
                         ids=["wrong password", "no login"])
def test_a_refused_login_is_recorded_as_a_failure(apps, login):
    with smtp_server(login=("catalogue", "s3cret")) as server:
        app = apps(**_smtp_config(server), **login)
        _queue(app)

        assert send_due(app) == 0

        row = _row(app)
        assert row.sent_at is None and row.attempts == 1
        assert "535" in row.last_error or "530" in row.last_error  # authentication failed / required
        assert server.messages == []
