"""The Elasticsearch / OpenSearch engine (search.engine.SearchEngine).

Searches and writes go through an alias (``index_name``), never a concrete
index: ``rebuild`` loads a new timestamped index while visitors keep
searching the old one, then moves the alias in one atomic ``_aliases``
call and drops the old index.

While a rebuild loads, the new index also carries the alias
``<index_name>-building``, and ``index``/``delete`` (from any process)
write there too, so changes made during a long rebuild are not lost at the
swap. The rebuild loads with ``op_type=create``: a document written live
meanwhile is newer than the rebuild's copy and is kept. (A record deleted
live before the rebuild reaches it can come back; the outbox's next change
to it, or the next reindex, removes it.)
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from search.elastic import dsl, schema, suggest
from search.elastic.clients import SearchServerError, Transport
from search.engine import Completion, SearchRequest, SearchResult


class ElasticEngine:
    """``refresh``: how writes become visible. "wait_for" (default) returns
    once a search would see them, without forcing refreshes; "true" forces
    one (tests, tiny catalogues); "false" leaves it to the refresh interval."""

    def __init__(self, transport: Transport, index_name: str = "catalogue", *, name: str = "elasticsearch",
                 refresh: str = "wait_for"):
        self.transport = transport
        self.alias = index_name
        self.name = name
        self.refresh = refresh

    # -- index lifecycle ---------------------------------------------------

    def ensure_ready(self) -> None:
        if self.transport.exists(f"/{self.alias}"):
            return
        body = schema.index_body()
        body["aliases"] = {self.alias: {}}
        self.transport.request("PUT", f"/{self._new_name()}", body)

    def rebuild(self, documents: Iterable[dict]) -> int:
        new = self._new_name()
        body = schema.index_body(loading=True)
        body["aliases"] = {self.building: {}}
        self.transport.request("PUT", f"/{new}", body)
        try:
            count = self._load(new, documents)
            self.transport.request("PUT", f"/{new}/_settings", schema.LIVE_SETTINGS)
            self.transport.request("POST", f"/{new}/_refresh")
            old = self._targets(self.alias)
            actions = [{"add": {"index": new, "alias": self.alias}},
                       {"remove": {"index": new, "alias": self.building}}]
            if old is None and self._is_concrete_index():
                # a plain index squats the name: replace it in the same atomic call
                actions.insert(0, {"remove_index": {"index": self.alias}})
            actions[0:0] = [{"remove": {"index": name, "alias": self.alias}} for name in old or []]
            self.transport.request("POST", "/_aliases", {"actions": actions})
        except BaseException:
            self.transport.request("DELETE", f"/{new}", missing_ok=True)
            raise
        for name in old or []:
            self.transport.request("DELETE", f"/{name}", missing_ok=True)
        return count

    def _load(self, index: str, documents: Iterable[dict]) -> int:
        count = 0

        def actions():
            nonlocal count
            for document in documents:
                count += 1
                yield _action("create", index, document)

        self._send(actions(), refresh="false")
        return count

    def _new_name(self) -> str:
        # sortable and unique enough: a rebuild takes far longer than a microsecond
        return f"{self.alias}-{datetime.now(timezone.utc):%Y%m%d%H%M%S%f}"

    @property
    def building(self) -> str:
        return f"{self.alias}-building"

    def _targets(self, alias: str) -> list[str] | None:
        """The indexes behind an alias, None if there is no such alias."""
        answer = self.transport.request("GET", f"/_alias/{alias}", missing_ok=True)
        return sorted(answer) if answer else None

    def drop(self) -> None:
        """Delete every index behind the alias (tests, decommissioning)."""
        for name in (self._targets(self.alias) or []) + (self._targets(self.building) or []):
            self.transport.request("DELETE", f"/{name}", missing_ok=True)

    def _is_concrete_index(self) -> bool:
        return self.transport.exists(f"/{self.alias}")

    # -- writes ------------------------------------------------------------

    def index(self, documents: Sequence[dict]) -> None:
        self._write(list(documents), [])

    def delete(self, ids: Sequence[int]) -> None:
        self._write([], list(ids))

    def _write(self, documents: list[dict], ids: list[int]) -> None:
        if not documents and not ids:
            return
        # a rebuild's index refreshes at the end of the load: no refresh wait there
        building = self._targets(self.building) or []
        targets = [(self.alias, self.refresh)] + [(name, "false") for name in building]
        for index, refresh in targets:
            actions = [_action("index", index, document) for document in documents]
            actions += [{"_op_type": "delete", "_index": index, "_id": str(i)} for i in ids]
            self._send(actions, refresh=refresh)

    def _send(self, actions: Iterable[dict], *, refresh: str) -> None:
        """Through the client's bulk helper; raise if an action failed (but
        for the harmless failures)."""
        failed = [item for ok, item in self.transport.streaming_bulk(actions, refresh=refresh) if not ok
                  for action, result in item.items() if not _harmless(action, result)]
        if failed:
            raise SearchServerError(400, f"{len(failed)} bulk actions failed, first: {failed[0]}")

    @contextlib.contextmanager
    def loading(self):
        """For a big drain (search.indexer): the live index stops refreshing
        while it loads, writes wait for no refresh, and one refresh at the end
        shows it all. The interval set before is put back; "-1" found there is
        a concurrent load's, put back to the server's default."""
        names = self._targets(self.alias) or []
        saved = {}
        for name in names:
            answer = self.transport.request("GET", f"/{name}/_settings/index.refresh_interval") or {}
            value = answer.get(name, {}).get("settings", {}).get("index", {}).get("refresh_interval")
            saved[name] = None if value == "-1" else value
            self.transport.request("PUT", f"/{name}/_settings", {"index": {"refresh_interval": "-1"}})
        refresh, self.refresh = self.refresh, "false"
        try:
            yield
        finally:
            self.refresh = refresh
            for name in names:
                self.transport.request("PUT", f"/{name}/_settings", {"index": {"refresh_interval": saved[name]}},
                                       missing_ok=True)
                self.transport.request("POST", f"/{name}/_refresh", missing_ok=True)

    # -- reads -------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        answer = self.transport.request("POST", f"/{self.alias}/_search", dsl.search_body(request))
        return dsl.search_result(answer, request)

    def complete(self, prefix: str, *, size: int = 8) -> list[Completion]:
        if not prefix.strip() or size <= 0:
            return []
        body = suggest.completion_body(prefix, size)
        answer = self.transport.request("POST", f"/{self.alias}/_search", body)
        return suggest.completions(answer, size)

    def spelling(self, text: str) -> str | None:
        words = suggest.spelling_words(text)
        if not words:
            return None
        answer = self.transport.request("POST", f"/{self.alias}/_search", suggest.spelling_body(words))
        return suggest.spelling_answer(text, words, answer)

    def count(self) -> int:
        return int(self.transport.request("GET", f"/{self.alias}/_count")["count"])

    def warm(self) -> None:
        """Nothing to load: the cluster keeps its own caches."""

    def close(self) -> None:
        self.transport.close()


def _action(op: str, index: str, document: dict) -> dict:
    return {"_op_type": op, "_index": index, "_id": str(document["id"]), "_source": schema.source(document)}


def _harmless(action: str, result: dict) -> bool:
    # deleting an absent document; a rebuild's "create" losing to a live write
    status = result.get("status")
    return (action == "delete" and status == 404) or (action == "create" and status == 409)
