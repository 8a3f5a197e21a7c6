"""How long an address may be.

An address (path and query) longer than ``MAX_URL_BYTES`` answers 414, in
the API's JSON error shape under /api and as an error page elsewhere, like
every other error. ``catalogue serve`` lets gunicorn read request lines up
to 8 KB (its largest bounded limit, see ``cite.server``) so that the
application, not gunicorn's own plain page, answers; a request line beyond
that is refused by gunicorn before the application sees it. The body's limit
is Flask's MAX_CONTENT_LENGTH (CATALOGUE_MAX_REQUEST_KB).
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Flask, request
from werkzeug.exceptions import RequestURITooLarge

# gunicorn's own default limit on the request line was 4094 bytes: no
# address that worked before is refused now.
MAX_URL_BYTES = 4096


def target_length(environ: dict) -> int:
    """The request target's length in bytes, as the client sent it (percent-escapes
    counted as sent). gunicorn gives it whole in RAW_URI; other servers (and
    Werkzeug's test client) give the path there and the query apart."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(environ.get("PATH_INFO", ""))
    query = environ.get("QUERY_STRING", "")
    if query and "?" not in raw:
        raw = f"{raw}?{query}"
    return len(raw)


def _refuse_long_addresses():
    if target_length(request.environ) > MAX_URL_BYTES:
        raise RequestURITooLarge()


def init_app(app: Flask) -> None:
    # First of all: no other check (language, session, CSRF) reads a refused address.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_long_addresses)
