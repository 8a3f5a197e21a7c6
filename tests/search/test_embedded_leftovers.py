"""What a rebuild killed midway leaves (a generation never linked, maybe
gigabytes) is deleted when the index is next opened or rebuilt, never while
a rebuild may be writing it (issue 14, finding 5)."""
from __future__ import annotations

import threading

from search.embedded import EmbeddedEngine
from tests.search.corpus import DOCUMENTS


def test_a_killed_rebuilds_partial_generation_goes_at_the_next_start(tmp_path):
    path = tmp_path / "search.db"
    first = EmbeddedEngine(path)
    first.rebuild(DOCUMENTS)
    current = first.store.target()
    partial = path.with_name(f"{path.name}.{10 ** 19}")  # as a killed rebuild leaves it
    partial.write_bytes(b"\0" * 4096)
    path.with_name(partial.name + "-journal").write_bytes(b"\0")

    again = EmbeddedEngine(path)  # a new process starting
    again.ensure_ready()

    assert not partial.exists() and not path.with_name(partial.name + "-journal").exists()
    assert again.store.target() == current and current.exists()
    assert again.count() == len(DOCUMENTS)


def test_a_generation_being_written_is_left_alone(tmp_path):
    path = tmp_path / "search.db"
    EmbeddedEngine(path).ensure_ready()
    writing = path.with_name(f"{path.name}.{10 ** 19}")
    holder = EmbeddedEngine(path)
    held, release = threading.Event(), threading.Event()

    def rebuild_in_progress():
        with holder.store.write_lock():
            writing.write_bytes(b"\0" * 4096)
            held.set()
            release.wait(10)

    thread = threading.Thread(target=rebuild_in_progress)
    thread.start()
    try:
        held.wait(10)
        EmbeddedEngine(path).ensure_ready()
        assert writing.exists()
    finally:
        release.set()
        thread.join()
