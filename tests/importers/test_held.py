"""Updates from another source that would change a work's title or main author
are held for review, never applied blindly: counted, listed on the run's
page, in the API and the CLI, applied or rejected with who, when and why."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pymarc import Field, MARCReader, Subfield
from sqlalchemy import select

from catalogue.identifiers import InvalidIdentifier, normalise_isbn
from catalogue.matchkey import title_words
from catalogue.models import Record
from catalogue.services import RecordService
from catalogue.services.snapshots import record_fields
from cite.cli import main
from core.audit import AuditEvent
from core.errors import ValidationFailed, VersionConflict
from core.outbox import ReindexRequest
from importers.errors import AlreadyDecided
from importers.marc.held import same_person, same_title
from importers.marc.runner import import_file
from importers.models import ImportHeld, ImportRun
from importers.services.held import HeldService
from importers.services.imports import ImportService
from tests.importers.test_import_service import book, df, raws
from tests.support.api import assert_error, bearer
from tests.support.factories import csrf_token, login, make_record, make_user, record_data

ISBN = "9782070360246"


def run(db, *marcs, source: str) -> tuple[list[str], ImportRun]:
    """Import ``marcs`` from ``source``; the outcomes and the finished run (detached)."""
    with db.transaction() as session:
        service = ImportService(session)
        import_run = service.start_run(source=source, location="test")
        outcomes = service.import_batch(import_run, raws(*marcs))
        service.finish_run(import_run)
        session.expunge(import_run)
    assert_adds_up(import_run)
    return outcomes, import_run


def assert_adds_up(counts) -> None:
    get = counts.get if isinstance(counts, dict) else lambda name: getattr(counts, name)
    assert get("read") == sum(get(n) for n in ("created", "updated", "unchanged", "held", "rejected"))


def snapshot(db, record_id: int) -> dict:
    with db.session() as session:
        record = session.get(Record, record_id)
        return {**record_fields(record), "version": record.version, "source": record.source,
                "updated_at": record.updated_at}


def only(db, **where) -> Record:
    with db.session() as session:
        return session.scalars(select(Record).filter_by(**where)).one()


def held_rows(db, run_id: int) -> list[ImportHeld]:
    with db.session() as session:
        return session.scalars(select(ImportHeld).where(ImportHeld.run_id == run_id)
                               .order_by(ImportHeld.position)).all()


def user(db, username="bib", role="librarian"):
    return make_user(db, username, role)


# What is held, what is not ------------------------------------------------------
def test_another_sources_record_changing_the_title_through_an_isbn_is_held(db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN, items=["A-1"]), source="library-a")
    work = only(db, source_id="A1")
    before = snapshot(db, work.id)
    outcomes, import_run = run(db, book("B7", "Manuel de chimie organique", isbn=ISBN, items=["B-1"]),
                               source="library-b")
    assert outcomes == ["held"]
    assert (import_run.read, import_run.updated, import_run.held) == (1, 0, 1)
    assert snapshot(db, work.id) == before  # nothing applied: not the title, not the copy
    [held] = held_rows(db, import_run.id)
    assert (held.record_id, held.record_version, held.rule, held.state) == (work.id, 1, "isbn", "held")
    assert (held.old_title, held.new_title) == ("Créer son entreprise", "Manuel de chimie organique")
    assert held.old_author == held.new_author == "Martin, Léa"
    assert held.raw_marc.startswith(b"00") and held.data["source_id"] == "B7"
    assert [i["barcode"] for i in held.data["items"]] == ["B-1"]


def test_a_work_catalogued_here_is_held_too_and_a_new_main_author_as_well(db):
    local = make_record(db, title="Réussir son entretien", isbn=ISBN)
    run(db, book("A1", "Guide des métiers", author="Durand, Éric", year="2019"), source="library-a")
    outcomes, import_run = run(
        db, book("B1", "Un tout autre livre", isbn="978-2-07-036024-6"),
        book("B2", "Guide des métiers", author="Lefèvre, Anne", year="2019", isbn="9780306406157"),
        source="library-b")
    # B2 finds nothing by ISBN and its match key names another author: a new work.
    assert outcomes == ["held", "created"] and import_run.held == 1
    assert only(db, id=local.id).title == "Réussir son entretien" and only(db, id=local.id).source is None
    outcomes, _ = run(db, book("C1", "Guide des métiers", author="Lefèvre, Anne", year="2019",
                               isbn="9780306406157"),
                      source="library-c")
    # Through the ISBN of library-b's work, with the same title and author: an update.
    assert outcomes == ["unchanged"]


def test_same_source_updates_and_enrichments_are_applied_as_before(db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN, author="Durand, Éric"), source="library-a")
    # The record's own source may retitle it.
    assert run(db, book("A1", "Créer et reprendre une entreprise", isbn=ISBN, author="Durand, Éric"),
               source="library-a")[0] == ["updated"]
    # Another source that only adds, or writes the same title and author differently, updates it.
    summary = df("520", "  ", ("a", "Les étapes de la création."))
    outcomes, import_run = run(db, book("B1", "CRÉER ET REPRENDRE UNE ENTREPRISE /", isbn=ISBN,
                                        author="Durand, E.", extra=[summary]), source="library-b")
    assert outcomes == ["updated"] and import_run.held == 0
    work = only(db, source_id="A1")
    assert work.summary == "Les étapes de la création." and work.source == "library-a"


@pytest.mark.parametrize("a, b, same", [
    ("Le Guide des métiers !", "guide des METIERS", True),
    ("Créer son entreprise : guide pratique", "Créer son entreprise guide pratique.", True),
    ("Créer son entreprise", "Manuel de chimie", False),
])
def test_titles_compare_without_case_accents_punctuation_or_articles(a, b, same):
    assert same_title(a, b) is same


@pytest.mark.parametrize("a, b, same", [
    ("Durand, Éric", "Durand, E.", True),
    ("Smith, John, 1950-", "John Smith", True),
    ("Martin, Léa", None, True),
    ("Martin, Léa", "Martin, Paul", False),
    ("Martin, Léa", "Dupont, Léa", False),
    ("UNESCO", "Unesco.", True),
])
def test_main_authors_compare_by_surname_and_initial(a, b, same):
    assert same_person(a, b) is same


def test_a_dry_run_counts_held_updates_and_keeps_none(db, tmp_path):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), source="library-a")
    path = tmp_path / "b.mrc"
    path.write_bytes(book("B1", "Manuel de chimie", isbn=ISBN).as_marc())
    report = import_file(db, path, source="library-b", dry_run=True)
    assert (report.read, report.held, report.updated) == (1, 1, 0)
    assert held_rows(db, report.run) == []


# Deciding -----------------------------------------------------------------------
def held_one(db, title="Manuel de chimie", number="B1", isbn=ISBN, source="library-b") -> ImportHeld:
    _, import_run = run(db, book(number, title, isbn=isbn), source=source)
    [held] = held_rows(db, import_run.id)
    return held


def test_applying_updates_the_work_audited_and_queued_for_the_index(db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN, items=["A-1"]), source="library-a")
    held = held_one(db)
    librarian = user(db)
    with db.transaction() as session:
        session.query(ReindexRequest).delete()
        decided, outcome = HeldService(session, librarian).apply(held.run_id, held.id, reason="Bon ISBN")
        assert outcome == "updated"
    work = only(db, id=held.record_id)
    assert (work.title, work.version, work.source) == ("Manuel de chimie", 2, "library-a")
    [row] = held_rows(db, held.run_id)
    assert (row.state, row.decided_by_id, row.reason) == ("applied", librarian.id, "Bon ISBN")
    assert row.decided_at is not None
    with db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.record_id == work.id)
                                 .order_by(AuditEvent.id)).all()
        assert [(e.action, e.actor_id) for e in events][-2:] == [("update", librarian.id),
                                                                 ("import.held.apply", librarian.id)]
        assert events[-2].changes["title"] == ["Créer son entreprise", "Manuel de chimie"]
        assert events[-1].changes["reason"] == [None, "Bon ISBN"]
        assert session.get(ReindexRequest, work.id) is not None
        # The run's counts are what it did; the decisions are counted apart.
        import_run = session.get(ImportRun, held.run_id)
        assert (import_run.read, import_run.held, import_run.updated) == (1, 1, 0)
        assert HeldService(session).counts(held.run_id) == {"held": 0, "applied": 1, "rejected": 0}
        with pytest.raises(AlreadyDecided):
            HeldService(session, librarian).apply(held.run_id, held.id)
        with pytest.raises(AlreadyDecided):
            HeldService(session, librarian).reject(held.run_id, held.id, reason="Non")


def test_a_work_changed_since_it_was_held_is_not_overwritten(db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), source="library-a")
    held = held_one(db)
    librarian = user(db)
    with db.transaction() as session:
        RecordService(session, librarian).update(held.record_id, record_data(title="Créer une entreprise"),
                                                 expected_version=1)
    with db.transaction() as session:
        with pytest.raises(VersionConflict) as caught:
            HeldService(session, librarian).apply(held.run_id, held.id)
        assert caught.value.current["version"] == 2 and caught.value.submitted["title"] == "Manuel de chimie"
    assert only(db, id=held.record_id).title == "Créer une entreprise"
    assert held_rows(db, held.run_id)[0].state == "held"
    with db.transaction() as session:  # decided on the version seen now
        HeldService(session, librarian).apply(held.run_id, held.id, version=2)
    assert only(db, id=held.record_id).title == "Manuel de chimie"


def test_rejecting_needs_a_reason_and_leaves_the_work_alone(db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), source="library-a")
    held = held_one(db)
    before = snapshot(db, held.record_id)
    librarian = user(db)
    with db.transaction() as session:
        with pytest.raises(ValidationFailed) as caught:
            HeldService(session, librarian).reject(held.run_id, held.id, reason="  ")
        assert list(caught.value.fields) == ["reason"]
        HeldService(session, librarian).reject(held.run_id, held.id, reason="Fichier corrompu")
    assert snapshot(db, held.record_id) == before
    with db.session() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "import.held.reject")).all()
        assert (event.actor_id, event.record_id, event.entity_id) == (librarian.id, held.record_id, held.id)
        assert event.changes["reason"] == [None, "Fichier corrompu"]


def test_the_same_file_again_holds_nothing_more(db):
    """Importing a delivery twice fills the review queue once; what a person
    rejected is not put back to them while the work stays as it was."""
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), source="library-a")
    first = held_one(db)
    delivery = book("B1", "Manuel de chimie", isbn=ISBN)
    outcomes, again = run(db, delivery, source="library-b")
    assert outcomes == ["unchanged"] and (again.read, again.unchanged, again.held) == (1, 1, 0)
    assert held_rows(db, again.id) == []
    # another update of the same work is a new question: held
    outcomes, other = run(db, book("B1", "Manuel de chimie générale", isbn=ISBN), source="library-b")
    assert outcomes == ["held"] and len(held_rows(db, other.id)) == 1
    librarian = user(db)
    with db.transaction() as session:
        HeldService(session, librarian).reject(first.run_id, first.id, reason="Pas le même livre")
    assert run(db, delivery, source="library-b")[0] == ["unchanged"]  # rejected, the work as it was
    with db.transaction() as session:  # the work changes: the rejected update is a question again
        RecordService(session, librarian).update(first.record_id, record_data(title="Créer une entreprise"),
                                                 expected_version=1)
    outcomes, after_change = run(db, delivery, source="library-b")
    assert outcomes == ["held"] and held_rows(db, after_change.id)[0].record_version == 2


def test_deciding_all_skips_what_changed_since(db):
    run(db, book("A1", "Un", isbn=ISBN), book("A2", "Deux", isbn="9780306406157"),
        book("A3", "Trois", isbn="9781861972712"), source="library-a")
    _, import_run = run(db, book("B1", "Autre un", isbn=ISBN), book("B2", "Autre deux", isbn="9780306406157"),
                        book("B3", "Autre trois", isbn="9781861972712"), source="library-b")
    assert import_run.held == 3
    changed = only(db, source_id="A2")
    librarian = user(db)
    with db.transaction() as session:
        RecordService(session, librarian).update(changed.id, record_data(title="Deux, revu", isbn="9780306406157"),
                                                 expected_version=1)
    with db.transaction() as session:
        done = HeldService(session, librarian).decide_all(import_run.id, "apply", reason=None)
    assert (done["applied"], done["rejected"]) == (2, 0)
    assert [(s["code"]) for s in done["skipped"]] == ["version_conflict"]
    assert [h.state for h in held_rows(db, import_run.id)] == ["applied", "held", "applied"]
    with db.transaction() as session:
        with pytest.raises(ValidationFailed):
            HeldService(session, librarian).decide_all(import_run.id, "reject", reason="")
        assert HeldService(session, librarian).decide_all(import_run.id, "reject", reason="Revu à la main")[
            "rejected"] == 1
    assert only(db, id=changed.id).title == "Deux, revu"


def test_a_work_deleted_since_can_only_be_rejected(db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), source="library-a")
    held = held_one(db)
    librarian = user(db)
    with db.transaction() as session:
        RecordService(session, librarian).delete(held.record_id)
    [row] = held_rows(db, held.run_id)
    assert (row.record_id, row.state) == (None, "held")
    with db.transaction() as session:
        assert HeldService(session, librarian).decide_all(held.run_id, "apply", reason=None)["skipped"][0][
            "code"] == "conflict"
        HeldService(session, librarian).reject(held.run_id, held.id, reason="Œuvre supprimée")
    assert held_rows(db, held.run_id)[0].state == "rejected"


# Page, API, command line -----------------------------------------------------------
def test_the_run_page_lists_held_updates_and_decides_with_csrf(app, client, db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), book("A2", "Deux", isbn="9780306406157"),
        source="library-a")
    _, import_run = run(db, book("B1", "Manuel de chimie", isbn=ISBN),
                        book("B2", "Autre deux", isbn="9780306406157"), source="library-b")
    first, second = held_rows(db, import_run.id)
    make_user(db, "conseil", "counsellor", pole="job_search")
    login(client, "conseil")
    page = client.get(f"/staff/imports/{import_run.id}?lang=en").get_data(as_text=True)
    assert "Updates held for review" in page and "Créer son entreprise → Manuel de chimie" in page
    assert "<td>2</td><td>0</td><td>0</td><td>0</td><td>2</td><td>0</td>" in page  # read ... held, rejected
    assert f"/held/{first.id}/apply" not in page  # may look, not decide
    token = csrf_token(client, f"/staff/imports/{import_run.id}")
    assert client.post(f"/staff/imports/{import_run.id}/held/{first.id}/apply",
                       data={"csrf_token": token}).status_code == 403

    client = app.test_client()
    user(db)
    login(client, "bib")
    url = f"/staff/imports/{import_run.id}"
    assert f"/held/{first.id}/apply" in client.get(url).get_data(as_text=True)
    # Without the CSRF token nothing happens.
    client.post(f"{url}/held/{first.id}/apply", data={"version": "1"})
    assert held_rows(db, import_run.id)[0].state == "held"
    response = client.post(f"{url}/held/{first.id}/apply?lang=en",
                           data={"csrf_token": csrf_token(client, url), "version": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{url}#held")
    assert only(db, id=first.record_id).title == "Manuel de chimie"
    # A rejection without a reason is refused, and says so.
    client.post(f"{url}/held/{second.id}/reject", data={"csrf_token": csrf_token(client, url), "reason": ""})
    assert held_rows(db, import_run.id)[1].state == "held"
    client.post(f"{url}/held/{second.id}/reject",
                data={"csrf_token": csrf_token(client, url), "reason": "Pas le même livre"})
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "0 waiting · 1 applied · 1 rejected" in page and "Pas le même livre" in page and "Bib" in page
    assert only(db, id=second.record_id).title == "Deux"


def test_the_api_lists_applies_and_rejects(client, db):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), book("A2", "Deux", isbn="9780306406157"),
        source="library-a")
    _, import_run = run(db, book("B1", "Manuel de chimie", isbn=ISBN),
                        book("B2", "Autre deux", isbn="9780306406157"), source="library-b")
    headers = bearer(db, "doc", "documentalist")
    base = f"/api/v1/imports/{import_run.id}"
    summary = client.get(base, headers=headers).get_json()
    assert (summary["read"], summary["held"], summary["held_decisions"]) == (
        2, 2, {"held": 2, "applied": 0, "rejected": 0})
    assert_adds_up(summary)
    assert client.get("/api/v1/imports", headers=headers).get_json()["items"][0]["held"] == 2
    listed = client.get(f"{base}/held", headers=headers).get_json()
    assert listed["total"] == 2
    first, second = listed["items"]
    assert first["title"] == {"old": "Créer son entreprise", "new": "Manuel de chimie"}
    assert (first["rule"], first["state"], first["record_version"], first["current_version"]) == (
        "isbn", "held", 1, 1)

    applied = client.post(f"{base}/held/{first['id']}/apply", json={"version": 1}, headers=headers)
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert (applied.get_json()["outcome"], applied.get_json()["decided_by"]) == ("updated", "doc")
    assert_error(client.post(f"{base}/held/{first['id']}/apply", json={}, headers=headers), 409, "already_decided")
    assert_error(client.post(f"{base}/held/{second['id']}/reject", json={}, headers=headers), 422,
                 "validation_failed")
    assert_error(client.post(f"{base}/held/{second['id']}/apply", json={"version": 7}, headers=headers), 409,
                 "version_conflict")
    assert_error(client.post(f"{base}/held/999999/apply", json={}, headers=headers), 404, "not_found")
    assert_error(client.get("/api/v1/imports/999999/held", headers=headers), 404, "not_found")
    rejected = client.post(f"{base}/held/reject", json={"reason": "Corrompu"}, headers=headers).get_json()
    assert (rejected["applied"], rejected["rejected"], rejected["skipped"]) == (0, 1, [])
    assert client.get(f"{base}/held?state=rejected", headers=headers).get_json()["items"][0]["reason"] == "Corrompu"
    assert client.get(base, headers=headers).get_json()["held_decisions"] == {"held": 0, "applied": 1,
                                                                              "rejected": 1}
    counsellor = bearer(db, "conseil", "counsellor", pole="job_search")
    assert_error(client.post(f"{base}/held/apply", json={}, headers=counsellor), 403, "forbidden")
    assert client.get(f"{base}/held", headers=counsellor).status_code == 200
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/v1/imports/{run_id}/held", "/api/v1/imports/{run_id}/held/{held_id}/apply",
            "/api/v1/imports/{run_id}/held/{held_id}/reject", "/api/v1/imports/{run_id}/held/apply",
            "/api/v1/imports/{run_id}/held/reject"} <= set(paths)


def test_the_command_line_reports_lists_and_decides(db, database_url, tmp_path):
    run(db, book("A1", "Créer son entreprise", isbn=ISBN), source="library-a")
    path = tmp_path / "b.mrc"
    path.write_bytes(book("B1", "Manuel de chimie", isbn=ISBN).as_marc())
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def cli(*args):
        result = runner.invoke(main, [*map(str, args)], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    out = cli("import", "--source", "library-b", path).stdout
    assert "1 read, 0 created, 0 updated, 0 unchanged, 1 held for review, 0 rejected" in out
    assert "catalogue imports held 2" in out
    [row] = [json.loads(line) for line in cli("imports", "held", "2", "--json").stdout.splitlines()]
    assert (row["rule"], row["title"], row["state"]) == ("isbn", ["Créer son entreprise", "Manuel de chimie"],
                                                          "held")
    assert cli("imports", "held", "2").stdout == (
        f"#{row['id']}, position 1, work {row['record_id']} (found by isbn): "
        "title “Créer son entreprise” → “Manuel de chimie” — Waiting\n")
    user(db)
    assert "#%s rejected." % row["id"] in cli("imports", "reject", "2", row["id"], "--reason", "Corrompu",
                                              "--by", "bib").stdout
    env["CATALOGUE_DEFAULT_LOCALE"] = "fr"  # the same list, in the command line's other language
    [decided] = [json.loads(line) for line in cli("imports", "held", "2", "--json").stdout.splitlines()]
    assert cli("imports", "held", "2").stdout == (
        f"n° {row['id']}, position 1, document {row['record_id']} (trouvé par isbn) : "
        f"titre « Créer son entreprise » → « Manuel de chimie » — Refusée par bib le {decided['decided_at']}\n")
    assert held_rows(db, 2)[0].decided_by_id is not None
    assert only(db, source_id="A1").title == "Créer son entreprise"


# A real file, then a corrupted one from another source ------------------------------
SAMPLE = "marc21-loc-booksall-2016-sample/BooksAll.2016.part01.first10000.utf8.mrc"


def corrupted_copy(path, target, count: int = 60):
    """The first ``count`` records of the sample with a valid ISBN of their own,
    each under the title of the next one (readable, wrong), plus ten that only
    gain a summary. Returns (the corrupted records' numbers, the enriched ones')."""
    chosen, isbns, titles = [], set(), set()
    with open(path, "rb") as stream:
        for marc in MARCReader(stream, to_unicode=True):
            isbn = _isbn(marc)
            title = title_words(_title(marc))
            if not isbn or isbn in isbns or not title or title in titles or marc.get_fields("520"):
                continue
            isbns.add(isbn)
            titles.add(title)
            chosen.append(marc)
            if len(chosen) == count + 11:
                break
    wrong, enriched = chosen[:count], chosen[count + 1:]
    titles = [_title(m) for m in chosen[1:count + 1]]
    for marc, title in zip(wrong, titles):
        marc.get_fields("245")[0]["a"] = title
    for marc in enriched:
        marc.add_field(Field(tag="520", indicators=[" ", " "], subfields=[Subfield("a", "Résumé ajouté.")]))
    target.write_bytes(b"".join(m.as_marc() for m in wrong + enriched))
    return [m.get_fields("001")[0].data.strip() for m in wrong], \
        [m.get_fields("001")[0].data.strip() for m in enriched]


def _title(marc) -> str | None:
    return next((f.get("a") for f in marc.get_fields("245")), None)


def _isbn(marc) -> str | None:
    """The record's only valid ISBN, if it has exactly one."""
    found = set()
    for field in marc.get_fields("020"):
        for value in field.get_subfields("a"):
            try:
                found.add(normalise_isbn(value.split()[0]))
            except (InvalidIdentifier, IndexError):
                continue
    return found.pop() if len(found) == 1 else None


