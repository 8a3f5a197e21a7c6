"""The standing garbage-input pass (issue 14): every public route and /oai,
given control characters, over-long values, numbers no row can have and odd
encodings (invalid or overlong UTF-8, NUL, direction marks, bad escapes) in
its path, its query arguments and its form fields, never answers 5xx.

The routes come from ``app.url_map``: a route is public when an anonymous
request is not sent to the login page (nor answered 401), so a new public
route is covered the day it exists. The argument names come from the code:
every ``request.args``/``request.form``/``request.values`` read and every
API query schema of the route's package, the OAI-PMH verbs with their
arguments, and the fields of each public form as its page shows them.

In-process (Flask's test client), on SQLite and PostgreSQL; then the raw
bytes the test client cannot send (non-ASCII and control bytes in the
request line, bad escapes, odd headers) against a real ``catalogue serve``.
"""
from __future__ import annotations

import functools
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from marshmallow import Schema
from sqlalchemy import select

from cite.demo import load_thesaurus
from cite.demo.portals import load_portals
from core.web.limits import MAX_URL_BYTES
from importers.oai.server import ARGUMENTS as OAI_ARGUMENTS
from search.engine import FACETS
from search.indexer import drain
from search.models import Portal
from tests.support.factories import make_item, make_record
from tests.support.live import live_server
from thesaurus.models import Concept, ConceptCollection

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "acquisitions", "catalogue", "cite", "core", "importers", "search", "thesaurus", "weeding")

# Already percent-encoded: sent as they are, in a path segment, a query value or a form field.
GARBAGE = [
    "", "%20", "%00", "a%00b", "%01%02%1F%7F", "%0D%0A", "%09", "%08%0B%0C",  # control characters
    "%FF", "%FE%FF", "%C0%AF", "%C0%80", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%F8%88%80%80%80",  # bad UTF-8
    "%EF%BF%BE", "%EF%BF%BF", "%EF%BB%BF", "%E2%80%AE", "%E2%80%8F", "%D8%A7%E2%80%8Fx",  # nonchars, BOM, RTL
    "%", "%G0", "%%", "%2", "%25", "%2525",  # escapes that are not
    "99999999999999999999", "-99999999999999999999", "1e309", "-1", "0", "NaN", "-Infinity", "0x10",
    "%D9%A3", "%EF%BC%91",  # an Arabic-Indic three and a fullwidth one
    "x" * 3000, "%C3%A9" * 500,  # long, under the address limit on their own
    "'", "%22unclosed", "<script>", "..%2F..%2Fetc%2Fpasswd", "*", "title%3A", "(", "AND", "%5B%5D", "%7B%7D",
]
OAI_IDENTIFIER = "oai:cite-des-metiers:record/"
READS = re.compile(r"""(?:args|form|values)(?:\.get|\.getlist)?[(\[]\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")


# The routes and their arguments ----------------------------------------------
@functools.cache
def names_read_by(package: str) -> frozenset[str]:
    """Query and form argument names the package's code reads."""
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        names |= set(READS.findall(path.read_text(encoding="utf-8")))
    return frozenset(names)


def api_query_names(app, endpoint: str) -> set[str]:
    """The query arguments an API endpoint documents (its webargs schemas)."""
    doc = getattr(app.view_functions[endpoint], "_apidoc", {})
    names = set()
    for parameter in doc.get("arguments", {}).get("parameters", []):
        schema = parameter["schema"]
        schema = schema() if isinstance(schema, type) else schema
        if parameter["in"] == "query" and isinstance(schema, Schema):
            names |= {field.data_key or name for name, field in schema.fields.items()}
    return names


def argument_names(app, rule) -> set[str]:
    """Every name the route's package reads, those its API schema documents,
    the search facets and the arguments every page takes."""
    package = app.view_functions[rule.endpoint].__module__.split(".")[0]
    names = names_read_by(package) if package in PACKAGES else set()
    return names | api_query_names(app, rule.endpoint) | set(FACETS) | {"lang", "page", "q"}


def fill(rule, values: dict, override: dict | None = None) -> str:
    """The rule's address with each variable given (already encoded): from
    ``override``, else ``values``, else one its converter takes."""
    path = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name]
        fallback = sorted(converter.items)[0] if hasattr(converter, "items") else "1"  # <any(apply, reject):...>
        value = (override or {}).get(name, values.get(name, fallback))
        path = re.sub(rf"<(?:[^<>]+:)?{name}>", lambda _: value, path)
    return path


