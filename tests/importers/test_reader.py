"""Reading MARC files: every record of every shared file is accounted for, broken ones are
rejected with a reason and their bytes, and character sets come out right.

No database here: these tests run once, not once per backend.
"""
from __future__ import annotations

import csv
import gzip
import io
import itertools
import unicodedata

import pymarc
import pytest

from importers.marc import iso2709, iso5426, marc8
from importers.marc.flavour import detect_flavour
from importers.marc.reader import read_marc, write_rejects
from tests.conftest import SHARED_DATA

MARC_SUFFIXES = (".mrc", ".dat", ".marc", ".xml")
# Files in those folders that are not MARC records (or not ones we read).
NOT_MARC_SUFFIXES = (".txt", ".tsv", ".mrk", ".mrk8", ".json", ".mij")
NOT_MARC_PREFIXES = ("LICENSE", "COPYING", "README", "SOURCE")
BENCH_FILE = "marc21-loc-booksall-2016-100k/loc-booksall-2016-records-10001-110000.mrc.gz"


def _marc_files() -> list[str]:
    if not SHARED_DATA.is_dir():
        return []
    found = []
    for folder in ("marc21-*", "marcxml-*", "unimarc-*"):
        for path in SHARED_DATA.glob(f"{folder}/**/*"):
            if path.is_file() and path.name.endswith(MARC_SUFFIXES):
                found.append(path.relative_to(SHARED_DATA).as_posix())
    return sorted(found)


FILES = _marc_files()
# When the shared data is absent, one placeholder lets the shared_data fixture skip with its reason.
FILE_PARAMS = FILES or ["(shared data absent)"]

# What FILES.tsv counts (0x1D terminators or <record> elements) differs from what we yield in
# three files, all by design:
COUNT_ADJUSTMENTS = {
    # 8 terminated records + a 100-byte tail without terminator, yielded as a 9th (reject).
    "marc21-pymarc-tests/bad_records.mrc": 9,
    # 18 records + a 3,034-byte partial record cut at 65,536 bytes: the 19th, a reject.
    "marc21-marc4j-tests/008008027.mrc": 19,
    # 7 <record> roots without a wrapper: the first parses, then the document is not
    # well-formed and the unparsed rest is one reject (FILES.tsv says 1, pymarc's count).
    "marc21-evergreen-datasets/serials_marc21.xml": 2,
}
# (Trailing bytes FILES.tsv notes in bad_indicator.dat (821 blanks), testunimarc.dat and
# unimarc-marcjs-bnf/bib.mrc (a newline) are padding, not records: nothing is yielded for them.)

# Deliberately broken records (see each folder's SOURCE.txt) and what we reject.
EXPECTED_REJECTS = {
    "marc21-evergreen-datasets/hebrew.marc": 1,  # DEL (0x7f) inside Hebrew MARC-8 text
    "marc21-evergreen-datasets/oss.marc": 1,  # 0x92 in the leader
    "marc21-evergreen-datasets/serials_marc21.xml": 1,
    "marc21-marc4j-tests/008008027.mrc": 1,
    "marc21-marc4j-tests/185258.mrc": 1,
    "marc21-marc4j-tests/bad-characters-in-various-fields.mrc": 1,  # control byte as subfield code
    "marc21-marc4j-tests/bad_oversize_field_bad_directory.mrc": 1,
    "marc21-marc4j-tests/chabon-bad-subfields-element.xml": 1,
    "marc21-marc4j-tests/chabon-missing-controlfield-tag.xml": 1,
    "marc21-marc4j-tests/chabon-missing-datafield-tag.xml": 1,
    "marc21-marc4j-tests/chabon-missing-subfield-code.xml": 1,
    "marc21-marc4j-tests/chinese_mangled_multibyte.mrc": 1,
    "marc21-marc4j-tests/greekmissingcharsetchange.mrc": 1,
    "marc21-marc4j-tests/incomplete_esc_seq.mrc": 1,
    "marc21-marc4j-tests/not_unimarc_errors_3.mrc": 3,
    # The 16 broken directories; its records flagged UTF-8 but written in MARC-8 or
    # ISO 5426 are read in the set their bytes fit.
    "marc21-marc4j-tests/pride-and-prejudice-with-many-errors.mrc": 16,
    "marc21-marc4j-tests/sample1.mrc": 1,  # invalid UTF-8 in 245
    "marc21-marc4j-tests/samples/error.mrc": 1,
    "marc21-pymarc-tests/1251.dat": 6,  # Windows-1251, neither MARC-8 nor UTF-8
    "marc21-pymarc-tests/bad_eacc_encoding.dat": 1,
    "marc21-pymarc-tests/bad_indicator.dat": 1,
    "marc21-pymarc-tests/bad_marc8_escape.dat": 1,
    "marc21-pymarc-tests/bad_records.mrc": 7,
    "marc21-pymarc-tests/bad_subfield_code.dat": 1,
    "marc21-pymarc-tests/bad_tag.xml": 1,
    "marc21-pymarc-tests/utf8_invalid.mrc": 1,
}

