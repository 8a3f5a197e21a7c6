"""Visitors' search answers, kept as the bytes sent.

The public search API and the results page answer the same popular
questions again and again. Each answer is kept whole, under everything it
follows from: the address as sent (path and query string), the page's
language, the search index's state (its generation and change sequence:
saving a work or a copy changes it, in whichever process) and the
concepts' names token (thesaurus.services.changes). A kept answer is sent
as it is: no argument parsing, no database session, no search, no
rendering. What remains is two small reads, the index's state and the
token, against the one query /healthz makes.

Both are read before the answer is computed, so an answer is at least as
new as its key, and an edit makes every older key unreachable: nothing
stale is served and nothing has to be invalidated (as core.lru says). A
page also shows the works' holdings from the database; a change to them
queues the work for the index, whose drain (right after the commit)
changes the state. If that drain fails, the scheduler's, within a minute,
does.

Only visitors' requests are kept: a GET without an Authorization header,
a session or a remember-me cookie, whose answer is the same for everyone.
Staff pages differ (their menu, their language) and are always computed.
Every answer served still counts in the observatory: the entry holds the
searches the computing request counted, counted again with today's date.

A page that follows from more than that (a goal's results, a search that
found nothing and offers the goals: documentalists edit goals without the
index's state changing) sets ``g.answer_not_kept`` and is always computed.

Engines without a cheap state (Elasticsearch, OpenSearch) are not kept.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from sqlalchemy.orm import Session

from core.db import utcnow
from core.lru import LRU, MISSING
from search.stats import SearchEvent
from search.web import EVENTS, recorder, search_engine
from thesaurus.services import changes

ANSWERS = "catalogue.search.answers"
NOT_KEPT = "answer_not_kept"  # in g: this answer follows from more than its key


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str
    searches: tuple[SearchEvent, ...]  # as the observatory counted them, on the day computed


def kept(kind: str, *, localised: bool = False):
    """Decorate a view whose answer to a visitor follows from its address
    (and, if ``localised``, the page's language) and the index: serve it
    from the kept answers while the index and thesaurus have not changed.
    Put it right under ``@route`` (above flask-smorest's ``arguments``, so
    that a kept answer skips parsing too)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            answers = _answers()
            state = _state() if answers.size else None
            if state is None:
                return view(*args, **kwargs)
            key = (kind, request.path, request.query_string, str(get_locale()) if localised else "", state)
            found = answers.lookup(key)
            if found is not MISSING:
                today = utcnow().date()
                for event in found.searches:
                    recorder()(dataclasses.replace(event, day=today))
                return current_app.response_class(found.body, content_type=found.content_type)
            g.setdefault(EVENTS, [])
            response = make_response(view(*args, **kwargs))
            searches = tuple(g.pop(EVENTS, ()))
            if (response.status_code == 200 and not response.is_streamed and not session.modified
                    and not g.pop(NOT_KEPT, False)):
                answers.store(key, Answer(response.get_data(), response.content_type, searches))
            return response
        return wrapped
    return decorator


def _answers() -> LRU:
    found = current_app.extensions.get(ANSWERS)
    if found is None:
        found = current_app.extensions.setdefault(ANSWERS, LRU(current_app.config["SEARCH_CACHE_SIZE"]))
    return found


def _state() -> tuple | None:
    """What a visitor's answer follows from beyond its address, or None
    when this request's answer is not to be kept."""
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return None
    config = current_app.config
    if config["SESSION_COOKIE_NAME"] in request.cookies or config.get(
            "REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:  # Flask-Login's default name
        return None  # perhaps a member of staff: computed, as every staff page
    try:
        index = getattr(search_engine(), "state", None)
        index = index() if index is not None else None
    except Exception:  # an index that cannot be read: the view computes, and says why as it always has
        return None
    if index is None:
        return None
    # A session that never begins: the token is read on a bare pooled connection.
    with Session(current_app.extensions["catalogue.db"].engine) as bare:
        token = changes.names_token(bare)
    return None if token is None else (index, token)