def test_a_corrupted_file_from_another_source_holds_and_changes_nothing(client, db, shared_data, tmp_path):
    first = import_file(db, shared_data / SAMPLE, source="loc", workers=0)
    assert first.status == "finished" and first.created > 9900
    wrong, enriched = corrupted_copy(shared_data / SAMPLE, tmp_path / "corrupted.mrc")
    with db.session() as session:
        before = {r.source_id: (r.id, r.title, r.version) for r in session.scalars(
            select(Record).where(Record.source_id.in_(wrong)))}
    assert len(before) == 60
    report = import_file(db, tmp_path / "corrupted.mrc", source="other-library", workers=0)
    assert (report.status, report.read, report.created) == ("finished", 70, 0)
    assert (report.held, report.updated) == (60, 10)
    assert report.read == report.created + report.updated + report.unchanged + report.held + report.rejected
    with db.session() as session:
        after = {r.source_id: (r.id, r.title, r.version) for r in session.scalars(
            select(Record).where(Record.source_id.in_(wrong)))}
        assert after == before  # not one title changed
        assert {r.summary for r in session.scalars(select(Record).where(Record.source_id.in_(enriched)))} == {
            "Résumé ajouté."}
    held = held_rows(db, report.run)
    assert len(held) == 60 and {h.rule for h in held} == {"isbn"}

    # One applied on the page, one through the API, one rejected.
    user(db)
    login(client, "bib")
    url = f"/staff/imports/{report.run}"
    assert "60 waiting · 0 applied · 0 rejected" in client.get(f"{url}?lang=en").get_data(as_text=True)
    client.post(f"{url}/held/{held[0].id}/apply", data={"csrf_token": csrf_token(client, url), "version": "1"})
    headers = bearer(db, "doc", "documentalist")
    answer = client.post(f"/api/v1/imports/{report.run}/held/{held[1].id}/apply",
                         json={"reason": "Vérifié sur le livre"}, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    client.post(f"{url}/held/{held[2].id}/reject",
                data={"csrf_token": csrf_token(client, url), "reason": "Titre d'un autre livre"})
    with db.session() as session:
        titles = [session.get(Record, h.record_id).title for h in held[:3]]
        assert titles[:2] == [held[0].new_title, held[1].new_title]
        assert titles[2] == held[2].old_title and session.get(Record, held[2].record_id).version == 1
        trail = session.execute(select(AuditEvent.action, AuditEvent.record_id, AuditEvent.actor_id)
                                .where(AuditEvent.action.like("import.held.%")).order_by(AuditEvent.id)).all()
        assert [(a, r) for a, r, _ in trail] == [("import.held.apply", held[0].record_id),
                                                 ("import.held.apply", held[1].record_id),
                                                 ("import.held.reject", held[2].record_id)]
        assert all(actor is not None for _, _, actor in trail)
        import_run = session.get(ImportRun, report.run)
        assert (import_run.held, import_run.updated) == (60, 10)  # what the run did stays
    assert "57 waiting · 2 applied · 1 rejected" in client.get(f"{url}?lang=en").get_data(as_text=True)