# Real UNIMARC records (100$a with a date, 200 title, 210, 801...) from Taiwanese and
# Chinese sources inside the marc4j Pride and Prejudice set, and pymarc's UNIMARC sample.
UNIMARC_IN_MARC21_FOLDERS = {
    "marc21-marc4j-tests/pride-and-prejudice-fixed.mrc": 17,
    "marc21-marc4j-tests/pride-and-prejudice-with-many-errors.mrc": 17,
    "marc21-pymarc-tests/testunimarc.dat": 1,
}


def _tsv_counts(folder) -> dict[str, int]:
    path = SHARED_DATA / folder / "FILES.tsv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return {row[0]: int(row[3]) for row in rows[1:] if row[3].isdigit()}


def _check_iso_bytes_kept(data: bytes, results) -> None:
    """Every byte of the file is in some record's raw bytes, in order, but padding."""
    position = 0
    for result in results:
        raw = result.raw
        found = data.find(raw, position)
        assert found >= 0, f"record {result.position}: raw bytes not found in order"
        assert data[position:found].strip(iso2709.JUNK) == b"", "bytes between records were dropped"
        position = found + len(raw)
    assert data[position:].strip(iso2709.JUNK) == b""


def test_every_marc_looking_file_is_covered(shared_data):
    for path in shared_data.glob("*/**/*"):
        folder = path.relative_to(shared_data).parts[0]
        if not path.is_file() or not folder.startswith(("marc21-", "marcxml-", "unimarc-")):
            continue
        name = path.name
        rel = path.relative_to(shared_data).as_posix()
        known = name.endswith(NOT_MARC_SUFFIXES) or name.startswith(NOT_MARC_PREFIXES)
        assert rel in FILES or rel == BENCH_FILE or known, f"{rel}: neither read nor known non-MARC"


@pytest.mark.parametrize("name", FILE_PARAMS)
def test_every_record_of_every_file_is_accounted_for(shared_data, name):
    path = shared_data / name
    results = list(read_marc(path))
    assert [r.position for r in results] == list(range(1, len(results) + 1))

    folder, _, file_name = name.partition("/")
    expected = COUNT_ADJUSTMENTS.get(name, _tsv_counts(folder).get(file_name))
    if expected is not None:
        assert len(results) == expected
    assert len(results) > 0

    rejects = [r for r in results if r.record is None]
    assert len(rejects) == EXPECTED_REJECTS.get(name, 0), [(r.position, r.error) for r in rejects]
    for result in results:
        assert result.raw
        if result.record is None:
            assert result.error and result.encoding is None
        else:
            assert result.error is None and result.encoding in ("utf-8", "marc-8", "iso-5426")
            assert result.record.fields
    if results[0].syntax == "iso2709":
        _check_iso_bytes_kept(path.read_bytes(), results)

    flavours = [detect_flavour(r.record) for r in results if r.record is not None]
    if folder.startswith("unimarc-"):
        assert set(flavours) == {"unimarc"}
    else:
        assert flavours.count("unimarc") == UNIMARC_IN_MARC21_FOLDERS.get(name, 0)


