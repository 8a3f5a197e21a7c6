"""A big load into Elasticsearch/OpenSearch: the clients' bulk helpers, in
chunks, refresh off during the load and restored after. Against noida-db
(tests.support.noida), and against a local HTTP server that answers as
Elasticsearch 8 to see what the real client sends."""
from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.elastic import make_engine
from search.elastic.clients import BULK_CHUNK
from search.engine import SearchRequest
from search.query import parse
from tests.support.noida import elasticsearch_url  # noqa: F401  (a fixture)


@pytest.fixture
def engine(elasticsearch_url):  # noqa: F811
    engine = make_engine(elasticsearch_url, f"test-{uuid.uuid4().hex[:12]}")
    engine.ensure_ready()
    yield engine
    engine.drop()
    engine.close()


def refresh_intervals(engine) -> list:
    names = engine._targets(engine.alias)
    answer = engine.transport.request("GET", f"/{engine.alias}/_settings")
    return [answer[name]["settings"]["index"].get("refresh_interval") for name in names]


def test_loading_turns_refresh_off_and_back(engine):
    engine.transport.request("PUT", f"/{engine.alias}/_settings", {"index": {"refresh_interval": "5s"}})
    with engine.loading():
        assert refresh_intervals(engine) == ["-1"]
        engine.index([{"id": n, "title": f"Métier {n}"} for n in range(1, 1202)])
    assert refresh_intervals(engine) == ["5s"]
    assert engine.count() == 1201  # refreshed at the end of the load
    assert engine.search(SearchRequest(parse("métier"), size=1)).total == 1201


def test_a_load_left_at_minus_one_goes_back_to_the_default(engine):
    engine.transport.request("PUT", f"/{engine.alias}/_settings", {"index": {"refresh_interval": "-1"}})
    with engine.loading():
        engine.index([{"id": 1, "title": "Seul"}])
    assert refresh_intervals(engine) in ([None], ["1s"])


class Recorder(BaseHTTPRequestHandler):
    """Answers as an Elasticsearch 8 server would, and keeps the bulk requests."""
    bulks: list = []

    def log_message(self, *args):
        pass

    def _answer(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/vnd.elasticsearch+json; compatible-with=8")
        self.send_header("x-elastic-product", "Elasticsearch")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._answer({"version": {"number": "8.15.0"}, "tagline": "You Know, for Search"})

    def do_POST(self):
        lines = self.rfile.read(int(self.headers["content-length"])).decode().splitlines()
        actions = [json.loads(line) for line in lines[::2]]
        type(self).bulks.append((self.headers["content-type"], self.path, len(actions)))
        self._answer({"errors": False, "items": [
            {next(iter(a)): {"status": 201, "_id": a[next(iter(a))]["_id"]}} for a in actions]})

    do_PUT = do_POST  # the client sends _bulk with either


def test_the_bulk_helper_speaks_the_servers_version_in_chunks():
    Recorder.bulks = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    engine = make_engine(f"http://127.0.0.1:{server.server_port}", "catalogue")
    try:
        assert engine._load("catalogue-new", ({"id": n, "title": f"T{n}"} for n in range(1, 1101))) == 1100
    finally:
        engine.close()
        server.shutdown()
    assert [count for _, _, count in Recorder.bulks] == [BULK_CHUNK, BULK_CHUNK, 100]
    assert {media for media, _, _ in Recorder.bulks} == {"application/vnd.elasticsearch+x-ndjson; compatible-with=8"}
    assert all("refresh=false" in path for _, path, _ in Recorder.bulks)
