"""`catalogue import` on the shared data: every record accounted for, broken
ones rejected with a reason into a file that can be fixed and imported again."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pymarc import Field, Indicators, Subfield
from pymarc import Record as Marc
from sqlalchemy import func, select

from catalogue.identifiers import normalise_isbn
from catalogue.models import Item, Record
from cite.cli import main
from core.audit import AuditEvent
from importers.marc.reader import read_marc
from importers.models import ImportReject, ImportRun


@pytest.fixture
def cli(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args, env_extra=None):
        return runner.invoke(main, ["import", *map(str, args)], env={**env, **(env_extra or {})},
                             catch_exceptions=False)
    return invoke


def reports(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    for report in found:
        assert report["read"] == (report["created"] + report["updated"] + report["unchanged"]
                                  + report["held"] + report["rejected"])
        assert report["status"] == "finished"
    return found


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_french_marc8_file_then_again_changes_nothing(cli, db, shared_data):
    path = shared_data / "marc21-evergreen-datasets" / "lul_fre_500.mrc"
    [first] = reports(cli("--json", path))
    assert (first["read"], first["created"] + first["updated"], first["rejected"]) == (500, 500, 0)
    assert first["rejects_file"] is None
    [second] = reports(cli("--json", path))
    assert second["unchanged"] == 500
    assert count(db, Record) == first["created"]


def test_the_library_of_congress_sample(cli, db, shared_data, backend):
    if backend != "sqlite":
        pytest.skip("10,000 records: once is enough, on SQLite")
    path = shared_data / "marc21-loc-booksall-2016-sample" / "BooksAll.2016.part01.first10000.utf8.mrc"
    [first] = reports(cli("--json", path))
    assert (first["read"], first["rejected"]) == (10000, 0)
    assert first["created"] == count(db, Record) > 9900
    [second] = reports(cli("--json", path))
    assert second["unchanged"] == 10000
    with db.session() as session:
        record = session.scalars(select(Record).where(Record.source_id == "00000002")).one()
        assert record.title == "Botanical materia medica and pharmacology"
        assert len(record.raw_marc) == 720  # the record as read, leader length 00720


def test_french_unimarc_titles_and_accents(cli, db, shared_data):
    folder = shared_data / "unimarc-sciencespo-medialab"
    files = sorted(folder.glob("cotes*.mrc")) + sorted(folder.glob("*.xml"))
    found = reports(cli("--json", "--source", "sciences-po", *files))
    assert len(found) == len(files) and sum(r["rejected"] for r in found) == 0
    with db.session() as session:
        titles = set(session.scalars(select(Record.title)))
    assert {"Les Intérêts français en Bohême",
            "Statistique du mouvement hospitalier. Années 1955 à 1959",
            "Observationes juris practicae ; Kort beskriffning om thet som wid then "
            "Constantinopolitaniske resan är föreluppit"} <= titles
    assert not any("Ã" in title for title in titles)  # no UTF-8 read as Latin-1


BROKEN = {  # file -> rejects (see each folder's SOURCE.txt)
    "marc21-pymarc-tests/bad_records.mrc": 7,
    "marc21-pymarc-tests/1251.dat": 6,
    # 16 broken directories, and 2 records repeating an earlier record's 001 with
    # other values (the first one wins, so a second import changes nothing).
    "marc21-marc4j-tests/pride-and-prejudice-with-many-errors.mrc": 18,
    "marc21-marc4j-tests/008008027.mrc": 1,
    "marc21-marc4j-tests/samples/error.mrc": 1,
    "marc21-marc4j-tests/chabon-missing-subfield-code.xml": 1,
    "marc21-evergreen-datasets/serials_marc21.xml": 1,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_give_rejects_with_reasons(cli, db, shared_data, name):
    [report] = reports(cli("--json", shared_data / name))
    assert report["rejected"] == BROKEN[name]
    with db.session() as session:
        rejects = session.scalars(select(ImportReject).where(ImportReject.run_id == report["run"])
                                  .order_by(ImportReject.position)).all()
    assert len(rejects) == report["rejected"]
    assert all(r.reason and r.position >= 1 and r.raw for r in rejects)
    assert len({r.position for r in rejects}) == len(rejects)
    rejects_file = report["rejects_file"]
    assert rejects_file.endswith(".xml" if name.endswith(".xml") else ".mrc")
    if name.endswith(".xml"):
        return
    with open(rejects_file, "rb") as f:  # as read; a truncated tail gets its terminator
        assert f.read() == b"".join(r.raw if r.raw.endswith(b"\x1d") else r.raw + b"\x1d" for r in rejects)
    again = list(read_marc(rejects_file))  # each reject is read as one record again
    assert len(again) == len(rejects)
    unreadable = [r for r in rejects if "earlier record of this import" not in r.reason]
    assert sum(r.record is None for r in again) == len(unreadable)


def _book(number: str, title: str) -> Marc:
    marc = Marc(leader="00000nam a2200000 a 4500", force_utf8=True)
    marc.add_field(Field(tag="001", data=number),
                   Field(tag="245", indicators=Indicators("0", "0"), subfields=[Subfield("a", title)]))
    return marc


def test_a_rejects_file_once_fixed_imports(cli, db, tmp_path):
    good, fixable = _book("G1", "Bon"), _book("F1", "À réparer").as_marc()
    broken = fixable[:12] + b"f0037" + fixable[17:]  # the base address is not a number
    source = tmp_path / "delivery.mrc"
    source.write_bytes(good.as_marc() + broken)
    [report] = reports(cli("--json", source))
    assert (report["created"], report["rejected"]) == (1, 1)
    rejects_file = report["rejects_file"]
    with open(rejects_file, "rb") as f:
        assert f.read() == broken
    with open(rejects_file, "r+b") as f:  # the fix a cataloguer makes
        f.seek(12)
        f.write(fixable[12:17])
    [again] = reports(cli("--json", rejects_file))
    assert (again["created"], again["rejected"]) == (1, 0)
    with db.session() as session:
        assert set(session.scalars(select(Record.title))) == {"Bon", "À réparer"}


def test_dry_run_writes_nothing_but_reports(cli, db, shared_data):
    folder = shared_data / "marc21-pymarc-tests"
    [report] = reports(cli("--json", "--dry-run", folder / "bad_records.mrc"))
    assert (report["read"], report["created"], report["unchanged"], report["rejected"]) == (9, 1, 1, 7)
    assert (count(db, Record), count(db, Item), count(db, AuditEvent)) == (0, 0, 0)
    with db.session() as session:
        run = session.get(ImportRun, report["run"])
        assert run.dry_run and run.status == "finished" and len(run.rejects) == 7
    assert report["rejects_file"]


def test_bad_isbns_are_dropped_and_the_records_kept(cli, db, shared_data):
    [report] = reports(cli("--json", shared_data / "marc21-evergreen-datasets" / "badisbns.xml"))
    assert (report["read"], report["created"] + report["updated"], report["rejected"]) == (10, 10, 0)
    with db.session() as session:
        isbns = list(session.scalars(select(Record.isbn)))
    assert None in isbns
    assert all(normalise_isbn(n) == n for n in isbns if n)


def test_progress_and_summary_without_json(cli, shared_data):
    result = cli(shared_data / "marc21-pymarc-tests" / "bad_records.mrc",
                 shared_data / "unimarc-marcjs-bnf" / "bib.mrc")
    assert result.exit_code == 0, result.output
    assert "bad_records.mrc: 9 read, 1 created, 0 updated, 1 unchanged, 0 held for review, 7 rejected (run 1)" in result.stdout
    assert "bib.mrc: 6 read, 6 created" in result.stdout
    assert "Rejected records, to fix and import again:" in result.stdout and "run-1.mrc" in result.stdout


def test_format_encoding_and_source_options(cli, db, shared_data):
    path = shared_data / "unimarc-marcjs-bnf" / "bib.mrc"
    [report] = reports(cli("--json", "--format", "unimarc", "--encoding", "utf-8", "--source", "bnf", path))
    assert report["created"] == 6
    with db.session() as session:
        record = session.scalars(select(Record).where(Record.source_id == "FRBNF323046990000009")).one()
        assert (record.source, record.marc_flavour, record.title) == ("bnf", "unimarc", "Greek printing types")


def test_a_wrong_match_rule_setting_is_refused(cli, shared_data):
    result = cli(shared_data / "unimarc-marcjs-bnf" / "bib.mrc",
                 env_extra={"CATALOGUE_IMPORT_MATCH_RULES": "source_id,title"})
    assert result.exit_code == 2 and "unknown match rule 'title'" in result.output


def _every_marc_file(shared_data):
    skip = ("BooksAll", "100k", ".json", ".mij", ".mrk", ".txt", ".tsv", "LICENSE", "COPYING", "README")
    for folder in ("marc21-*", "marcxml-*", "unimarc-*"):
        for path in sorted(shared_data.glob(f"{folder}/**/*")):
            if path.is_file() and not any(s in str(path) for s in skip):
                yield path


def test_all_the_shared_data_twice(cli, db, shared_data, backend):
    """Every file imports with all its records accounted for; importing them all
    again changes nothing."""
    if backend != "sqlite":
        pytest.skip("the whole shared data: once is enough, on SQLite")
    files = list(_every_marc_file(shared_data))
    found = reports(cli("--json", *files))
    assert len(found) == len(files) > 100
    assert sum(r["read"] for r in found) > 7000
    assert count(db, Record) == sum(r["created"] for r in found)
    again = reports(cli("--json", *files))
    assert sum(r["created"] + r["updated"] for r in again) == 0
    assert [r["rejected"] for r in again] == [r["rejected"] for r in found]


def test_a_run_that_stops_says_why_and_keeps_its_committed_batches(db, shared_data, tmp_path):
    from importers.marc.runner import import_file

    path = shared_data / "marc21-evergreen-datasets" / "lul_fre_100.mrc"
    failed = import_file(db, path, source="main-library", encoding="klingon", rejects_dir=tmp_path)
    assert failed.status == "failed" and "encoding" in failed.error and failed.read == 0

    def interrupt(position):  # Ctrl+C after the first batch
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(db, path, source="main-library", batch=40, progress=interrupt, rejects_dir=tmp_path)
    with db.session() as session:
        run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert (run.status, run.error, run.read, run.created) == ("failed", "interrupted", 40, 40)
    assert count(db, Record) == 40


def test_a_source_name_must_fit(cli, shared_data):
    result = cli("--source", "x" * 101, shared_data / "unimarc-marcjs-bnf" / "bib.mrc")
    assert result.exit_code == 2 and "1 to 100 characters" in result.output