@pytest.mark.parametrize("name", sorted(EXPECTED_REJECTS) if FILES else FILE_PARAMS)
def test_rejects_file_reads_back(shared_data, tmp_path, name):
    rejects = [r for r in read_marc(shared_data / name) if r.record is None]
    written = write_rejects(tmp_path / "rejects", rejects)
    assert written == [str(tmp_path / "rejects")]
    again = list(read_marc(tmp_path / "rejects"))
    if name.endswith("serials_marc21.xml"):
        # The rest of the document was 6 <record> roots: the <collection> wrapper is the fix.
        assert len(again) == 6 and all(r.record is not None for r in again)
        return
    assert len(again) == len(rejects)
    assert all(r.record is None and r.error for r in again)


def test_rejects_of_both_syntaxes_go_to_two_files(shared_data, tmp_path):
    folder = shared_data / "marc21-pymarc-tests"
    iso = [r for r in read_marc(folder / "bad_records.mrc") if r.record is None]
    xml = [r for r in read_marc(folder / "bad_tag.xml") if r.record is None]
    written = write_rejects(tmp_path / "rejects.mrc", iso + xml)
    assert written == [str(tmp_path / "rejects.mrc"), str(tmp_path / "rejects.mrc.xml")]
    assert len(list(read_marc(written[0]))) == 7
    assert len(list(read_marc(written[1]))) == 1
    assert write_rejects(tmp_path / "none.mrc", []) == []


def test_broken_iso2709_reasons(shared_data):
    reasons = [r.error for r in read_marc(shared_data / "marc21-pymarc-tests/bad_records.mrc")]
    assert reasons == [
        None,
        "bad leader: base address 99937 is outside the record (127 bytes)",
        "bad leader: base address 0 is outside the record (127 bytes)",
        "bad directory: its length 13 is not a multiple of 12",
        "bad directory: its length 13 is not a multiple of 12",  # "245ù..." : ù is two bytes
        "bad leader: base address 'f0037' is not a number",
        "the record has no fields",
        None,
        "truncated record at end of file (no record terminator)",
    ]
    (error,) = [r.error for r in read_marc(shared_data / "marc21-marc4j-tests/samples/error.mrc")]
    assert error == "record length 714 in the leader but 715 bytes found"
    last = list(read_marc(shared_data / "marc21-marc4j-tests/008008027.mrc"))[-1]
    assert last.error == "truncated record at end of file (no record terminator)"
    assert len(last.raw) == 3034
    (bad,) = [r for r in read_marc(shared_data / "marc21-marc4j-tests/sample1.mrc") if r.error]
    assert bad.error.startswith("invalid UTF-8 in field 245: byte 0xf8")


def test_broken_marcxml_reasons(shared_data):
    folder = shared_data / "marc21-marc4j-tests"
    assert [r.error for r in read_marc(folder / "chabon-missing-controlfield-tag.xml")] == [
        "a controlfield at line 5 has no tag attribute"]
    assert [r.error for r in read_marc(folder / "chabon-missing-subfield-code.xml")] == [
        "a subfield of field 020 has no valid code attribute"]
    assert [r.error for r in read_marc(folder / "chabon-bad-subfields-element.xml")] == [
        "field 020 contains an unexpected <subfields> element"]
    first, rest = read_marc(shared_data / "marc21-evergreen-datasets/serials_marc21.xml")
    assert first.record is not None
    assert rest.error.startswith("XML is not well-formed at line 117: Extra content at the end")
    assert rest.raw.lstrip().startswith(b"<record") and rest.raw.count(b"<record") == 6


