"""MARC21 and UNIMARC records -> catalogue data (no database: runs once)."""
from __future__ import annotations

import datetime as dt

import pytest

from catalogue.identifiers import InvalidIdentifier, normalise_isbn
from catalogue.services.validation import clean_record
from importers.marc.mapping import MappingError, _isbn13, isbd, to_catalogue
from importers.marc.reader import read_marc
from tests.support.marc import cf, df, record

BOOK = "00000nam a2200000 a 4500"
F008 = "800108s1999    ilu           000 0 eng  "


def test_marc21_book_fields_without_isbd_punctuation():
    marc = record(
        BOOK, cf("001", "  00000002 "), cf("003", "DLC"), cf("008", F008),
        df("020", "  ", ("a", "0306406152 (pbk.)")), df("020", "  ", ("a", "9780306406157")),
        df("041", "0 ", ("a", "engfre")),
        df("100", "1 ", ("a", "Aurand, Samuel Herbert,"), ("d", "1854-")),
        df("245", "14", ("a", "The botanical materia medica ;"), ("b", "drugs considered /"),
           ("c", "by S. H. Aurand.")),
        df("250", "  ", ("a", "2nd ed.")),
        df("264", " 1", ("a", "Chicago :"), ("b", "P. H. Mallen Co.,"), ("c", "c1899.")),
        df("264", " 4", ("c", "©1898")),
        df("300", "  ", ("a", "406 p. ;"), ("c", "24 cm.")),
        df("490", "0 ", ("a", "Home law school series ;"), ("v", "3")),
        df("520", "  ", ("a", "A summary.")),
        df("700", "1 ", ("a", "Smith, Jane,"), ("e", "illustrator.")),
        df("700", "1 ", ("a", "Doe, John."), ("4", "http://id.loc.gov/vocabulary/relators/trl")),
        df("710", "2 ", ("a", "Harvard University."), ("b", "Press,"), ("4", "pbl")),
    )
    mapped = to_catalogue(marc, "marc21")
    data = mapped.data
    assert mapped.source_id == "00000002" and mapped.flavour == "marc21"
    assert (data["title"], data["subtitle"], data["responsibility"]) == (
        "The botanical materia medica", "drugs considered", "by S. H. Aurand")
    assert mapped.filing_title == "botanical materia medica"  # 245 ind2 = 4 skips "The "
    assert data["contributors"] == [
        {"name": "Aurand, Samuel Herbert", "role": "aut"}, {"name": "Smith, Jane", "role": "ill"},
        {"name": "Doe, John", "role": "trl"}, {"name": "Harvard University. Press", "role": "ctb"}]
    assert (data["place"], data["publisher"], data["year"]) == ("Chicago", "P. H. Mallen Co.", 1899)
    assert data["edition"] == "2nd ed."  # an abbreviation keeps its period
    assert data["series"] == "Home law school series"
    assert data["isbn"] == "9780306406157" and mapped.isbns == ["9780306406157"]
    assert data["languages"] == ["eng", "fre"]
    assert data["summary"] == "A summary." and data["notes"] == "406 p. ; 24 cm."
    assert data["document_type"] == "book"
    clean = clean_record(data, today=dt.date.today())  # what the mapping gives always validates
    assert clean["isbn"] == "9780306406157"


def test_invalid_isbns_and_years_are_dropped_not_fatal():
    marc = record(BOOK, cf("008", "800108s2999    xx            000 0 fre  "),
                  df("020", "  ", ("a", "0306406153")), df("020", "  ", ("a", "978-2-07-036024-6 (br.)")),
                  df("245", "00", ("a", "Un livre")), df("260", "  ", ("c", "[2999?]")))
    data = to_catalogue(marc, "marc21").data
    assert data["isbn"] == "9782070360246"  # the bad check digit is skipped, the next one kept
    assert data["year"] is None  # 2999: in the future
    marc = record(BOOK, df("020", "  ", ("a", "12345")), df("245", "00", ("a", "Sans ISBN")),
                  df("264", " 1", ("c", "1234")))
    data = to_catalogue(marc, "marc21").data
    assert data["isbn"] is None and data["year"] is None  # 1234: too early to be printed


def test_year_falls_back_to_008():
    marc = record(BOOK, cf("008", F008), df("245", "00", ("a", "T")), df("260", "  ", ("c", "[n.d.]")))
    assert to_catalogue(marc, "marc21").data["year"] == 1999


@pytest.mark.parametrize("value", [
    "0306406152", "030640615X", "0-306-40615-2", "9780306406157", "9790306406157", "9780306406158",
    "080442957X", "080442957x", "979-10-90636-07-1", "97910906360", "abc", "",
])
def test_fast_isbn_check_agrees_with_python_stdnum(value):
    try:
        expected = normalise_isbn(value)
    except InvalidIdentifier:
        expected = None
    assert _isbn13(value) == expected


