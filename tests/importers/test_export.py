"""MARC21 export: fields built from the catalogue, both formats, the command."""
from __future__ import annotations

import io

import pymarc
import pytest
from click.testing import CliRunner
from lxml import etree

from catalogue.models import RecordSubject
from cite.cli import main
from importers.export import MARC_NS, record_to_marc21, write_marc, write_records
from importers.export.fields import UNIMARC_SUBJECT_TAGS
from importers.export.query import parse_query, stream_records
from tests.support.factories import make_item, make_record

SAFE = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def full_record(db, **overrides):
    data = dict(
        responsibility="Léa Martin ; illustrations de Paul Durand",
        contributors=[{"name": "Martin, Léa", "role": "aut"}, {"name": "Durand, Paul", "role": "ill"}],
        edition="2e édition", series="Guides pratiques", notes="Bibliographie.\nIndex.",
        local_notes="Ne pas prêter : exemplaire du fonds ancien", url="https://example.org/entretien",
        languages=["fre", "eng"], audiences=["job_seeker", "young_entrant"],
    )
    data.update(overrides)
    record = make_record(db, **data)
    with db.transaction() as session:
        session.add_all([
            RecordSubject(record_id=record.id, heading="Entretiens d'embauche -- Guides", vocabulary="rameau",
                          tag="650"),
            RecordSubject(record_id=record.id, heading="Employment interviewing", vocabulary="lcsh", tag="650"),
        ])
    make_item(db, record.id, "CM0000001", call_number="EMP 2 MAR", public_note="Dédicacé")
    make_item(db, record.id, "CM0000002", library="main", location="Magasin", status="withdrawn",
              condition="worn")
    return record


def export(db, fmt, query=None) -> bytes:
    stream = io.BytesIO()
    with db.session() as session:
        write_records(stream_records(session, parse_query(query)), fmt, stream)
    return stream.getvalue()


def read_back(data: bytes, fmt: str) -> list[pymarc.Record]:
    if fmt == "iso2709":
        records = list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
        assert None not in records
        return records
    return pymarc.parse_xml_to_array(io.BytesIO(data), strict=True)


def subfields(field: pymarc.Field) -> list[tuple[str, str]]:
    return [(s.code, s.value) for s in field.subfields]


@pytest.mark.parametrize("fmt", ["marcxml", "iso2709"])
def test_a_local_record_exports_every_catalogue_field(db, fmt):
    record = full_record(db)
    [marc] = read_back(export(db, fmt), fmt)

    # Adding the items dated the work as changed since its creation: "c", corrected.
    assert marc.leader[5:10] == "cam a" and marc.leader[18] == "i"
    assert marc["001"].data == str(record.id) and marc["003"].data == "FR-CdM"
    assert len(marc["005"].data) == 16
    f008 = marc["008"].data
    assert len(f008) == 40 and f008[6:11] == "s2023" and f008[35:38] == "fre"
    assert subfields(marc["020"]) == [("a", "9782070360246")]
    assert subfields(marc["041"]) == [("a", "fre"), ("a", "eng")]
    assert subfields(marc["100"]) == [("a", "Martin, Léa"), ("e", "author"), ("4", "aut")]
    assert subfields(marc["700"]) == [("a", "Durand, Paul"), ("e", "illustrator"), ("4", "ill")]
    assert marc["245"].indicators == pymarc.Indicators("1", "0")
    assert subfields(marc["245"]) == [
        ("a", "Réussir son entretien d'embauche :"), ("b", "Méthodes et mises en situation /"),
        ("c", "Léa Martin ; illustrations de Paul Durand")]
    assert subfields(marc["250"]) == [("a", "2e édition")]
    assert marc["264"].indicators == pymarc.Indicators(" ", "1")
    assert subfields(marc["264"]) == [("a", "Lyon :"), ("b", "Éditions du Parcours,"), ("c", "2023")]
    assert subfields(marc["490"]) == [("a", "Guides pratiques")]
    assert [f["a"] for f in marc.get_fields("500")] == ["Bibliographie.", "Index."]
    assert marc["520"]["a"] == "Préparer un entretien pas à pas."
    rameau, lcsh = marc.get_fields("650")
    assert rameau.indicators.second == "7"
    assert subfields(rameau) == [("a", "Entretiens d'embauche"), ("x", "Guides"), ("2", "rameau")]
    assert lcsh.indicators.second == "0" and subfields(lcsh) == [("a", "Employment interviewing")]
    assert marc["856"].indicators == pymarc.Indicators("4", "0")
    assert marc["856"]["u"] == "https://example.org/entretien"
    first, second = marc.get_fields("852")
    assert subfields(first) == [("a", "cite"), ("b", "Espace emploi"), ("h", "EMP 2 MAR"),
                                ("p", "CM0000001"), ("z", "Dédicacé"), ("9", "available")]
    assert subfields(second) == [("a", "main"), ("b", "Magasin"), ("p", "CM0000002"), ("q", "worn"),
                                 ("9", "withdrawn")]
    assert subfields(marc["959"]) == [("a", "job_search"), ("b", "job_seeker"), ("b", "young_entrant"),
                                      ("t", "book")]
    # Staff-only notes never leave the catalogue (OAI-PMH serves this export).
    assert "fonds ancien" not in str(marc)
    assert [f.tag for f in marc.fields] == sorted(f.tag for f in marc.fields)


