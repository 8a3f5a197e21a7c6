"""Export records as MARC21 (MARCXML or ISO 2709), streamed record by record.

Conventions shared with the importer's MARC21 mapping (importers/marc/mapping), so a
round trip import -> export -> import gives the same records:

- Leader/06-07 by document type: book a m, periodical a s, audiovisual g m,
  cd_dvd m m, website a i, job_sheet a m, diploma_framework a m, exam_guide a m,
  directory a m, training_database m i, job_board a i, other a m.
  The exact type code is always in 959 $t (the leader cannot tell a job sheet
  from a book).
- 245: $a title $b subtitle $c responsibility with ISBD separators
  (" :" before $b, " /" before $c) but no terminal period added.
- 100 (first contributor, only when its role is aut) / 700 (others):
  $a name (no added punctuation), $e relator term, $4 relator code.
- 264 _1: $a place " :" $b publisher "," $c year.
- 041 $a per language (always written when there are languages), 008/35-37 = first
  language or "|||".
- 500: one field per non-empty line of notes; 520: one per non-empty line of summary.
- 6XX subjects: heading split on " -- " -> $a then $x; ind2 0 = lcsh, 2 = mesh,
  7 + $2 vocabulary otherwise, 4 when no vocabulary (653 for uncontrolled).
- Items: 852 (one per item) $a library code (cite|main) $b location $h call number
  $p barcode $q condition $z public note $9 status code (available, withdrawn...).
  An 852 without $p is not an item: it carries the record's call number in $h
  (written first, only when the first item's call number differs).
- Local data: 959 (always) $a pole code (repeated) $b audience code (repeated)
  $s subscription status $t document type code. local_notes are NEVER exported
  (staff-only, and OAI-PMH serves this export publicly).
- 310 $a frequency, 866 30 $a holdings statement (periodicals).
- Identity (importers/marc/identity.py): 035 $a "(FR-CdM)<record id>" on every
  record, so that importing the export again finds the records it came from;
  the source's 001/003 are kept, and 001 = record id with 003 FR-CdM when the
  source gave no 001 (or the 001 was ours).
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from typing import BinaryIO, Callable, Iterable

import pymarc
from lxml import etree

from catalogue.models import Record
from catalogue.services.snapshots import plain_fields, record_fields
from core.errors import ValidationFailed
from importers.export import fields as F
from importers.marc import identity
from importers.marc.mapping import to_catalogue
from importers.marc.reader import read_marc
from importers.services.imports import clean_mapped

log = logging.getLogger(__name__)

MARC_NS = "http://www.loc.gov/MARC21/slim"
ISO2709_MAX = 99_999  # record length fits five digits
FORMATS = ("marcxml", "iso2709")


# Building ---------------------------------------------------------------------
def record_to_marc21(record: Record, *, use_raw: bool = True) -> pymarc.Record:
    """A MARC21 bibliographic record for ``record``.

    When the record came as MARC21 (raw_marc kept, marc_flavour "marc21") the
    raw record is the base: fields the catalogue does not model survive, and
    only the groups of fields whose catalogue values differ from what the raw
    record maps to are rewritten (an edited title rewrites 245, nothing else).
    Otherwise (local records, UNIMARC sources) it is built from the catalogue.
    Items, poles and audiences always come from the catalogue (852, 959).
    """
    marc = _raw_marc21(record) if use_raw else None
    if marc is None:
        return _built(record)
    changed = _changed_groups(record, marc)
    for group in [g for g in changed if g not in ("document_type", "subjects")]:
        if group == "notes":
            _rewrite_notes(marc, record)
            continue
        marc.remove_fields(*F.GROUP_TAGS[group])
        for field in F.group_fields(record, group):
            marc.add_ordered_field(field)
    if "document_type" in changed:
        F.set_type(marc.leader, record)
    if "subjects" in changed:
        built = F.subject_fields(record)
        marc.remove_fields(*(changed["subjects"] | F.subject_tags(built)))
        for field in built:
            marc.add_ordered_field(field)
    marc.remove_fields("005", "852", "952", "959")
    for field in [F.field_005(record)] + F.item_fields(record) + F.local_field(record):
        marc.add_ordered_field(field)
    old_008 = marc.get("008")
    if old_008 is None or changed.keys() & {"publication", "languages"}:
        marc.remove_fields("008")
        marc.add_ordered_field(pymarc.Field(tag="008", data=F.field_008(
            record, old_008.data if old_008 is not None else None)))
    marc.leader.coding_scheme = "a"  # always written as UTF-8
    identity.stamp(marc, record.id)
    return marc


def _built(record: Record) -> pymarc.Record:
    marc = pymarc.Record(leader=str(F.leader(record)), force_utf8=True)
    fields = F.control_fields(record)
    for group in F.GROUP_TAGS:
        fields += F.group_fields(record, group)
    fields += F.subject_fields(record) + F.item_fields(record) + F.local_field(record)
    marc.fields = sorted(fields, key=lambda f: f.tag)  # stable: keeps order within a tag
    identity.stamp(marc, record.id)
    return marc


def _raw_marc21(record: Record) -> pymarc.Record | None:
    if not record.raw_marc or record.marc_flavour != "marc21":
        return None

    first = next(read_marc(io.BytesIO(record.raw_marc)), None)
    if first is None or first.record is None:
        log.warning("record %s: its raw MARC cannot be read (%s); exporting from the catalogue fields",
                    record.id, first.error if first else "empty")
        return None
    return first.record


def _changed_groups(record: Record, marc: pymarc.Record) -> dict[str, set[str]]:
    """Groups whose catalogue values differ from what ``marc`` maps to.

    Maps to a set of tags to drop (only meaningful for "subjects").
    """
    everything = {group: set() for group in [*F.GROUP_TAGS, "document_type", "subjects"]}
    try:
        mapped = to_catalogue(marc, "marc21")
        # As the import cleans it (dropping values the catalogue refuses).
        source = plain_fields(clean_mapped(mapped.data, dt.date.today()))
    except (ValidationFailed, ValueError) as error:  # the raw record no longer maps: rewrite all
        log.warning("record %s: raw MARC does not map (%s); rewriting every modelled field", record.id, error)
        everything["subjects"] = {f.tag for f in marc.fields if f.tag.startswith("6")}
        return everything
    current = record_fields(record)
    changed = {group: set() for group, names in F.GROUP_FIELDS.items()
               if any(_same(current.get(n)) != _same(source.get(n)) for n in names)}
    if current["document_type"] != source.get("document_type"):
        changed["document_type"] = set()
    theirs = sorted((h, v or None, t) for h, v, t in mapped.subjects)
    ours = sorted((s.heading, s.vocabulary or None, s.tag) for s in record.subjects)
    if theirs != ours:
        changed["subjects"] = {t for _, _, t in mapped.subjects if t}
    return changed


def _rewrite_notes(marc: pymarc.Record, record: Record) -> None:
    """Edited notes: the importer reads notes from 300 then 500. Keep the 300
    fields whose text still opens the notes, and let 500 carry the rest."""
    lines = F.note_lines(record.notes)
    kept = 0
    for field in marc.get_fields("300"):
        probe = pymarc.Record(fields=[pymarc.Field("245", [" ", " "], [pymarc.Subfield("a", "-")]), field])
        text = to_catalogue(probe, "marc21").data.get("notes")
        if kept < len(lines) and text == lines[kept]:
            kept += 1
        else:
            marc.remove_field(field)
    marc.remove_fields("500")
    for line in lines[kept:]:
        marc.add_ordered_field(pymarc.Field("500", [" ", " "], [pymarc.Subfield("a", line)]))


def _same(value):
    return value if value not in ("", [], None) else None


# Writing ----------------------------------------------------------------------
def marcxml_element(marc: pymarc.Record) -> etree._Element:
    """A <record> element in the MARC21 slim namespace (for files and OAI-PMH)."""
    q = f"{{{MARC_NS}}}"
    root = etree.Element(q + "record", nsmap={None: MARC_NS})
    lead = str(marc.leader)
    etree.SubElement(root, q + "leader").text = lead[:9] + "a" + lead[10:]
    for field in marc.fields:
        if field.control_field:
            node = etree.SubElement(root, q + "controlfield", tag=F.xml_safe(field.tag))
            node.text = F.xml_safe(field.data or "")  # not stripped: positions matter
            continue
        node = etree.SubElement(root, q + "datafield", tag=F.xml_safe(field.tag),
                                ind1=F.xml_safe(field.indicator1 or " "), ind2=F.xml_safe(field.indicator2 or " "))
        for subfield in field.subfields:
            etree.SubElement(node, q + "subfield", code=F.xml_safe(subfield.code)).text = \
                F.xml_safe(subfield.value or "")
    return root


def iso2709_bytes(marc: pymarc.Record) -> bytes | None:
    """The record in ISO 2709, or None when it does not fit (record over 99,999
    bytes, or a field over 9,999 bytes, which the directory cannot express)."""
    data = marc.as_marc()
    if len(data) > ISO2709_MAX or int(data[12:17]) != 25 + 12 * len(marc.fields):
        return None
    return data


def write_marc(marcs: Iterable[pymarc.Record], fmt: str, stream: BinaryIO, *,
               on_skip: Callable[[pymarc.Record, str], None] | None = None) -> int:
    """Write MARC records to ``stream`` one by one; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    written = 0
    if fmt == "iso2709":
        for marc in marcs:
            data = iso2709_bytes(marc)
            if data is None:
                (on_skip or _log_skip)(marc, "too large for ISO 2709 (99,999 bytes a record, "
                                             "9,999 a field): export it as MARCXML")
                continue
            stream.write(data)
            written += 1
        return written
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS}):
            for marc in marcs:
                xf.write("\n", marcxml_element(marc))
                xf.flush()  # stream: nothing accumulates in memory
                written += 1
            xf.write("\n")
    return written


def write_records(records: Iterable[Record], fmt: str, stream: BinaryIO, *,
                  on_skip: Callable[[pymarc.Record, str], None] | None = None) -> int:
    """Export catalogue records as MARC21 in ``fmt`` ("marcxml" or "iso2709")."""
    return write_marc((record_to_marc21(r) for r in records), fmt, stream, on_skip=on_skip)


def _log_skip(marc: pymarc.Record, reason: str) -> None:
    ident = marc.get("001")
    log.warning("record %s skipped: %s", ident.data if ident else "?", reason)