@pytest.mark.parametrize("raw, clean", [
    ("Title /", "Title"), ("Title :", "Title"), ("Title ;", "Title"), ("Title =", "Title"),
    ("Publisher,", "Publisher"), ("Le monde.", "Le monde"), ("Home Study Pub. Co.,", "Home Study Pub. Co."),
    ("By S. H. Aurand.", "By S. H. Aurand"), ("Washington, D.C.", "Washington, D.C."),
    ("Mots...", "Mots..."), ("  spaced   out  ", "spaced out"),
])
def test_isbd_punctuation(raw, clean):
    assert isbd(raw) == clean


@pytest.mark.parametrize("leader, extra, expected", [
    ("00000nas a2200000 a 4500", [], "periodical"),
    ("00000ngm a2200000 a 4500", [], "audiovisual"),
    ("00000njm a2200000 a 4500", [], "audiovisual"),
    ("00000nmm a2200000 a 4500", [df("300", "  ", ("a", "1 CD-ROM"))], "cd_dvd"),
    ("00000nmm a2200000 a 4500", [df("856", "40", ("u", "https://example.org/"))], "website"),
    ("00000nai a2200000 a 4500", [df("856", "40", ("u", "https://example.org/"))], "website"),
    ("00000nam a2200000 a 4500", [df("655", " 7", ("a", "Web sites."), ("2", "lcgft")),
                                  df("856", "40", ("u", "http://example.org/site"))], "website"),
    ("00000nam a2200000 a 4500", [df("655", " 7", ("a", "Web sites."))], "book"),  # no address
    ("00000nem a2200000 a 4500", [], "other"),
    ("00000nam a2200000 a 4500", [df("959", "  ", ("a", "job_search"), ("t", "job_sheet"))], "job_sheet"),
])
def test_marc21_document_types(leader, extra, expected):
    mapped = to_catalogue(record(leader, df("245", "00", ("a", "T")), *extra), "marc21")
    assert mapped.data["document_type"] == expected
    clean_record(mapped.data, today=dt.date.today())


def test_marc21_subjects_keep_their_vocabulary():
    marc = record(BOOK, df("245", "00", ("a", "T")),
                  df("650", " 0", ("a", "Homeopathy"), ("x", "Materia medica and therapeutics."), ("0", "sh1")),
                  df("651", " 0", ("a", "France"), ("x", "History"), ("y", "1789-1799.")),
                  df("650", " 7", ("a", "Emploi"), ("2", "rameau")),
                  df("655", " 2", ("a", "Case Reports.")), df("650", " 4", ("a", "Local term.")),
                  df("650", " 0", ("a", "Homeopathy"), ("x", "Materia medica and therapeutics.")))
    assert to_catalogue(marc, "marc21").subjects == [
        ("Homeopathy -- Materia medica and therapeutics", "lcsh", "650"),
        ("Emploi", "rameau", "650"), ("Local term", None, "650"),
        ("France -- History -- 1789-1799", "lcsh", "651"), ("Case Reports", "mesh", "655")]


def test_marc21_items_from_852_and_koha_952():
    marc = record(BOOK, df("245", "00", ("a", "T")),
                  df("852", "  ", ("a", "main"), ("b", "Espace emploi"), ("h", "EMP 2"), ("p", "CM001"),
                     ("9", "on_display")),
                  df("852", "  ", ("h", "EMP 2 MAR")),  # no barcode: the record's call number
                  df("952", "  ", ("a", "CENTRAL"), ("c", "Réserve"), ("o", "331.7 DUP"), ("p", "K-0002")),
                  df("952", "  ", ("p", "K-0003"), ("0", "1")), df("952", "  ", ("p", "K-0004"), ("1", "2")),
                  df("952", "  ", ("p", "bad barcode with spaces")), df("952", "  ", ("o", "no barcode")))
    mapped = to_catalogue(marc, "marc21")
    assert mapped.items == [
        {"barcode": "CM001", "library": "main", "location": "Espace emploi", "call_number": "EMP 2",
         "status": "on_display"},
        {"barcode": "K-0002", "library": "main", "location": "Réserve", "call_number": "331.7 DUP",
         "status": "available"},
        {"barcode": "K-0003", "library": "main", "location": None, "call_number": None, "status": "withdrawn"},
        {"barcode": "K-0004", "library": "main", "location": None, "call_number": None, "status": "missing"}]
    assert mapped.data["call_number"] == "EMP 2 MAR"


def test_records_without_a_title_and_authorities_are_refused():
    with pytest.raises(MappingError, match="no title"):
        to_catalogue(record(BOOK, cf("001", "1"), df("100", "1 ", ("a", "Nobody"))), "marc21")
    with pytest.raises(MappingError, match="authority record"):
        to_catalogue(record("00000nz  a2200000n  4500", df("100", "1 ", ("a", "Hugo, Victor"))), "marc21")
    with pytest.raises(ValueError):
        to_catalogue(record(BOOK, df("245", "00", ("a", "T"))), "dublin-core")