def test_oversize_records_are_read_when_their_directory_fits(shared_data):
    folder = shared_data / "marc21-marc4j-tests"
    first, second, third = read_marc(folder / "bad_too_long_plus_2.mrc")
    # 123,375 bytes: the leader says 23375 and offsets wrap, but every entry's tag and
    # length match the fields in order.
    assert len(first.raw) == 123_375 and len(first.record.fields) == 1517
    assert first.record["245"]["a"] == "Reports and memoranda."
    assert [second.record["001"].data, third.record["001"].data] == ["360945", "360946"]
    (datos,) = read_marc(folder / "datos-20161010-slice.mrc")  # 12- then 13-byte entries
    assert len(datos.record.get_fields("952")) == 965
    hathi = list(read_marc(folder / "bad_hathi_records.mrc"))[3]  # offsets saturate at 99999
    assert len(hathi.raw) > 1_000_000 and len(hathi.record.get_fields("974")) == 12582
    bad = list(read_marc(folder / "bad_oversize_field_bad_directory.mrc"))[1]
    assert bad.error == "bad directory: its length 217 is not a multiple of 12"


def _title(record, tag="200"):
    return record.get(tag)["a"]


def test_french_unimarc_declared_iso5426_but_utf8(shared_data):
    folder = shared_data / "unimarc-sciencespo-medialab"
    titles = {r.record.get("001").data: _title(r.record) for r in read_marc(folder / "cotesMEL.mrc")
              if r.record.get("001")}
    assert titles["115625623"] == "Les Intérêts français en Bohême"
    assert titles["095890882"] == "Les Premières violations du droit des gens par l'Allemagne"
    periodicals = list(read_marc(folder / "periouni.mrc"))
    declared = sum(1 for r in periodicals if r.record["100"]["a"][26:28] == "01")
    assert declared > 900  # most say ISO 646 + ISO 5426...
    # ...and all are UTF-8 (two all-ASCII records keep their declared label).
    assert {r.encoding for r in periodicals if not r.raw.isascii()} == {"utf-8"}
    by_id = {r.record.get("001").data: _title(r.record) for r in periodicals if r.record.get("001")}
    assert by_id["039249972"] == "Les 4 vérités"
    text = " ".join(f.value() for r in periodicals for f in r.record.fields if not f.control_field)
    assert "Ã©" not in text and "\ufffd" not in text
    xml = folder / "marcxml_bsg_nordiquenumerisation.xml"
    xml_titles = [_title(r.record) for r in read_marc(xml)]
    assert "Conférences du Palais du Trocadéro" in xml_titles
    bnf = [_title(r.record) for r in read_marc(shared_data / "unimarc-marcjs-bnf/bib.mrc")]
    assert any("au 15e et au 16e siècle" in title for title in bnf)


# ISO 5426 test data: byte strings written from the standard's table by hand.
@pytest.mark.parametrize("raw, text", [
    (b"Les Int\xc2er\xc3ets fran\xd0cais en Boh\xc3eme", "Les Intérêts français en Bohême"),
    (b"\xeauvres compl\xc1etes, c\xfaur", "Œuvres complètes, cœur"),
    (b"No\xc9el \xe1sop, Stra\xfbe, \xe8\xc2od\xc2z, \xf2akovo",
     "Noël Æsop, Straße, Łódź, đakovo"),
    (b"\xc8u \xcfs\xcfc", "ü šč"),
    (b"\xabGuillemets\xbb \xb7 \xadCNRS", "«Guillemets» · ©CNRS"),
])
def test_iso5426_decoding(raw, text):
    assert iso5426.decode(raw) == text


@pytest.mark.parametrize("raw", [b"caf\x80", b"\xe0", b"a\x1b(Bb"])
def test_iso5426_rejects_unknown_bytes(raw):
    with pytest.raises(ValueError):
        iso5426.decode(raw)