def refused_to_visitors(response) -> bool:
    """Asked for a token (the API's 401), or sent to log in first (Flask-Login's
    redirect, with ``next``). A failed login's own 401 is the login page's answer."""
    location = urlsplit(response.headers.get("Location", ""))
    return "WWW-Authenticate" in response.headers or (
        response.status_code in (301, 302, 303) and location.path.endswith("/login") and "next=" in location.query)


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def public_routes(app, client, values: dict) -> list[tuple]:
    """(rule, method) of every route a visitor may reach."""
    token = csrf_token(client)
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                probe = client.get(fill(rule, values))
            else:
                probe = client.open(fill(rule, values), method=method, data={"csrf_token": token})
            if not refused_to_visitors(probe):
                found.append((rule, method))
    return found


def form_fields(client, path: str) -> set[str]:
    """The names of the fields the page at ``path`` shows, but its CSRF token."""
    page = client.get(path)
    if page.status_code != 200 or page.mimetype != "text/html":
        return set()
    return set(re.findall(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"', page.get_data(as_text=True))) - {
        "csrf_token"}


# Seeds -----------------------------------------------------------------------
@pytest.fixture
def seeded(app, db):
    """A little of everything a public page shows: works with items, the demo
    thesaurus (concepts, collections) and the demo portals."""
    record = make_record(db)
    make_item(db, record.id, "CM1")
    make_record(db, title="Quelles études après le bac ?", isbn=None, poles=["orientation"])
    with db.transaction() as session:
        load_thesaurus(session)
        load_portals(session)
    drain(db, app.extensions["catalogue.search"])
    with db.session() as session:
        concept = session.scalars(select(Concept.id).order_by(Concept.id)).first()
        collection = session.scalars(select(ConceptCollection.id).order_by(ConceptCollection.id)).first()
        slug = session.scalars(select(Portal.slug).order_by(Portal.id)).first()
    return {"record_id": str(record.id), "concept_id": str(concept), "collection_id": str(collection),
            "slug": slug, "filename": "style.css"}


def check(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:2000])


# In-process ------------------------------------------------------------------
def test_public_routes_are_found(app, client, seeded):
    found = {(rule.rule, method) for rule, method in public_routes(app, client, seeded)}
    for expected in (("/", "GET"), ("/recherche", "GET"), ("/notices/<int:record_id>", "GET"),
                     ("/portails/<slug>", "GET"), ("/kiosque/<slug>", "GET"), ("/thesaurus/", "GET"),
                     ("/thesaurus/concepts/<int:concept_id>", "GET"), ("/oai", "GET"), ("/oai", "POST"),
                     ("/healthz", "GET"), ("/login", "POST"), ("/api/v1/search", "GET")):
        assert expected in found, expected
    assert not any(path.startswith("/staff") for path, _ in found), found
    assert ("/api/v1/records", "GET") not in found


def test_garbage_in_paths(app, client, seeded):
    for rule, method in public_routes(app, client, seeded):
        if method != "GET":
            continue
        for name in rule.arguments:
            for value in GARBAGE:
                path = fill(rule, seeded, {name: value or "%20"})
                check(client.get(path), path)


def test_garbage_in_query_arguments(app, client, seeded):
    for rule, method in public_routes(app, client, seeded):
        if method != "GET":
            continue
        path, names = fill(rule, seeded), sorted(argument_names(app, rule))
        for value in GARBAGE:
            together = "&".join(f"{name}={value}" for name in names)
            if len(path) + len(together) < MAX_URL_BYTES:
                response = client.get(f"{path}?{together}")
                check(response, f"{path}?{together}")
                if response.status_code < 400:
                    continue
            # Refused (or too long) together: one at a time, lest one argument hide another.
            for name in names:
                check(client.get(f"{path}?{name}={value}"), f"{path}?{name}={value}")


