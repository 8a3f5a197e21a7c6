"""A small thread-safe LRU for answers that are valid for one state of their
source: the key holds that state (an index's change sequence, a change
token), so a write anywhere makes older entries unreachable and nothing
has to be invalidated."""
from __future__ import annotations

import threading
from collections import OrderedDict

MISSING = object()


class LRU:
    def __init__(self, size: int):
        self.size = max(0, size)
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def lookup(self, key):
        """The answer kept under ``key``, or MISSING."""
        if not self.size:
            return MISSING
        with self._lock:
            found = self._entries.get(key, MISSING)
            if found is not MISSING:
                self._entries.move_to_end(key)
            return found

    def store(self, key, answer) -> None:
        if not self.size:
            return
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
