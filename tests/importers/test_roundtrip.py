"""Import -> export -> import again creates nothing (issue 14, finding 9).

Our export names each record by our number (035 "(FR-CdM)id"), which the
importer recognises whatever the source; a record without any identifier is
known by a digest of its content, whichever file syntax carries it.
"""
from __future__ import annotations

import io
import json

import pymarc
import pytest
from click.testing import CliRunner
from pymarc import Field, Subfield
from sqlalchemy import func, select

from catalogue.models import Record
from cite.cli import main
from importers.export import record_to_marc21, write_marc
from importers.export.query import parse_query, stream_records
from importers.marc import identity
from importers.marc.mapping import to_catalogue
from importers.marc.reader import read_marc
from importers.services.imports import ImportService
from tests.support.factories import make_record
from tests.support.marc import df

COUNTS = ("created", "updated", "unchanged", "held", "rejected")


@pytest.fixture
def catalogue(database_url, tmp_path):
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args) -> list[dict]:
        result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        for report in reports:
            assert report["status"] == "finished"
            assert report["read"] == sum(report.get(name, 0) for name in COUNTS)
        return reports
    return invoke


def records(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Record))


def loc_sample(shared_data, tmp_path, count=300):
    """The first ``count`` records of the LoC sample, as they are in the file."""
    data = (shared_data / "marc21-loc-booksall-2016-sample"
            / "BooksAll.2016.part01.first10000.utf8.mrc").read_bytes()
    path = tmp_path / "loc.mrc"
    path.write_bytes(b"\x1d".join(data.split(b"\x1d")[:count]) + b"\x1d")
    return path


FILES = {
    "nepali": "marc21-evergreen-datasets/nepali.marc",  # no 001 nor 035: identified by content
    "loc": None,  # loc_sample()
    "marcxml": "marcxml-lc-marc2bibframe2-dataset/loc_general.xml",
    "unimarc": "unimarc-sciencespo-medialab/cotesMEL.mrc",
}


@pytest.mark.parametrize("name", list(FILES))
def test_reimporting_our_own_export_creates_nothing(catalogue, db, shared_data, tmp_path, name):
    path = shared_data / FILES[name] if FILES[name] else loc_sample(shared_data, tmp_path)
    [first] = catalogue("import", path, "--source", "origin", "--json")
    assert first["created"] > 0 and first["rejected"] == 0
    exports = {fmt: tmp_path / f"export.{fmt}" for fmt in ("iso2709", "marcxml")}
    for fmt, target in exports.items():
        catalogue("export", "--format", fmt, "--output", target)

    for source in ("origin", "elsewhere"):
        for fmt, target in exports.items():
            [again] = catalogue("import", target, "--source", source, "--json")
            assert (again["read"], again["created"], again["rejected"]) == (first["created"], 0, 0), \
                (source, fmt, again)
            # Nothing changed, so nothing is updated, UNIMARC works included (their
            # subjects come back under MARC21 tags, and are the same headings).
            assert again["unchanged"] == again["read"], (source, fmt, again)
    assert records(db) == first["created"]
    # And the original file again, after all that: still nothing new.
    [last] = catalogue("import", path, "--source", "origin", "--json")
    assert last["created"] == 0 and records(db) == first["created"]


# Our own number in the export -----------------------------------------------------
def exported(db) -> list[pymarc.Record]:
    with db.session() as session:
        return [record_to_marc21(r) for r in stream_records(session, parse_query(None))]



def bare(title="Sans numéro", *, controls=(), extra=(), leader="00000nam a2200000 a 4500"):
    """A MARC21 record with no 001 nor 035 (unless given)."""
    marc = pymarc.Record(leader=leader, force_utf8=True)
    marc.add_field(*controls, df("100", "1 ", ("a", "Martin, Léa")), df("245", "10", ("a", title)),
                   df("264", " 1", ("a", "Lyon :"), ("b", "Parcours,"), ("c", "2021")), *extra)
    return marc


def run_import(db, data: bytes, *, source="main-library"):
    with db.transaction() as session:
        service = ImportService(session)
        run = service.start_run(source=source, location="test")
        outcomes = service.import_batch(run, list(read_marc(data)))
        service.finish_run(run)
    return outcomes


def xml(*marcs) -> bytes:
    stream = io.BytesIO()
    write_marc(marcs, "marcxml", stream)
    return stream.getvalue()


