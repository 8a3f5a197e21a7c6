"""Thin adapters over the two official clients, so the engine speaks one
small REST vocabulary (method, path, JSON body) to Elasticsearch and to
OpenSearch alike: the query DSL and the index APIs we use are the same.

Why raw requests rather than the typed helpers (``es.search(...)``): the
9.x ``elasticsearch`` client stamps every request with
``compatible-with=9``, which Elasticsearch 8 refuses, and the typed helpers
offer no way to change it. Elasticsearch honours REST API compatibility
headers one major back, so we ask the server its version once and send
``compatible-with=<server major>`` ourselves; the same code then works with
client 8 or 9 against server 8 or 9. The clients still do what they are
good at: connection pools, retries, TLS and authentication.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

# Bulk chunks: the clients' default of 500 actions, but at most 10 MB (the
# clients' default is 100 MB, beyond what Elastic advises for a request).
BULK_CHUNK = 500
BULK_CHUNK_BYTES = 10 * 2**20
BULK_RETRIES = 3
_PLAIN_MEDIA = re.compile(r"application/(json|x-ndjson)")


class SearchServerError(Exception):
    """The search server answered with an error, or could not be reached.
    ``status`` is the HTTP status (None when unreachable)."""

    def __init__(self, status: int | None, message: str):
        super().__init__(f"{status or 'unreachable'}: {message}")
        self.status = status


class Transport(Protocol):
    """What the engine needs of a client: one JSON request, and a bulk request."""

    def request(self, method: str, path: str, body: Any = None, *, params: Mapping[str, str] | None = None,
                missing_ok: bool = False) -> dict | None: ...

    def bulk(self, lines: Iterable[dict], *, params: Mapping[str, str] | None = None) -> dict: ...

    def streaming_bulk(self, actions: Iterable[dict], *, refresh: str) -> Iterator[tuple[bool, dict]]:
        """The client's ``helpers.streaming_bulk``: actions in its format
        ({"_op_type", "_index", "_id", "_source"}) sent in chunks of
        BULK_CHUNK actions or BULK_CHUNK_BYTES, a chunk refused with 429
        (the cluster is busy) retried with a growing pause. Yields (ok,
        {action: result}) per action."""
        ...

    def exists(self, path: str) -> bool:
        """HEAD path: True on 2xx, False on 404."""
        ...

    def close(self) -> None: ...


def ndjson(lines: Iterable[dict]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines)


class ElasticsearchTransport(Transport):
    def __init__(self, url: str, **options):
        from elasticsearch import Elasticsearch

        self.client = Elasticsearch(url, **options)
        self._major: int | None = None

    def _headers(self, content: str | None) -> dict[str, str]:
        if self._major is None:
            # compatible-with=8 is understood by Elasticsearch 8 and 9 alike.
            info = self._send("GET", "/", None, None, self._media(8), None)
            number = str(info["version"]["number"])
            self._major = max(8, int(number.split(".")[0]))
        media = self._media(self._major)
        headers = {"accept": media % "json"}
        if content:
            headers["content-type"] = media % content
        return headers

    @staticmethod
    def _media(major: int) -> str:
        return "application/vnd.elasticsearch+%s; compatible-with=" + str(major)

    def _send(self, method, path, body, params, media_or_headers, missing_ok):
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        headers = ({"accept": media_or_headers % "json"} if isinstance(media_or_headers, str)
                   else media_or_headers)
        try:
            return self.client.perform_request(method, path, params=params, headers=headers, body=body).body
        except ApiError as error:
            if missing_ok and error.meta.status == 404:
                return None
            raise SearchServerError(error.meta.status, str(error.body)[:500]) from error
        except TransportError as error:
            raise SearchServerError(None, str(error)) from error

    def request(self, method, path, body=None, *, params=None, missing_ok=False):
        headers = self._headers("json" if body is not None else None)
        return self._send(method, path, body, params, headers, missing_ok)

    def bulk(self, lines, *, params=None):
        return self._send("POST", "/_bulk", ndjson(lines), params, self._headers("x-ndjson"), False)

    def exists(self, path):
        # the client answers HEAD with a boolean body (no error on 404)
        return bool(self._send("HEAD", path, None, None, self._headers(None), True))

    def streaming_bulk(self, actions, *, refresh):
        from elastic_transport import TransportError
        from elasticsearch import ApiError, helpers

        self._headers(None)  # the server's major version, once
        try:
            yield from helpers.streaming_bulk(
                self._helper_client(), actions, chunk_size=BULK_CHUNK, max_chunk_bytes=BULK_CHUNK_BYTES,
                raise_on_error=False, max_retries=BULK_RETRIES, initial_backoff=1, refresh=refresh)
        except ApiError as error:
            raise SearchServerError(error.meta.status, str(error.body)[:500]) from error
        except TransportError as error:
            raise SearchServerError(None, str(error)) from error

    def _helper_client(self):
        """The client for ``elasticsearch.helpers``, whose typed ``bulk`` would
        stamp compatible-with=<client major>: its requests say the server's."""
        media = self._media(self._major)

        class Compatible(type(self.client)):  # options() copies keep the class
            def perform_request(self, method, path, *, headers=None, **kwargs):
                if headers:
                    headers = {name: _PLAIN_MEDIA.sub(lambda found: media % found.group(1), value)
                               for name, value in headers.items()}
                return super().perform_request(method, path, headers=headers, **kwargs)

        return Compatible(_transport=self.client.transport)

    def close(self) -> None:
        self.client.close()


