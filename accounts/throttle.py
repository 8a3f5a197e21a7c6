"""Slowing password guessing down without handing anyone a way to lock a
colleague out.

Counted in this process's memory only, never stored (the users' charter:
nothing is kept about who a visitor is), and forgotten after
``WINDOW`` seconds:

- per client (its address): after ``FREE`` failures, each further attempt
  waits twice as long as the one before, up to ``WINDOW``;
- per client and account: after ``PAIR_LIMIT`` failures that client may
  not try that account again for ``WINDOW`` seconds (unless the password is
  changed meanwhile); the account's owner, from any other client, still can.

The account itself locks only after many failures from anywhere
(``accounts.services.accounts.MAX_FAILED_LOGINS``): a distributed attack,
not one person's typing. Under several server processes each keeps its own
counts, so a client may make a few more attempts than these limits.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

FREE = 10          # failures from one client before it is slowed down
PAIR_LIMIT = 5     # failures from one client on one account before that pair waits
WINDOW = 15 * 60   # seconds a count is kept, and the longest wait
MAX_ENTRIES = 10_000


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0
    locked_at: dt.datetime | None = None  # wall time the pair's lock began


class LoginThrottle:
    def __init__(self, clock=time.monotonic, wall=lambda: dt.datetime.now(dt.timezone.utc)):
        self.clock, self.wall = clock, wall
        self._clients: dict[str, _Count] = {}
        self._pairs: dict[tuple[str, str], _Count] = {}
        self._lock = threading.Lock()

    def wait(self, client: str, username: str, *, password_changed_at: dt.datetime | None = None
             ) -> tuple[int, bool]:
        """(seconds before ``client`` may try ``username`` again, whether
        because that pair is locked); (0, False) when it may now."""
        now = self.clock()
        with self._lock:
            self._forget(now)
            pair = self._pairs.get((client, _key(username)))
            if pair is not None and pair.failures >= PAIR_LIMIT:
                changed = password_changed_at is not None and pair.locked_at is not None and (
                    _aware(password_changed_at) > pair.locked_at)
                if changed:  # a new password ends the lock its guessing earned
                    del self._pairs[(client, _key(username))]
                else:
                    return max(1, int(pair.last + WINDOW - now)), True
            count = self._clients.get(client)
            if count is not None and count.failures >= FREE:
                delay = min(WINDOW, 2 ** (count.failures - FREE))
                if now < count.last + delay:
                    return max(1, int(count.last + delay - now + 0.999)), False
        return 0, False

    def failed(self, client: str, username: str) -> None:
        now = self.clock()
        with self._lock:
            for table, key in ((self._clients, client), (self._pairs, (client, _key(username)))):
                count = table.setdefault(key, _Count())
                count.failures += 1
                count.last = now
            pair = self._pairs[(client, _key(username))]
            if pair.failures == PAIR_LIMIT:
                pair.locked_at = self.wall()

    def succeeded(self, client: str, username: str) -> None:
        with self._lock:
            self._pairs.pop((client, _key(username)), None)
            self._clients.pop(client, None)

    def _forget(self, now: float) -> None:
        """Drop what is older than the window; past MAX_ENTRIES, the oldest first."""
        for table in (self._clients, self._pairs):
            stale = [key for key, count in table.items() if now - count.last > WINDOW]
            for key in stale:
                del table[key]
            if len(table) > MAX_ENTRIES:
                for key, _ in sorted(table.items(), key=lambda item: item[1].last)[:len(table) - MAX_ENTRIES]:
                    del table[key]


def _key(username: str | None) -> str:
    return (username or "").strip().casefold()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
