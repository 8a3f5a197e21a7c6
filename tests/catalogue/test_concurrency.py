"""Two writers at once, with real threads and real transactions, on both databases.

SQLite serialises writers (WAL, ``BEGIN IMMEDIATE``, busy timeout): the second
waits for the first to commit, then sees its work. PostgreSQL lets both read;
the row lock and the version check (or the unique index for barcodes) decide.
Either way exactly one writer wins and the other gets a clean domain error.
"""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from catalogue.errors import DuplicateBarcode
from catalogue.models import Item, ItemUse, Record
from catalogue.services import ItemService, RecordService, UseService
from core.errors import VersionConflict
from tests.support.factories import make_item, make_record, make_token, make_user, record_data

JOIN_TIMEOUT = 30


# Helpers ---------------------------------------------------------------------
class Worker(threading.Thread):
    """Runs ``action`` in its own thread; keeps its result or its exception."""

    def __init__(self, action, barrier: threading.Barrier | None = None):
        super().__init__(daemon=True)
        self.action, self.barrier = action, barrier
        self.result = self.error = None

    def run(self):
        try:
            if self.barrier is not None:
                self.barrier.wait(timeout=JOIN_TIMEOUT)
            self.result = self.action()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            self.error = error

    def finish(self):
        self.join(JOIN_TIMEOUT)
        assert not self.is_alive(), "worker still blocked"
        return self


def race(*actions) -> list[Worker]:
    """Start every action at the same moment, each in its own thread."""
    barrier = threading.Barrier(len(actions))
    workers = [Worker(action, barrier) for action in actions]
    for worker in workers:
        worker.start()
    return [worker.finish() for worker in workers]


def update_title(db, record_id: int, title: str, version: int):
    def action():
        with db.transaction() as session:
            return RecordService(session).update(record_id, record_data(title=title), expected_version=version).id
    return action


def add_copy(db, record_id: int, barcode: str):
    def action():
        with db.transaction() as session:
            return ItemService(session).create(record_id, {"barcode": barcode}).id
    return action


def update_item(db, item_id: int, version: int, **data):
    def action():
        with db.transaction() as session:
            return ItemService(session).update(item_id, {"barcode": "CM1", **data}, expected_version=version).id
    return action


def stored_record(db, record_id: int) -> Record:
    with db.session() as session:
        return session.get(Record, record_id)


def stored_items(db, barcode: str) -> list[Item]:
    with db.session() as session:
        return list(session.scalars(select(Item).where(Item.barcode == barcode)))


def outcomes(workers: list[Worker]) -> tuple[list[Worker], list[Worker]]:
    for worker in workers:
        assert worker.error is None or isinstance(worker.error, (VersionConflict, DuplicateBarcode)), \
            repr(worker.error)
    return [w for w in workers if w.error is None], [w for w in workers if w.error is not None]


def hold_then_race(db, first, second) -> Worker:
    """``first(session)`` writes in a transaction kept open while ``second``
    starts in a thread and has to wait for it; then ``first`` commits."""
    session = db.session(write=True)
    try:
        first(session)
        session.flush()
        worker = Worker(second)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive(), f"the second writer did not wait: {worker.error!r}"
        session.commit()
    finally:
        session.close()
    return worker.finish()


# Records ---------------------------------------------------------------------
def test_same_version_saved_twice_at_once_one_wins(db):
    record = make_record(db)
    for round_, version in enumerate((1, 2, 3)):
        workers = race(update_title(db, record.id, f"A{round_}", version),
                       update_title(db, record.id, f"B{round_}", version))
        winners, losers = outcomes(workers)
        assert len(winners) == 1 and len(losers) == 1, [w.error for w in workers]
        assert isinstance(losers[0].error, VersionConflict)
        assert losers[0].error.current["version"] == version + 1
        stored = stored_record(db, record.id)
        assert stored.version == version + 1
        assert stored.title == ("A" if winners[0] is workers[0] else "B") + str(round_)


def test_a_writer_waiting_on_an_open_edit_gets_a_version_conflict(db):
    record = make_record(db)
    worker = hold_then_race(
        db,
        lambda session: RecordService(session).update(record.id, record_data(title="Premier"), expected_version=1),
        update_title(db, record.id, "Second", 1))
    assert isinstance(worker.error, VersionConflict), repr(worker.error)
    assert worker.error.current["title"] == "Premier"
    assert worker.error.submitted["title"] == "Second"
    stored = stored_record(db, record.id)
    assert (stored.title, stored.version) == ("Premier", 2)