def test_garbage_in_form_fields(app, client, seeded):
    token = csrf_token(client)
    for rule, method in public_routes(app, client, seeded):
        if method != "POST":
            continue
        path = fill(rule, seeded)
        names = form_fields(client, path) or argument_names(app, rule)
        for value in GARBAGE:
            body = "&".join([f"csrf_token={token}", *(f"{name}={value}" for name in sorted(names))])
            response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
            check(response, f"POST {path} {body[:200]}")


def test_garbage_in_every_oai_argument(client, seeded):
    base = {"metadataPrefix": "oai_dc", "identifier": f"{OAI_IDENTIFIER}{seeded['record_id']}"}
    for value in GARBAGE:
        check(client.get(f"/oai?verb={value}"), f"verb={value}")
        for verb, (required, optional) in OAI_ARGUMENTS.items():
            for name in sorted(required | optional | {"resumptionToken"}):
                args = {key: base[key] for key in required if key != name}
                query = "&".join([f"verb={verb}", *(f"{k}={v}" for k, v in args.items()), f"{name}={value}"])
                check(client.get(f"/oai?{query}"), query)
                response = client.post("/oai", data=query, content_type="application/x-www-form-urlencoded")
                check(response, f"POST {query}")


def test_an_address_too_long_is_refused_everywhere(app, client, seeded):
    for rule, method in public_routes(app, client, seeded):
        if method != "GET":
            continue
        path = fill(rule, seeded)
        response = client.get(f"{path}?q={'x' * MAX_URL_BYTES}")
        assert response.status_code == 414, path


# A real server, raw bytes ----------------------------------------------------
RAW_TARGETS = [
    b"/notices/\xff", b"/notices/\xd9\xa3", b"/recherche?q=\xff\xfe", b"/recherche?q=\xc0\xaf\xed\xa0\x80",
    b"/recherche?q=%ZZ", b"/recherche?q=%", b"/recherche?q=\xe2\x80\xae\xe2\x80\x8f", b"/%ff%fe",
    b"/portails/\xe2\x80\xae", b"/kiosque/\xff", b"/thesaurus/concepts/99999999999999999999",
    b"/thesaurus/search?q=\xf4\x90\x80\x80", b"/oai?verb=Identify&\xc0\xaf=1", b"/oai?verb=\xff",
    b"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=\xff", b"/static/../cite/__init__.py",
    b"/static/%2e%2e/cite/__init__.py", b"//recherche", b"/./recherche", b"/recherche?q=a\tb",
    b"/recherche?q=\x7f", b"/recherche?q=\x00", b"/api/v1/search?q=\xff", b"/api/v1/search?size=\xd9\xa3",
    b"/recherche?q=" + b"x" * (MAX_URL_BYTES + 10), b"/api/v1/search?q=" + b"x" * (MAX_URL_BYTES + 10),
    b"/recherche?q=" + b"x" * 9000,
]
RAW_HEADERS = [
    b"Accept-Language: \xff\xfe", b"Accept-Language: fr;q=NaN, en;q=1e309", b"Accept-Language: " + b"x," * 400,
    b"Cookie: session=\xff; lang=%00", b"If-Modified-Since: yesterday", b"Authorization: Bearer \xff\x00",
    b"Content-Type: application/json; charset=\xff",
]


def raw_request(base_url: str, request: bytes) -> bytes:
    """Send bytes as they are; return the status line (empty if the connection closed without one)."""
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_raw_bytes_against_a_real_server(backend, database_url, tmp_path):
    if backend != "sqlite":
        pytest.skip("the bytes reach the same code on both backends; the in-process pass covers PostgreSQL")
    requests = [b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                for target in RAW_TARGETS]
    requests += [b"GET /recherche?q=emploi HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header
                 + b"\r\nConnection: close\r\n\r\n" for header in RAW_HEADERS]
    form = b"verb=\xff\x00&set=\xc0\xaf%&identifier=\xe2\x80\xae"
    requests.append(b"POST /oai HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(form), form))
    with live_server(database_url, tmp_path / "server") as base_url:
        for request in requests:
            status = raw_request(base_url, request)
            assert re.fullmatch(rb"HTTP/1\.[01] [1-4]\d\d .*", status), (request[:200], status)