_TO_5426 = {char: bytes([byte]) for byte, char in iso5426.SPECIALS.items()}
_MARKS_TO_5426 = {}
for _byte, _mark in sorted(iso5426.DIACRITICS.items(), reverse=True):
    _MARKS_TO_5426[_mark] = bytes([_byte])  # lowest byte wins: 0xC8 for the diaeresis


def _to_iso5426(text: str) -> bytes:
    out = b""
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out += char.encode("ascii")
        elif char in _TO_5426:
            out += _TO_5426[char]
        else:
            base, *marks = unicodedata.normalize("NFD", char)
            if not marks or not base.isascii():
                raise KeyError(char)
            out += b"".join(_MARKS_TO_5426[mark] for mark in marks) + base.encode("ascii")
    return out


def _iso2709(leader: str, fields: list[tuple[str, bytes]]) -> bytes:
    directory, body = b"", b""
    for tag, data in fields:
        data += b"\x1e"
        directory += tag.encode("ascii") + b"%04d%05d" % (len(data), len(body))
        body += data
    directory += b"\x1e"
    base = 24 + len(directory)
    length = b"%05d" % (base + len(body) + 1)
    head = length + leader[5:12].encode() + b"%05d" % base + leader[17:].encode()
    return head + directory + body + b"\x1d"


def _encode_field(field, encode) -> bytes:
    if field.control_field:
        return encode(field.data)
    return (field.indicator1 + field.indicator2).encode("ascii") + b"".join(
        b"\x1f" + sub.code.encode("ascii") + encode(sub.value) for sub in field.subfields)


def _without_non_5426(text: str) -> str:
    # The two characters of these records that ISO 5426 lacks ("n°", a left-to-right mark).
    return text.replace("°", "o").replace("\u200e", "")


def test_real_iso5426_unimarc_is_detected_and_decoded(shared_data, tmp_path):
    """The sciencespo records rewritten in the ISO 5426 they declare read back identical."""
    originals, data = [], b""
    for result in read_marc(shared_data / "unimarc-sciencespo-medialab/cotesMEL.mrc"):
        record = result.record
        try:
            fields = [(f.tag, _encode_field(f, lambda t: _to_iso5426(_without_non_5426(t))))
                      for f in record.fields]
        except KeyError:
            continue  # another character ISO 5426 does not have
        originals.append([_without_non_5426(str(f)) for f in record.fields])
        data += _iso2709(str(record.leader), fields)
    assert len(originals) > 100
    (tmp_path / "iso5426.mrc").write_bytes(data)
    for encoding in ("auto", "iso-5426"):
        results = list(read_marc(tmp_path / "iso5426.mrc", encoding=encoding))
        accented = [r for r in results if not r.raw.isascii()]
        assert len(accented) > 100 and {r.encoding for r in accented} == {"iso-5426"}
        for original, result in zip(originals, results, strict=True):
            assert [str(f) for f in result.record.fields] == original


def test_marc8_matches_pymarc_on_french_records(shared_data):
    """Strict MARC-8 gives what pymarc's converter gives on valid MARC-8 (French, accents)."""
    path = shared_data / "marc21-evergreen-datasets/lul_fre_500.mrc"
    ours = list(read_marc(path))
    assert sum(r.encoding == "marc-8" for r in ours) > 400
    with path.open("rb") as handle:
        for result, theirs in zip(ours, pymarc.MARCReader(handle), strict=True):
            expected = [unicodedata.normalize("NFC", str(f)) for f in theirs.fields]
            assert [str(f) for f in result.record.fields] == expected
    titles = " ".join(r.record["245"].value() for r in ours)
    assert "é" in titles and "è" in titles