def test_every_export_names_our_record_and_keeps_the_sources_number(db):
    local = make_record(db, title="Catalogué ici")
    run_import(db, bare("Sans numéro").as_marc() + bare("Numéroté", controls=[
        Field("001", data="bib42"), Field("003", data="FrBM")]).as_marc())
    by_title = {m["245"]["a"].rstrip(" :/"): m for m in exported(db)}
    with db.session() as session:
        ids = dict(session.execute(select(Record.title, Record.id)).all())

    for title, marc in by_title.items():
        assert [f["a"] for f in marc.get_fields("035")] == [f"(FR-CdM){ids[title]}"]
    # A source's number and organisation stay; ours goes where there was none.
    assert (by_title["Numéroté"]["001"].data, by_title["Numéroté"]["003"].data) == ("bib42", "FrBM")
    for title in ("Catalogué ici", "Sans numéro"):
        assert (by_title[title]["001"].data, by_title[title]["003"].data) == (str(ids[title]), "FR-CdM")
    assert str(local.id) == by_title["Catalogué ici"]["001"].data


def test_an_export_of_an_export_carries_the_current_number_only(db):
    # A record imported from another catalogue's export (or an older one of ours) has its number.
    run_import(db, bare("Venu d'ailleurs", controls=[
        Field("001", data="7"), Field("003", data="FR-CdM"), df("035", "  ", ("a", "(OCoLC)12")),
        df("035", "  ", ("a", "(FR-CdM)7"))]).as_marc())
    [marc] = exported(db)
    with db.session() as session:
        record_id = session.scalar(select(Record.id))
    assert (marc["001"].data, marc["003"].data) == (str(record_id), "FR-CdM")
    assert [f["a"] for f in marc.get_fields("035")] == ["(OCoLC)12", f"(FR-CdM){record_id}"]


@pytest.mark.parametrize("fields, flavour, expected", [
    ([df("035", "  ", ("a", "(FR-CdM)42"))], "marc21", 42),
    ([df("035", "  ", ("a", " (FR-CdM)0042 "))], "marc21", 42),
    ([Field("001", data="42"), Field("003", data="FR-CdM")], "marc21", 42),
    ([Field("001", data="42"), Field("003", data="FrBM")], "marc21", None),
    ([df("035", "  ", ("a", "(OCoLC)42"))], "marc21", None),
    ([df("035", "  ", ("a", "(FR-CdM)99999999999999999999"))], "marc21", None),  # no row has it
    ([df("035", "  ", ("a", "(FR-CdM)0"))], "marc21", None),
    ([df("035", "  ", ("a", "(FR-CdM)42"))], "unimarc", 42),
    ([Field("001", data="42"), Field("003", data="FR-CdM")], "unimarc", None),  # UNIMARC 003 is a URI
])
def test_our_number_is_read_from_035_or_001_with_003(fields, flavour, expected):
    marc = pymarc.Record(leader="00000nam a2200000 a 4500", force_utf8=True)
    title = df("200", "1 ", ("a", "Titre")) if flavour == "unimarc" else df("245", "10", ("a", "Titre"))
    marc.add_field(*fields, title)
    assert to_catalogue(marc, flavour).own_id == expected


# Our own number on import -----------------------------------------------------------
def test_our_number_finds_our_record_whatever_the_source(db):
    make_record(db, title="Réussir son entretien", isbn=None)
    [marc] = exported(db)
    for source in ("main-library", "partner"):
        assert run_import(db, marc.as_marc(), source=source) == ["unchanged"]
    assert records(db) == 1


def test_our_export_edited_elsewhere_leaves_a_local_work_ours(db):
    """Our own export coming back changed (a partner corrected it) updates the
    work, but does not make a work catalogued here the partner's, nor take
    our MARC for a source's original."""
    local = make_record(db, title="Réussir son entretien", isbn="9782070360246")
    [marc] = exported(db)
    marc.add_field(df("500", "  ", ("a", "Nouvelle note")))
    assert run_import(db, marc.as_marc(), source="partner") == ["updated"]
    with db.session() as session:
        record = session.get(Record, local.id)
        assert (record.source, record.source_id, record.raw_marc) == (None, None, None)


def test_our_number_on_another_work_is_not_trusted(db):
    """Another catalogue using our code names works of its own: a number shared
    with nothing else (title, ISBN, ISSN, source number) matches as any record."""
    ours = make_record(db, title="Réussir son entretien", isbn="9782070360246")
    foreign = bare("Un tout autre livre", extra=[df("035", "  ", ("a", f"(FR-CdM){ours.id}"))])
    assert run_import(db, foreign.as_marc()) == ["created"]
    # Huge or absent numbers are no matter either.
    for number in ("99999999999999999999", "999999"):
        other = bare(f"Encore un autre {number}", extra=[df("035", "  ", ("a", f"(FR-CdM){number}"))])
        assert run_import(db, other.as_marc()) == ["created"]
    assert records(db) == 4
    with db.session() as session:
        assert session.get(Record, ours.id).title == "Réussir son entretien"