def test_a_record_call_number_unlike_the_first_items_goes_in_an_852_without_barcode(db):
    record = make_record(db, call_number="EMP 9 XYZ", contributors=[{"name": "Collectif", "role": "edt"}])
    marc = record_to_marc21(record_with_relations(db, record.id))
    assert subfields(marc["852"]) == [("h", "EMP 9 XYZ")]
    make_item(db, record.id, "CM1", call_number="EMP 9 XYZ")
    assert [f["h"] for f in record_to_marc21(record_with_relations(db, record.id)).get_fields("852")] \
        == ["EMP 9 XYZ"]
    # An editor is no main entry: 700 only, and 245 ind1 0.
    assert "100" not in marc and marc["700"]["4"] == "edt"
    assert marc["245"].indicator1 == "0"


def record_with_relations(db, record_id):
    with db.session() as session:
        [record] = stream_records(session, parse_query(None))
        assert record.id == record_id
        return record


@pytest.mark.parametrize("doc_type, leader", [
    ("periodical", "as"), ("website", "ai"), ("audiovisual", "gm"), ("cd_dvd", "mm"),
    ("job_sheet", "am"), ("diploma_framework", "am"), ("other", "am"),
])
def test_document_types_set_the_leader_and_959t(db, doc_type, leader):
    record = make_record(db, document_type=doc_type, poles=[], audiences=[], isbn=None,
                         url="https://example.org/" if doc_type == "website" else None)
    marc = record_to_marc21(record_with_relations(db, record.id))
    assert marc.leader[6:8] == leader
    assert subfields(marc["959"]) == [("t", doc_type)]
    if doc_type == "periodical":
        assert marc["008"].data[6:15] == "u2023uuuu"


def test_marcxml_is_a_well_formed_collection_in_the_marc21_slim_namespace(db):
    for n in range(3):
        make_record(db, title=f"Titre {n} <&> \x0bcontrôle", subtitle=None, isbn=None)
    data = export(db, "marcxml")
    root = etree.fromstring(data, etree.XMLParser(**SAFE))
    assert root.tag == f"{{{MARC_NS}}}collection"
    records = root.findall(f"{{{MARC_NS}}}record")
    assert len(records) == 3
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    titles = [r["245"]["a"] for r in read_back(data, "marcxml")]
    assert titles == [f"Titre {n} <&> contrôle" for n in range(3)]  # control character dropped