def test_marc8_is_strict():
    assert marc8.decode(b"Soci\xe2et\xe2e") == "Société"
    cyrillic = b"\x1b(NAB\x1b(B and"
    assert marc8.decode(cyrillic) == pymarc.marc8_to_unicode(cyrillic) == "аб and"
    with pytest.raises(ValueError, match="escape"):
        marc8.decode(b"La Soci\xe2et\x1b,")
    with pytest.raises(ValueError, match="not in MARC-8"):
        marc8.decode(b"caf\xff")


def test_declared_marc8_but_utf8_bytes(shared_data):
    """FSL.marc says MARC-8 (leader/09 blank) but holds UTF-8 Cyrillic: read as UTF-8."""
    results = list(read_marc(shared_data / "marc21-evergreen-datasets/FSL.marc"))
    assert {r.encoding for r in results} == {"utf-8"}
    assert results[0].record["100"]["a"] == "Вершигора, Петр Петрович"
    folder = shared_data / "marc21-pymarc-tests"
    flagged, unflagged = (next(read_marc(folder / f"utf8_{n}_leader_flag.dat"))
                          for n in ("with", "without"))
    assert [str(f) for f in flagged.record.fields] == [str(f) for f in unflagged.record.fields]


def test_utf8_is_normalised_to_nfc(shared_data):
    # LC sends decomposed UTF-8 (e + combining acute); the catalogue compares NFC text.
    path = shared_data / "marc21-loc-booksall-2016-sample/BooksAll.2016.part01.first10000.utf8.mrc"
    for result in read_marc(path):
        for field in result.record.fields:
            value = field.data if field.control_field else field.value()
            assert unicodedata.is_normalized("NFC", value)


def test_gzip_file_stream_and_bytes_read_alike(shared_data, tmp_path):
    path = shared_data / "marc21-pymarc-tests/test.dat"
    plain = [str(r.record) for r in read_marc(path)]
    (tmp_path / "test.dat.gz").write_bytes(gzip.compress(path.read_bytes()))
    assert [str(r.record) for r in read_marc(tmp_path / "test.dat.gz")] == plain
    assert [str(r.record) for r in read_marc(io.BytesIO(gzip.compress(path.read_bytes())))] == plain
    assert [str(r.record) for r in read_marc(path.read_bytes())] == plain
    xml = (shared_data / "marc21-pymarc-tests/batch.xml").read_bytes()
    assert len(list(read_marc(gzip.compress(b"\xef\xbb\xbf" + xml)))) == 2
    no_declaration = xml[xml.index(b"<marc:collection"):]
    assert len(list(read_marc(b"\r\n  " + no_declaration))) == 2


def test_big_gzip_file_streams(shared_data):
    # The import of all of it is bench/import.py's job; here the gzip split is streamed through.
    path = shared_data / BENCH_FILE
    with gzip.open(path, "rb") as handle:
        blocks = iter(lambda: handle.read(1 << 20), b"")
        assert sum(1 for _ in iso2709.split_records(blocks)) == 100_000
    first = list(itertools.islice(read_marc(path), 500))
    assert [r.position for r in first] == list(range(1, 501)) and all(r.record for r in first)


RECORD = ('<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
          '<controlfield tag="001">{id}</controlfield><datafield tag="245" ind1="0" ind2="0">'
          '<subfield code="a">Titre {id} é</subfield></datafield></record>')


def test_oai_pmh_envelopes(tmp_path):
    def header(n, deleted=False):
        status = ' status="deleted"' if deleted else ""
        return (f"<header{status}><identifier>oai:x:{n}</identifier>"
                "<datestamp>2024-01-01</datestamp></header>")
    bare = RECORD.format(id=4).replace(' xmlns="http://www.loc.gov/MARC21/slim"', "")
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2024-01-01T00:00:00Z</responseDate><ListRecords>\n"
        f"<record>{header(1)}<metadata>{RECORD.format(id=1)}</metadata></record>\n"
        f"<record>{header(2, deleted=True)}</record>\n"
        f"<record>{header(3)}<metadata>{RECORD.format(id=3)}</metadata></record>\n"
        f"<record>{header(4)}<metadata>{bare}</metadata></record>\n"  # inherits the OAI namespace
        "<resumptionToken>token</resumptionToken></ListRecords></OAI-PMH>")
    (tmp_path / "oai.xml").write_text(document, encoding="utf-8")
    results = list(read_marc(tmp_path / "oai.xml"))
    assert [r.record["001"].data for r in results] == ["1", "3", "4"]
    assert results[0].record["245"]["a"] == "Titre 1 é"
    assert results[0].raw.startswith(b'<record xmlns="http://www.loc.gov/MARC21/slim">')
    assert "Titre 1 é".encode() in results[0].raw