def test_our_number_survives_an_edited_title_when_the_isbn_stays(db):
    record = make_record(db, title="Réussir son entretien", isbn="9782070360246")
    [marc] = exported(db)
    marc["245"]["a"] = "Réussir son entretien d'embauche"
    assert run_import(db, marc.as_marc(), source="partner")[0] in ("updated", "held")
    assert records(db) == 1 and record.id == 1


# A record without identifier: its content is its identity ---------------------------
def test_the_same_record_without_001_is_found_from_iso2709_or_marcxml_or_with_another_005(db):
    marc = bare(controls=[Field("005", data="20200101120000.0"),
                          Field("008", data="200101s2021    fr            000 0 fre d")])
    assert run_import(db, marc.as_marc()) == ["created"]
    assert run_import(db, xml(marc)) == ["unchanged"]

    changed = bare(controls=[Field("005", data="20251231235959.0"),
                             Field("008", data="200101s2021    fr            000 0 fre d")],
                   leader="01234cam a2200289 i 4500")
    changed["245"].subfields[0] = Subfield("a", "Sans  numéro ")  # blanks as some systems write them
    assert run_import(db, changed.as_marc()) == ["unchanged"]
    assert run_import(db, xml(changed)) == ["unchanged"]
    # A copy more is the same record, with one more copy.
    changed.add_ordered_field(df("852", "  ", ("a", "cite"), ("h", "R MAR"), ("p", "CM0000001")))
    assert run_import(db, changed.as_marc()) == ["updated"]
    assert records(db) == 1


def test_the_content_digest_is_that_of_the_content():
    marc = bare(controls=[Field("005", data="20200101120000.0")])
    digest = identity.content_digest(marc)
    assert digest.startswith("marc-sha1:")
    [from_xml] = pymarc.parse_xml_to_array(io.BytesIO(xml(marc)))
    assert identity.content_digest(from_xml) == digest
    # Whatever it says is part of it.
    for edit in (lambda m: m["245"].subfields.__setitem__(0, Subfield("a", "Autre titre")),
                 lambda m: m.add_field(df("500", "  ", ("a", "Une note."))),
                 lambda m: setattr(m.leader, "type_of_record", "g")):
        other = bare(controls=[Field("005", data="20200101120000.0")])
        edit(other)
        assert identity.content_digest(other) != digest


def test_records_stored_under_the_former_digest_are_found_and_take_the_new_one(db):
    """Earlier versions named a record without identifier by the SHA-1 of its
    raw bytes: such records are still found, and move to the content digest."""
    marcs = [bare("Sans auteur ni date"), bare("Deuxième")]
    for marc in marcs:
        marc.remove_fields("100", "264")  # no match key: only the identity can find them
    data = b"".join(m.as_marc() for m in marcs)
    assert run_import(db, data) == ["created", "created"]
    with db.transaction() as session:  # as an earlier version stored them
        for record in session.scalars(select(Record)):
            record.source_id = identity.bytes_digest(record.raw_marc)
        versions = {r.id: r.version for r in session.scalars(select(Record))}

    assert run_import(db, data) == ["unchanged", "unchanged"]
    with db.session() as session:
        stored = session.scalars(select(Record).order_by(Record.id)).all()
        assert [r.source_id for r in stored] == [identity.content_digest(m) for m in marcs]
        assert {r.id: r.version for r in stored} == versions  # not an edit
    assert run_import(db, xml(*marcs)) == ["unchanged", "unchanged"]
    assert records(db) == 2


def test_a_former_digest_record_is_found_by_its_key_when_the_bytes_changed(db):
    marc = bare(controls=[Field("005", data="20200101120000.0")])
    run_import(db, marc.as_marc())
    with db.transaction() as session:
        record = session.scalar(select(Record))
        record.source_id = identity.bytes_digest(record.raw_marc)
    marc["005"].data = "20240101120000.0"
    assert run_import(db, marc.as_marc()) == ["unchanged"]
    with db.session() as session:
        assert session.scalar(select(Record.source_id)) == identity.content_digest(marc)
    assert records(db) == 1