def test_values_too_long_for_their_column_are_clipped_the_raw_keeps_them():
    marc = record(BOOK, df("245", "00", ("a", "x" * 900)), df("856", "40", ("u", "http://e.org/" + "a" * 3000)))
    data = to_catalogue(marc, "marc21").data
    assert len(data["title"]) == 500 and data["title"].endswith("…")
    assert data["url"] is None  # an address cannot be cut: dropped
    clean_record(data, today=dt.date.today())


UNIMARC = "00000nam0 2200000   450 "


def test_unimarc_book_with_non_sorting_markers_and_relators():
    marc = record(
        UNIMARC, cf("001", "115625623"),
        df("010", "  ", ("a", "2-07-036024-X")), df("010", "  ", ("a", "978-2-07-036024-6"), ("d", "12 EUR")),
        df("100", "  ", ("a", "20070622d1906    m  y0frey0103    ba")),
        df("101", "0 ", ("a", "fre"), ("a", "ger")),
        df("200", "1 ", ("a", "\u0088Les \u0089Intérêts français en Bohême"), ("b", "Texte imprimé"),
           ("e", "à propos du Consulat général"), ("f", "Louis Léger"), ("g", "préf. de Paul Dupont")),
        df("205", "  ", ("a", "2e éd.")),
        df("210", "  ", ("a", "Paris"), ("c", "impr. de V. Goupy"), ("d", "1906")),
        df("215", "  ", ("a", "1 vol. (11 p.)"), ("d", "18 cm")),
        df("225", "2 ", ("a", "Collection rouge"), ("v", "12")),
        df("330", "  ", ("a", "Résumé.")),
        df("606", "  ", ("a", "Relations extérieures"), ("y", "France"), ("z", "19e siècle"), ("2", "rameau")),
        df("600", " 1", ("a", "Léger"), ("b", "Louis"), ("f", "1843-1923"), ("2", "rameau")),
        df("700", " 1", ("a", "Léger"), ("b", "Louis"), ("f", "(1843-1923)"), ("4", "070")),
        df("701", " 1", ("a", "Martin"), ("b", "Anne"), ("4", "730")),
        df("702", " 1", ("a", "Dupont"), ("b", "Paul"), ("4", "080")),
        df("702", " 1", ("a", "Durand"), ("b", "Éric")),
        df("712", "02", ("a", "France"), ("b", "Ministère des affaires étrangères")),
        df("995", "  ", ("b", "751072303"), ("e", "Magasin"), ("f", "00000001390392"), ("k", "MEL 8° 071")),
    )
    mapped = to_catalogue(marc, "unimarc")
    data = mapped.data
    assert data["title"] == "Les Intérêts français en Bohême"
    assert mapped.filing_title == "Intérêts français en Bohême"
    assert (data["subtitle"], data["responsibility"]) == (
        "à propos du Consulat général", "Louis Léger ; préf. de Paul Dupont")
    assert (data["place"], data["publisher"], data["year"]) == ("Paris", "impr. de V. Goupy", 1906)
    assert data["isbn"] == "9782070360246" and data["languages"] == ["fre", "ger"]
    assert (data["edition"], data["series"], data["summary"]) == ("2e éd.", "Collection rouge", "Résumé.")
    assert data["notes"] == "1 vol. (11 p.) ; 18 cm"
    assert data["contributors"] == [
        {"name": "Léger, Louis", "role": "aut"}, {"name": "Martin, Anne", "role": "trl"},
        {"name": "Dupont, Paul", "role": "ctb"}, {"name": "Durand, Éric", "role": "ctb"},
        {"name": "France. Ministère des affaires étrangères", "role": "ctb"}]
    assert mapped.subjects == [("Léger, Louis", "rameau", "600"),
                               ("Relations extérieures -- France -- 19e siècle", "rameau", "606")]
    assert mapped.items == [{"barcode": "00000001390392", "library": "main", "location": "Magasin",
                             "call_number": "MEL 8° 071", "status": "available"}]
    assert data["call_number"] == "MEL 8° 071" and data["document_type"] == "book"
    assert mapped.source_id == "115625623"
    clean_record(data, today=dt.date.today())


@pytest.mark.parametrize("title, display, filing", [
    ("<<L'>>Économie", "L'Économie", "Économie"),
    ("\u0098The \u009cTimes", "The Times", "Times"),
    ("La \u009cRecherche", "La Recherche", "Recherche"),  # only the closing marker survived
    ("Sans article", "Sans article", None),
])
def test_unimarc_non_sorting_forms(title, display, filing):
    mapped = to_catalogue(record(UNIMARC, df("200", "1 ", ("a", title))), "unimarc")
    assert (mapped.data["title"], mapped.filing_title) == (display, filing)