def test_bare_record_without_namespace(tmp_path):
    (tmp_path / "one.xml").write_text(RECORD.format(id=9).replace(
        ' xmlns="http://www.loc.gov/MARC21/slim"', ""), encoding="utf-8")
    (result,) = read_marc(tmp_path / "one.xml")
    assert result.syntax == "marcxml" and result.record["245"]["a"] == "Titre 9 é"


def test_external_entities_are_never_expanded(tmp_path):
    document = (
        '<?xml version="1.0"?>\n<!DOCTYPE collection [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]>\n'
        '<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
        + RECORD.format(id=1).replace("Titre 1 é", "&xxe;") + "\n"
        + RECORD.format(id=2).replace("Titre 2 é", "&net;") + "\n"
        + RECORD.format(id=3) + "\n</collection>")
    (tmp_path / "xxe.xml").write_text(document, encoding="utf-8")
    results = list(read_marc(tmp_path / "xxe.xml"))
    assert [r.error for r in results] == [
        "field 245 uses the entity &xxe; which is not expanded",
        "field 245 uses the entity &net; which is not expanded",
        None,
    ]
    assert all(b"root:" not in r.raw for r in results)
    assert results[2].record["245"]["a"] == "Titre 3 é"


def test_billion_laughs_is_refused(tmp_path):
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10))
    document = (f'<?xml version="1.0"?>\n<!DOCTYPE collection [<!ENTITY lol1 "lol">{lol}]>\n'
                '<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
                + RECORD.format(id=1).replace("Titre 1 é", "&lol9;") + "\n</collection>")
    (tmp_path / "lol.xml").write_text(document, encoding="utf-8")
    (result,) = read_marc(tmp_path / "lol.xml")
    # libxml2 refuses the declarations themselves; either way nothing is expanded.
    assert result.record is None and result.error
    assert b"lollol" not in result.raw


def test_xml_cut_short_keeps_records_before_and_the_rest(tmp_path):
    document = ('<collection xmlns="http://www.loc.gov/MARC21/slim">\n' + RECORD.format(id=1) + "\n"
                + RECORD.format(id=2) + "\n" + RECORD.format(id=3)[:90] + "\n<record>")
    results = list(read_marc(document.encode()))
    assert [r.record["001"].data for r in results[:2]] == ["1", "2"]
    assert results[2].position == 3
    assert results[2].error.startswith("XML is not well-formed at line 5")
    assert results[2].raw == (RECORD.format(id=3)[:90] + "\n<record>").encode()


def test_xml_errors_inside_one_record(tmp_path):
    broken = RECORD.format(id=2).replace('tag="245" ind1="0"', 'tag="245" ind1="00"')
    document = ('<collection xmlns="http://www.loc.gov/MARC21/slim">'
                + RECORD.format(id=1) + broken + RECORD.format(id=3) + "</collection>")
    results = list(read_marc(document.encode()))
    assert [r.error for r in results] == [None, "field 245 has an invalid ind1 '00'", None]


def test_invalid_arguments():
    with pytest.raises(ValueError):
        list(read_marc(b"", encoding="latin-1"))
    with pytest.raises(ValueError):
        list(read_marc(b"", syntax="json"))
    assert list(read_marc(b"")) == []
    assert list(read_marc(b"\n\n")) == []