class OpenSearchTransport(Transport):
    def __init__(self, url: str, **options):
        from opensearchpy import OpenSearch

        self.client = OpenSearch(hosts=[url], **options)

    def _send(self, method, path, body, params, headers, missing_ok):
        from opensearchpy.exceptions import ConnectionError as Unreachable
        from opensearchpy.exceptions import TransportError

        try:
            return self.client.transport.perform_request(method, path, params=params, body=body,
                                                         headers=headers)
        except Unreachable as error:
            raise SearchServerError(None, str(error)) from error
        except TransportError as error:
            status = error.status_code if isinstance(error.status_code, int) else None
            if missing_ok and status == 404:
                return None
            raise SearchServerError(status, str(error.info)[:500]) from error

    def request(self, method, path, body=None, *, params=None, missing_ok=False):
        return self._send(method, path, body, params, None, missing_ok)

    def bulk(self, lines, *, params=None):
        return self._send("POST", "/_bulk", ndjson(lines), params,
                          {"content-type": "application/x-ndjson"}, False)

    def exists(self, path):
        # opensearch-py answers HEAD with True/False instead of raising on 404
        return bool(self._send("HEAD", path, None, None, None, True))

    def streaming_bulk(self, actions, *, refresh):
        from opensearchpy import helpers
        from opensearchpy.exceptions import ConnectionError as Unreachable
        from opensearchpy.exceptions import TransportError

        try:
            yield from helpers.streaming_bulk(
                self.client, actions, chunk_size=BULK_CHUNK, max_chunk_bytes=BULK_CHUNK_BYTES,
                raise_on_error=False, max_retries=BULK_RETRIES, initial_backoff=1, refresh=refresh)
        except Unreachable as error:
            raise SearchServerError(None, str(error)) from error
        except TransportError as error:
            status = error.status_code if isinstance(error.status_code, int) else None
            raise SearchServerError(status, str(error.info)[:500]) from error

    def close(self) -> None:
        self.client.close()


def make_transport(kind: str, url: str, **options) -> Transport:
    """``kind`` is "elasticsearch" or "opensearch"; options go to the client
    (``basic_auth``/``http_auth``, ``api_key``, ``ca_certs``, ``request_timeout``...)."""
    if kind == "opensearch":
        return OpenSearchTransport(url, **options)
    return ElasticsearchTransport(url, **options)
