"""One database transaction per request, owned here.

The session opens lazily on first use. It commits after the view when the
response is a success or a redirect, and rolls back otherwise, so a view
that re-renders a form with errors never half-saves. A request that queued
works for the search index (``session.info["reindex"]``) drains the outbox
(``core.outbox``) right after its commit, and one that queued mail
(``session.info["mail"]``) has it sent in the background (``core.mail``).
"""
from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session

from core import mail, outbox

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def db_session() -> Session:
    if "db_session" not in g:
        database = current_app.extensions["catalogue.db"]
        g.db_session = database.session(write=request.method not in SAFE_METHODS)
    return g.db_session


def init_app(app: Flask) -> None:
    @app.after_request
    def _finish(response):
        session = g.pop("db_session", None)
        if session is not None:
            committed = False
            try:
                if not session.in_transaction():
                    pass  # nothing was read or written: committing would begin a transaction to end it
                elif response.status_code < 400:
                    session.commit()
                    committed = True
                else:
                    session.rollback()
            finally:
                reindex = session.info.pop("reindex", False)
                mail_queued = session.info.pop("mail", False)
                session.close()
            if committed and reindex:
                _drain(app)
            if committed and mail_queued:
                mail.send_soon(app)
        return response

    @app.teardown_request
    def _cleanup(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def _drain(app: Flask) -> None:
    """The request changed what some works' search documents hold (the
    outbox says which): index them now, after commit and with the session
    closed, so a visitor finds a work the moment it is saved. The drain logs
    its own failures; the outbox keeps the rows for the scheduler's drain."""
    outbox.drain(app)
