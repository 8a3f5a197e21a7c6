"""HTTP for the harvester: one attempt per call, with the standard library.

Failures worth retrying (connection errors, timeouts, 408, 429 and 5xx,
with the server's Retry-After when it gives one) raise TransientError;
the others raise FetchError. The harvester owns the retry loop.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from core import __version__

USER_AGENT = f"cite-catalogue/{__version__} (OAI-PMH harvester; Python urllib)"
RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}
MAX_BODY = 256 * 1024 * 1024  # a larger "page" is a broken server, not a catalogue


class FetchError(Exception):
    """A failure that retrying will not fix (e.g. 404)."""


class TransientError(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 2.0  # seconds before the second attempt, doubled each time
    max_delay: float = 300.0  # cap, also on a server's Retry-After

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        wanted = retry_after if retry_after is not None else self.base_delay * 2 ** (attempt - 1)
        return max(0.0, min(wanted, self.max_delay))

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(seconds)


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (moment - now).total_seconds())


class HttpFetch:
    def __init__(self, *, timeout: float = 60.0, user_agent: str = USER_AGENT):
        self.timeout = timeout
        self.user_agent = user_agent

    def __call__(self, url: str) -> bytes:
        try:
            request = urllib.request.Request(url, headers={
                "User-Agent": self.user_agent, "Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"})
        except ValueError as error:  # not an http(s) URL
            raise FetchError(str(error)) from None
        if request.type not in ("http", "https"):
            raise FetchError(f"{url!r} is not an http or https address")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BODY + 1)
        except urllib.error.HTTPError as error:
            message = f"HTTP {error.code} {error.reason}"
            if error.code in RETRYABLE_STATUS:
                raise TransientError(message, retry_after(error.headers.get("Retry-After"))) from None
            raise FetchError(message) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise TransientError(f"connection failed: {reason}") from None
        if len(body) > MAX_BODY:
            raise FetchError(f"the response is larger than {MAX_BODY // (1024 * 1024)} MB")
        return body