def test_iso2709_skips_records_too_large_and_marcxml_keeps_them(db):
    make_record(db, title="Small", subtitle=None, isbn=None)
    make_record(db, title="Many lines", isbn=None, summary="\n".join("x" * 120 for _ in range(900)))
    make_record(db, title="One huge field", isbn=None, summary="y" * 10_000)
    skipped = []
    stream = io.BytesIO()
    with db.session() as session:
        marcs = (record_to_marc21(r) for r in stream_records(session, parse_query(None)))
        written = write_marc(marcs, "iso2709", stream, on_skip=lambda marc, why: skipped.append(marc["245"]["a"]))
    assert written == 1 and skipped == ["Many lines :", "One huge field :"]
    assert [r["245"]["a"] for r in read_back(stream.getvalue(), "iso2709")] == ["Small"]
    assert len(read_back(export(db, "marcxml"), "marcxml")) == 3


def test_query_filters(db):
    make_record(db, title="Créer son entreprise", isbn=None, poles=["business_creation"])
    make_record(db, title="Fiche métier : boulanger", isbn=None, document_type="job_sheet", poles=[])
    make_record(db, title="Revue emploi", isbn=None, document_type="periodical", poles=["job_search"])

    def titles(query):
        return [r["245"]["a"].rstrip(" :/") for r in read_back(export(db, "marcxml", query), "marcxml")]

    assert titles("type:job_sheet") == ["Fiche métier : boulanger"]
    assert titles("pole:job_search") == ["Revue emploi"]
    assert titles("ENTREPRISE") == ["Créer son entreprise"]
    assert titles("type:periodical emploi") == ["Revue emploi"]
    assert titles("source:main-library") == []
    assert len(titles("updated-since:2000-01-01")) == 3
    assert titles("updated-since:2999-01-01") == []


def test_parse_query_rejects_unknown_values_clearly():
    parsed = parse_query("type:book pole:orientation source:bm updated-since:2024-05-01 guide  métier")
    assert (parsed.document_type, parsed.pole, parsed.source, parsed.text) == ("book", "orientation", "bm",
                                                                                "guide métier")
    assert parsed.updated_since.isoformat() == "2024-05-01T00:00:00+00:00"
    assert parse_query("title:foo").text == "title:foo"
    for query, message in [("type:novel", "unknown type"), ("pole:x", "unknown pole"),
                           ("updated-since:yesterday", "YYYY-MM-DD"), ("type:book type:website", "twice"),
                           ("source:", "needs a value")]:
        with pytest.raises(ValueError, match=message):
            parse_query(query)


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)
    return invoke


