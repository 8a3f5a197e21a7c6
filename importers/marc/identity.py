"""Who a MARC record is, for matching: our own number, or its content.

Our own number: every record this catalogue exports carries it in a 035
"(FR-CdM)<record id>" (and in 001 with 003 "FR-CdM" when its source gave it no
001), so that importing our own export finds the records it came from,
whatever --source the import is given.

A record whose source gives it no identifier (no 001, no 035) is identified
by a digest of its content: what it says, not how a file spells it. The same
record read from ISO 2709 or MARCXML, in MARC-8 or UTF-8, with another 005,
other lengths in its leader, other copies (852, 952, 995) or other blanks at
the ends of its values has the same digest. Records imported before digests
were made this way hold "sha1:" + the SHA-1 of their raw ISO 2709 bytes (see
``bytes_digest``); matching still finds them by it and moves them to the
content digest (importers/marc/matching.py).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

import pymarc

# The MARC organisation code of this catalogue (written in 003 and in 035 prefixes).
ORG_CODE = "FR-CdM"
DIGEST = "marc-sha1:"    # content digest
LEGACY_DIGEST = "sha1:"  # raw-bytes digest of earlier versions
_OWN = re.compile(r"\s*\(" + re.escape(ORG_CODE) + r"\)\s*0*(\d{1,19})\s*$")
_LARGEST_ID = 2 ** 63 - 1  # what a database integer holds
# Left out of the content: identifiers and the date of the latest change, and
# copies and local data (an item added or lent does not make another record).
_NOT_CONTENT = frozenset({"001", "003", "005", "852", "876", "877", "878", "952", "959", "995"})
_SPACES = re.compile(r"\s+")


def own_number(record_id: int) -> str:
    """The 035 $a by which an export names our record: "(FR-CdM)42"."""
    return f"({ORG_CODE}){record_id}"


def own_id(value: str | None) -> int | None:
    """The record id in an own number ("(FR-CdM)42" -> 42), else None
    (another organisation's number, or a number no record can have)."""
    found = _OWN.match(value) if value else None
    number = int(found.group(1)) if found else 0
    return number if 0 < number <= _LARGEST_ID else None


def find_own_id(tags: dict, *, with_003: bool = True) -> int | None:
    """Our record id in a record's fields grouped by tag: a 035 $a own number
    first (the export keeps it current), else a 001 whose 003 is our code
    (MARC21 only: in UNIMARC, 003 is a persistent identifier, not a code)."""
    for field in tags.get("035", ()):
        for code, value in field.subfields:
            if code == "a" and (found := own_id(value)):
                return found
    if with_003 and _control(tags, "003").strip() == ORG_CODE:
        number = _control(tags, "001").strip()
        return own_id(own_number(number)) if number.isdigit() else None
    return None


def stamp(marc: pymarc.Record, record_id: int) -> None:
    """Write our number into an exported record: a 035 own number (replacing
    any earlier one: a record imported from an export carries that export's),
    and 001 = ``record_id`` with 003 = our code when the record has no 001 or
    when its 001 was ours. Another organisation's 001 and 003 are kept."""
    for field in marc.get_fields("035"):
        if any(own_id(value) for value in field.get_subfields("a")):
            marc.remove_field(field)
    number, organisation = marc.get("001"), marc.get("003")
    if number is None or not (number.data or "").strip() or \
            (organisation is not None and (organisation.data or "").strip() == ORG_CODE):
        marc.remove_fields("001", "003")
        marc.add_ordered_field(pymarc.Field("001", data=str(record_id)), pymarc.Field("003", data=ORG_CODE))
    marc.add_ordered_field(pymarc.Field("035", pymarc.Indicators(" ", " "),
                                        [pymarc.Subfield("a", own_number(record_id))]))


def is_digest(source_id: str | None) -> bool:
    """Is this identifier a digest we made, rather than the source's number?"""
    return bool(source_id) and source_id.startswith((DIGEST, LEGACY_DIGEST))


def is_legacy(source_id: str | None) -> bool:
    return bool(source_id) and source_id.startswith(LEGACY_DIGEST)


def bytes_digest(raw_marc: bytes) -> str:
    """The identity earlier versions gave a record without identifier: the
    SHA-1 of its ISO 2709 bytes (as the importer keeps them in raw_marc)."""
    return LEGACY_DIGEST + hashlib.sha1(raw_marc).hexdigest()


def content_digest(record: pymarc.Record) -> str:
    """A digest of what ``record`` says: its type and level (leader/06-07) and
    its fields, except identifiers, 005, copies and our own 035 and 959.

    Fields are taken in tag order, keeping the order of fields with the same
    tag and of subfields; values are compared in Unicode NFC with runs of
    blanks made one and no blank at either end; empty subfields, and fields
    left empty, do not count; a missing indicator is a blank."""
    leader = str(record.leader)
    parts = [leader[6:8]]
    for field in sorted(record.fields, key=lambda f: f.tag):
        if field.tag in _NOT_CONTENT:
            continue
        if field.control_field:
            value = _value(field.data)
            if value:
                parts.append(f"{field.tag}={value}")
            continue
        subfields = [(code, _value(value)) for code, value in field.subfields]
        subfields = [f"${code}{value}" for code, value in subfields if value]
        if not subfields or (field.tag == "035" and own_id(field.get("a"))):
            continue
        indicators = "".join(_indicator(i) for i in (field.indicator1, field.indicator2))
        parts.append(f"{field.tag}{indicators}{''.join(subfields)}")
    return DIGEST + hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()


def _value(value: str | None) -> str:
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _indicator(value: str | None) -> str:
    value = (value or " ")[:1]
    return " " if value in ("#", "\\", "_") else value


def _control(tags: dict, tag: str) -> str:
    fields = tags.get(tag)
    return (getattr(fields[0], "data", None) or "") if fields else ""
