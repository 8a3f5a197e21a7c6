"""UTF-8 data fields are decoded whole, then split (iso2709._utf8_field): they
must come out exactly as the subfield-by-subfield reading gives them, and
anything odd must still get that reading's reason.

No database here: these tests run once, not once per backend.
"""
from __future__ import annotations

import pymarc
import pytest

from importers.marc import iso2709

SAMPLE = "marc21-loc-booksall-2016-sample/BooksAll.2016.part01.first10000.utf8.mrc"


def _shape(record: pymarc.Record) -> list:
    return [(f.tag, f.data) if f.control_field else (f.tag, tuple(f.indicators), list(f.subfields))
            for f in record.fields]


def _both_ways(chunk: bytes, monkeypatch) -> tuple:
    """(whole-field reading, subfield-by-subfield reading): record shape or reason."""
    results = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(iso2709, "_utf8_field", lambda tag, data: None)
            try:
                record, used = iso2709.parse(chunk)
                results.append((_shape(record), used))
            except iso2709.Reject as reject:
                results.append(str(reject))
    return tuple(results)


def test_whole_field_reading_matches_on_real_records(shared_data, monkeypatch):
    with open(shared_data / SAMPLE, "rb") as stream:
        chunks = [chunk for chunk, _ in iso2709.split_records(iter(lambda: stream.read(1 << 16), b""))]
    for chunk in chunks[:3000]:
        fast, slow = _both_ways(chunk, monkeypatch)
        assert fast == slow


def _record(*fields: pymarc.Field) -> bytes:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field("001", data="x1"), *fields)
    return record.as_marc()[:-1]  # without the record terminator, as split_records gives it


@pytest.mark.parametrize("value", [
    "\u0301Ecole",        # a combining accent opening the value must not join the code letter
    "Cafe\u0301 au lait",  # decomposed: made NFC
    "plain ascii",
    "",                    # an empty subfield is dropped
])
def test_values_come_out_alike(value, monkeypatch):
    chunk = _record(pymarc.Field("245", pymarc.Indicators("1", "0"),
                                 [pymarc.Subfield("a", value), pymarc.Subfield("b", "suite")]))
    fast, slow = _both_ways(chunk, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("old, new", [
    (b"\x1fbsuite", b"\x1f\xc3\xa9uite"),   # a non-ASCII subfield code
    (b"\x1fbsuite", b"\x1f\x05suite"),      # a control byte as subfield code
    (b"suite", b"sui\xffe"),                 # invalid UTF-8
    (b"10\x1fa", b"\xc3\xa9\x1fa"),          # non-ASCII indicators
])
def test_odd_fields_get_the_same_reason(old, new, monkeypatch):
    chunk = _record(pymarc.Field("245", pymarc.Indicators("1", "0"),
                                 [pymarc.Subfield("a", "Titre"), pymarc.Subfield("b", "suite")]))
    assert len(old) == len(new) and chunk.count(old) == 1
    chunk = chunk.replace(old, new)
    fast, slow = _both_ways(chunk, monkeypatch)
    assert fast == slow