def test_export_command_writes_stdout_or_a_file(run, db, tmp_path):
    full_record(db)
    make_record(db, title="Autre", subtitle=None, isbn=None, poles=["orientation"])

    result = run("export")
    assert result.exit_code == 0, result.stderr
    assert len(read_back(result.stdout_bytes, "marcxml")) == 2
    assert result.stderr.strip() == "2 records exported."

    target = tmp_path / "out.mrc"
    result = run("export", "--format", "iso2709", "--query", "pole:orientation", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b""
    assert result.stderr.strip() == f"1 record exported to {target}."
    [marc] = read_back(target.read_bytes(), "iso2709")
    assert marc["245"]["a"] == "Autre"
    assert not (tmp_path / "out.mrc.part").exists()


def test_export_command_reports_a_bad_query(run):
    result = run("export", "--query", "type:novel")
    assert result.exit_code == 2
    assert "unknown type 'novel'" in result.output


def test_export_command_counts_skipped_records(run, db):
    make_record(db, title="Huge", isbn=None, summary="z" * 10_000)
    result = run("export", "--format", "iso2709")
    assert result.exit_code == 0
    assert result.stdout_bytes == b""
    assert "Skipped record 1: too large for ISO 2709" in result.stderr
    assert "0 records exported, 1 skipped (too large for ISO 2709)." in result.stderr


# Lossless export of records imported as MARC21 ----------------------------------
def raw_marc21() -> pymarc.Record:
    def df(tag, ind, *pairs):
        return pymarc.Field(tag, list(ind), [pymarc.Subfield(c, v) for c, v in pairs])

    marc = pymarc.Record(leader="00000cam a2200000 i 4500", force_utf8=True)
    marc.add_field(
        pymarc.Field("001", data="bib42"), pymarc.Field("003", data="FrBM"),
        pymarc.Field("005", data="20200101120000.0"),
        pymarc.Field("008", data="200101s1942    fr a          000 1 fre  "),
        df("020", "  ", ("a", "2070360245 (poche)")), df("035", "  ", ("a", "(OCoLC)12345")),
        df("040", "  ", ("a", "FrBM"), ("b", "fre")),
        df("100", "1 ", ("a", "Camus, Albert,"), ("d", "1913-1960."), ("e", "auteur.")),
        df("245", "13", ("a", "L'étranger /"), ("c", "Albert Camus.")),
        df("264", " 1", ("a", "Paris :"), ("b", "Gallimard,"), ("c", "1942.")),
        df("300", "  ", ("a", "159 p. ;"), ("c", "18 cm")),
        df("336", "  ", ("a", "texte"), ("b", "txt"), ("2", "rdacontent")),
        df("500", "  ", ("a", "Premier roman de l'auteur.")),
        df("650", " 7", ("a", "Absurde (philosophie)"), ("v", "Romans"), ("2", "rameau")),
        df("852", "  ", ("a", "BM"), ("h", "R CAM"), ("p", "BM000042")),
        df("952", "  ", ("p", "KOHA1"), ("o", "R CAM")),
        df("999", "  ", ("c", "42"), ("d", "42")),
    )
    return marc


def import_like(db, marc: pymarc.Record):
    """What an import stores: the mapped fields, subjects, items and raw MARC."""
    from catalogue.services import ItemService, RecordService
    from importers.marc.mapping import to_catalogue

    mapped = to_catalogue(marc, "marc21")
    with db.transaction() as session:
        record = RecordService(session).create(mapped.data)
        record_id = record.id
        session.add_all(RecordSubject(record_id=record_id, heading=h, vocabulary=v, tag=t)
                        for h, v, t in mapped.subjects)
        record.raw_marc, record.marc_flavour = marc.as_marc(), "marc21"
        record.source, record.source_id = "main-library", mapped.source_id
        for item in mapped.items:
            ItemService(session).create(record_id, item, source="main-library")
    return record_id


def maps_back(marc: pymarc.Record) -> dict:
    """The catalogue fields an import of ``marc`` gives (round trip check)."""
    import datetime as dt

    from catalogue.services.snapshots import plain_fields
    from catalogue.services.validation import clean_record
    from importers.marc.mapping import to_catalogue

    mapped = to_catalogue(marc, "marc21")
    return plain_fields(clean_record({**mapped.data, **mapped.local}, today=dt.date.today()))


def catalogue_fields(record) -> dict:
    from catalogue.services.snapshots import record_fields

    return {**record_fields(record), "local_notes": None}


def update(db, record_id, **changes):
    from catalogue.services import RecordService
    from catalogue.services.snapshots import record_fields

    with db.transaction() as session:
        service = RecordService(session)
        record = service.get(record_id)
        service.update(record_id, {**record_fields(record), **changes}, expected_version=record.version)


def test_an_imported_marc21_record_exports_its_raw_fields_with_our_items(db):
    raw = raw_marc21()
    record_id = import_like(db, raw)
    marc = record_to_marc21(record_with_relations(db, record_id))

    untouched = [str(f) for f in raw.fields if f.tag not in ("005", "852", "952")]
    ours = pymarc.Field("035", [" ", " "], [pymarc.Subfield("a", f"(FR-CdM){record_id}")])
    assert [str(f) for f in marc.fields if f.tag not in ("005", "852", "959") and str(f) != str(ours)] \
        == untouched
    # Our number follows the source's own 035: the source's number stays the first.
    assert [str(f) for f in marc.get_fields("035")] == ["=035  \\\\$a(OCoLC)12345", str(ours)]
    assert str(marc.leader)[5:8] == "cam" and marc.leader[9] == "a"
    assert marc["005"].data != "20200101120000.0"
    # Items come from the catalogue, as 852 only: the Koha 952 would import twice.
    assert [f["p"] for f in marc.get_fields("852")] == ["BM000042", "KOHA1"]
    assert "952" not in marc
    assert subfields(marc["959"]) == [("t", "book")]
    assert maps_back(marc) == catalogue_fields(record_with_relations(db, record_id))
    # Both formats carry it exactly (008 keeps its trailing blanks in MARCXML).
    for fmt in ("marcxml", "iso2709"):
        stream = io.BytesIO()
        write_marc([marc], fmt, stream)
        [again] = read_back(stream.getvalue(), fmt)
        assert [str(f) for f in again.fields] == [str(f) for f in marc.fields]
        assert again["008"].data.endswith("fre  ")


def test_edited_fields_replace_only_their_marc_fields(db):
    record_id = import_like(db, raw_marc21())
    update(db, record_id, title="L'Étranger", year=1957, languages=["fre", "eng"],
           notes="159 p. ; 18 cm\nÉdition de poche.", document_type="job_sheet")
    record = record_with_relations(db, record_id)
    marc = record_to_marc21(record)

    assert subfields(marc["245"]) == [("a", "L'Étranger /"), ("c", "Albert Camus")]
    assert subfields(marc["264"]) == [("a", "Paris :"), ("b", "Gallimard,"), ("c", "1957")]
    assert marc["008"].data[7:11] == "1957" and marc["008"].data[35:38] == "fre"
    assert marc["008"].data[11:35] == raw_marc21()["008"].data[11:35]
    assert subfields(marc["041"]) == [("a", "fre"), ("a", "eng")]
    # The 300 still opens the notes: kept; the 500 carries the edited rest.
    assert subfields(marc["300"]) == [("a", "159 p. ;"), ("c", "18 cm")]
    assert [f["a"] for f in marc.get_fields("500")] == ["Édition de poche."]
    assert subfields(marc["959"]) == [("t", "job_sheet")]
    # Unedited: kept exactly as received.
    for tag in ("001", "003", "020", "035", "100", "336", "650", "999"):
        assert str(marc[tag]) == str(raw_marc21()[tag])
    assert maps_back(marc) == catalogue_fields(record)


def test_edited_notes_drop_a_physical_description_they_no_longer_hold(db):
    record_id = import_like(db, raw_marc21())
    update(db, record_id, notes="Nouvelle note")
    marc = record_to_marc21(record_with_relations(db, record_id))
    assert "300" not in marc
    assert [f["a"] for f in marc.get_fields("500")] == ["Nouvelle note"]
    assert maps_back(marc) == catalogue_fields(record_with_relations(db, record_id))


def test_changed_subjects_replace_the_subject_fields(db):
    from sqlalchemy import select

    record_id = import_like(db, raw_marc21())
    with db.transaction() as session:
        subject = session.scalar(select(RecordSubject).where(RecordSubject.record_id == record_id))
        subject.heading = "Absurde -- Romans"
        session.add(RecordSubject(record_id=record_id, heading="Novels", vocabulary=None, tag="655"))
    marc = record_to_marc21(record_with_relations(db, record_id))
    assert subfields(marc["650"]) == [("a", "Absurde"), ("x", "Romans"), ("2", "rameau")]
    assert marc["655"].indicator2 == "4"


@pytest.mark.parametrize("use_raw", [True, False])
def test_local_and_built_records_map_back_to_the_same_fields(db, use_raw):
    records = [
        full_record(db),
        make_record(db, title="Revue Emploi", subtitle=None, document_type="periodical", isbn=None,
                    issn="0378-5955", frequency="Mensuel", holdings_statement="2019-",
                    subscription_status="active", contributors=[]),
        make_record(db, title="Site des métiers", document_type="website", url="https://metiers.example/",
                    isbn=None, contributors=[{"name": "Onisep", "role": "ctb"}], year=None),
        make_record(db, title="CD-ROM", document_type="cd_dvd", url="https://cd.example/", isbn=None),
    ]
    for record in records:
        loaded = record_with_relations_any(db, record.id)
        assert maps_back(record_to_marc21(loaded, use_raw=use_raw)) == catalogue_fields(loaded)


def record_with_relations_any(db, record_id):
    with db.session() as session:
        return next(r for r in stream_records(session, parse_query(None)) if r.id == record_id)


# Round trip through our own importer ---------------------------------------------
@pytest.fixture
def second_database_url(template_database, tmp_path, request):
    """Another clean, migrated database on the same backend."""
    import shutil
    import uuid

    from cite import migrate
    from core.db import Database

    if template_database["backend"] == "sqlite":
        path = tmp_path / "second.db"
        shutil.copyfile(template_database["path"], path)
        return f"sqlite:///{path}"
    server = request.getfixturevalue("postgres_server")
    url = server.create_database(f"roundtrip_{uuid.uuid4().hex[:12]}")
    database = Database(url)
    migrate.upgrade(database)
    database.dispose()
    return url


def cli(database_url, tmp_path, *args):
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en"}
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def snapshot(database_url) -> list[dict]:
    """Every record's catalogue fields, subjects and items, in creation order."""
    from sqlalchemy import select

    from catalogue.models import Record
    from catalogue.services.snapshots import record_fields
    from core.db import Database

    database = Database(database_url)
    try:
        with database.session() as session:
            records = session.scalars(select(Record).order_by(Record.id)).all()
            return [{
                **record_fields(r),
                "subjects": sorted((s.heading, s.vocabulary, s.tag) for s in r.subjects),
                "items": [(i.barcode, i.library.value, i.location, i.call_number, i.status.value)
                          for i in r.items],
            } for r in records]
    finally:
        database.dispose()


ROUND_TRIP_FILES = {
    "marc21-marc8": ["marc21-evergreen-datasets/lul_fre_100.mrc"],
    "marcxml": ["marcxml-lc-marc2bibframe2-dataset/british_library.xml",
                "marcxml-lc-marc2bibframe2-dataset/dnb.xml",
                "marcxml-lc-marc2bibframe2-dataset/loc_general.xml"],
    "unimarc": ["unimarc-marcjs-bnf/bib.mrc", "unimarc-sciencespo-medialab/cotesX.mrc"],
}


@pytest.mark.parametrize("fmt", ["iso2709", "marcxml"])
@pytest.mark.parametrize("files", list(ROUND_TRIP_FILES))
def test_import_export_import_gives_the_same_records(shared_data, database_url, second_database_url,
                                                     tmp_path, files, fmt):
    paths = [str(shared_data / name) for name in ROUND_TRIP_FILES[files]]
    cli(database_url, tmp_path, "import", *paths, "--source", "shared", "--json")
    first = snapshot(database_url)
    assert first, "nothing was imported"

    exported = tmp_path / f"export.{fmt}"
    result = cli(database_url, tmp_path, "export", "--format", fmt, "--output", str(exported))
    assert f"{len(first)} records exported" in result.stderr

    cli(second_database_url, tmp_path, "import", str(exported), "--source", "roundtrip", "--json")
    second = snapshot(second_database_url)
    if files == "unimarc":  # exported as MARC21: subjects change tags (606 -> 650...), nothing else
        for record in first:
            record["subjects"] = sorted((h, v, UNIMARC_SUBJECT_TAGS.get(t, t)) for h, v, t in record["subjects"])
    assert len(second) == len(first)
    for before, after in zip(first, second):
        assert after == before

    # And the export of the copy is the same export (005 aside: it is the copy's change time).
    again = tmp_path / f"again.{fmt}"
    cli(second_database_url, tmp_path, "export", "--format", fmt, "--output", str(again))
    assert [_without_005(r) for r in read_back(again.read_bytes(), fmt)] == \
        [_without_005(r) for r in read_back(exported.read_bytes(), fmt)]


def _without_005(marc: pymarc.Record) -> list[str]:
    leader = str(marc.leader)  # lengths and base address aside (MARCXML leaves them as written)
    return [leader[5:12] + leader[17:]] + [str(f) for f in marc.fields if f.tag != "005"]