def test_api_editors_racing_on_one_version(app, db):
    make_user(db)
    headers = {"Authorization": f"Bearer {make_token(db, 'doc')}"}
    record = make_record(db)
    assert app.test_client().get(f"/api/v1/records/{record.id}", headers=headers).status_code == 200

    def put(title):
        return lambda: app.test_client().put(f"/api/v1/records/{record.id}", headers=headers,
                                             json={**record_data(title=title), "version": 1})

    responses = [w.result for w in race(put("Alpha"), put("Beta"))]
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_data(as_text=True) for r in responses]
    [winner] = [r for r in responses if r.status_code == 200]
    [loser] = [r for r in responses if r.status_code == 409]
    assert loser.get_json()["error"]["code"] == "version_conflict"
    assert loser.get_json()["error"]["current"]["title"] == winner.get_json()["title"]
    assert stored_record(db, record.id).title == winner.get_json()["title"]


# Items -----------------------------------------------------------------------
def test_same_barcode_created_twice_at_once_one_wins(db):
    first = make_record(db)
    second = make_record(db, title="Autre", isbn=None)
    for n in range(3):
        workers = race(add_copy(db, first.id, f"CM{n}"), add_copy(db, second.id, f"CM{n}"))
        winners, losers = outcomes(workers)
        assert len(winners) == 1 and len(losers) == 1, [w.error for w in workers]
        assert isinstance(losers[0].error, DuplicateBarcode)
        assert list(losers[0].error.fields) == ["barcode"]
        [stored] = stored_items(db, f"CM{n}")
        assert stored.id == winners[0].result


def test_a_barcode_typed_while_another_clerk_saves_it_is_a_duplicate(db):
    record = make_record(db)
    worker = hold_then_race(db, lambda session: ItemService(session).create(record.id, {"barcode": "CM9"}),
                            add_copy(db, record.id, "CM9"))
    assert isinstance(worker.error, DuplicateBarcode), repr(worker.error)
    assert len(stored_items(db, "CM9")) == 1


def test_same_item_version_saved_twice_at_once_one_wins(db):
    record = make_record(db)
    item = make_item(db, record.id, "CM1")
    workers = race(update_item(db, item.id, 1, location="Salle A"), update_item(db, item.id, 1, location="Salle B"))
    winners, losers = outcomes(workers)
    assert len(winners) == 1 and isinstance(losers[0].error, VersionConflict), [w.error for w in workers]
    [stored] = stored_items(db, "CM1")
    assert stored.version == 2 and stored.location == ("Salle A" if winners[0] is workers[0] else "Salle B")


def test_an_item_edit_waiting_on_an_open_edit_gets_a_version_conflict(db):
    record = make_record(db)
    item = make_item(db, record.id, "CM1")
    worker = hold_then_race(
        db,
        lambda session: ItemService(session).update(item.id, {"barcode": "CM1", "location": "Salle A"},
                                                     expected_version=1),
        update_item(db, item.id, 1, location="Salle B"))
    assert isinstance(worker.error, VersionConflict), repr(worker.error)
    assert worker.error.current["location"] == "Salle A"
    [stored] = stored_items(db, "CM1")
    assert (stored.location, stored.version) == ("Salle A", 2)


def test_two_items_renamed_to_one_barcode_at_once(db):
    record = make_record(db)
    first = make_item(db, record.id, "CM1")
    second = make_item(db, record.id, "CM2")

    def rename(item_id):
        def action():
            with db.transaction() as session:
                return ItemService(session).update(item_id, {"barcode": "CM3"}, expected_version=1).id
        return action

    worker = hold_then_race(
        db, lambda session: ItemService(session).update(first.id, {"barcode": "CM3"}, expected_version=1),
        rename(second.id))
    assert isinstance(worker.error, DuplicateBarcode), repr(worker.error)
    assert [i.id for i in stored_items(db, "CM3")] == [first.id]
    assert [i.id for i in stored_items(db, "CM2")] == [second.id]


# Uses ------------------------------------------------------------------------
def test_concurrent_scans_of_one_item_are_all_counted(db):
    record = make_record(db)
    item = make_item(db, record.id, "CM1")

    def scan_five_times():
        for _ in range(5):
            with db.transaction() as session:
                [result] = UseService(session).record(["CM1"])
                assert result.ok

    workers = race(scan_five_times, scan_five_times, scan_five_times)
    assert [w.error for w in workers] == [None, None, None]
    [stored] = stored_items(db, "CM1")
    assert stored.use_count == 15
    assert stored.version == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ItemUse).where(ItemUse.item_id == item.id)) == 15


def test_a_scan_during_an_open_edit_does_not_make_it_conflict(db):
    record = make_record(db)
    item = make_item(db, record.id, "CM1")

    def scan():
        with db.transaction() as session:
            return UseService(session).record(["CM1"])[0].ok

    # The editor read version 1; a scan lands in another thread; the editor saves.
    worker = race(scan)[0]
    assert worker.error is None and worker.result is True
    update_item(db, item.id, 1, location="Présentoir")()
    [stored] = stored_items(db, "CM1")
    assert (stored.location, stored.version, stored.use_count) == ("Présentoir", 2, 1)