@pytest.mark.parametrize("leader, url, expected", [
    ("00000nas  2200000   450 ", None, "periodical"),
    ("00000nls  2200000   450 ", "http://fms.treas.gov/", "periodical"),
    ("00000nlm  2200000   450 ", "http://example.org/", "website"),
    ("00000nlm  2200000   450 ", None, "cd_dvd"),
    ("00000ngm  2200000   450 ", None, "audiovisual"),
    ("00000nkm  2200000   450 ", None, "other"),
])
def test_unimarc_document_types(leader, url, expected):
    fields = [df("200", "1 ", ("a", "T")), df("011", "  ", ("a", "0955-2359"))]
    if url:
        fields.append(df("856", "4 ", ("u", url)))
    data = to_catalogue(record(leader, *fields), "unimarc").data
    assert data["document_type"] == expected and data["issn"] == "0955-2359"
    clean_record(data, today=dt.date.today())


def test_unimarc_year_from_210_when_100_has_none():
    marc = record(UNIMARC, df("100", "  ", ("a", "20001231a        y0frey0103    ba")),
                  df("200", "1 ", ("a", "T")), df("210", "  ", ("d", "impr. 1963")))
    assert to_catalogue(marc, "unimarc").data["year"] == 1963


# Real files ------------------------------------------------------------------
def _mapped(path, flavour):
    return [to_catalogue(raw.record, flavour) for raw in read_marc(path) if raw.record is not None]


def test_french_unimarc_titles_and_accents(shared_data):
    folder = shared_data / "unimarc-sciencespo-medialab"
    mel = {m.source_id: m for m in _mapped(folder / "cotesMEL.mrc", "unimarc")}
    first = mel["115625623"]
    assert first.data["title"] == "Les Intérêts français en Bohême"
    assert first.data["subtitle"] == "à propos du Consulat général de France à Prague, lettre à un député"
    assert first.data["contributors"] == [{"name": "Léger, Louis", "role": "aut"}]
    assert first.items[0]["barcode"] == "00000001390392"
    hospital = mel["102016682"]
    assert hospital.data["title"] == "Statistique du mouvement hospitalier. Années 1955 à 1959"
    assert ("Hôpitaux -- Statistiques -- Périodiques", None, "606") in hospital.subjects
    serials = {m.source_id: m for m in _mapped(folder / "periouni.mrc", "unimarc")}
    history = serials["040085864"]
    assert history.data["title"] == "20 century British history"
    assert (history.data["issn"], history.data["document_type"]) == ("0955-2359", "periodical")
    assert ("Grande-Bretagne -- 20e siècle -- Périodiques", None, "607") in history.subjects
    rameau = [s for m in serials.values() for s in m.subjects if s[1] == "rameau"]
    assert len(rameau) > 100


def test_every_isbn_kept_from_the_bad_isbn_set_is_valid(shared_data):
    mapped = _mapped(shared_data / "marc21-evergreen-datasets" / "badisbns.xml", "marc21")
    assert len(mapped) == 10
    for m in mapped:
        for number in m.isbns:
            assert normalise_isbn(number) == number
    dropped = sum(1 for m in mapped if not m.isbns)
    assert dropped >= 1  # some records have nothing but bad ISBNs


def test_french_marc8_records_map_and_validate(shared_data):
    mapped = _mapped(shared_data / "marc21-evergreen-datasets" / "lul_fre_500.mrc", "marc21")
    assert len(mapped) == 500
    today = dt.date.today()
    for m in mapped:
        clean_record(m.data, today=today)
    assert all("fre" in m.data["languages"] for m in mapped[:50])
    assert any("é" in m.data["title"] for m in mapped)


def test_fast_isbn_check_agrees_with_python_stdnum_on_real_records(shared_data):
    """The import trusts the mapping's ISBN check (clean_record does not repeat it)."""
    files = ["marc21-loc-booksall-2016-sample/BooksAll.2016.part01.first10000.utf8.mrc",
             "marc21-evergreen-datasets/badisbns.xml", "marc21-evergreen-datasets/lul_fre_500.mrc",
             "unimarc-sciencespo-medialab/cotesMEL.mrc"]
    seen = 0
    for name in files:
        for raw in read_marc(shared_data / name):
            for field in raw.record.get_fields("020", "010") if raw.record else ():
                for value in field.get_subfields("a", "z"):
                    token = value.strip().split(" ")[0].split("(")[0]
                    try:
                        expected = normalise_isbn(token)
                    except InvalidIdentifier:
                        expected = None
                    assert _isbn13(token) == expected, value
                    seen += 1
    assert seen > 8000
