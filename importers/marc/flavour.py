"""Tell UNIMARC from MARC21 by what a record holds.

Nothing in a record says which format it is (the leader looks the same), so each format's
signature fields give points and the larger score wins; a tie is MARC21, the commoner one.
"""
from __future__ import annotations

import pymarc

# UNIMARC blocks that mean something else (or nothing) in MARC21 bibliographic records.
_UNIMARC_TAGS = {"010": 1, "011": 1, "101": 2, "102": 1, "205": 1, "210": 2, "214": 2, "215": 2,
                 "225": 2, "606": 1, "676": 1, "801": 1, "995": 2}
_MARC21_TAGS = {"008": 2, "040": 2, "245": 3, "260": 2, "264": 2, "300": 1, "650": 1, "852": 1,
                "020": 1, "022": 1}


def _general_processing_data(record: pymarc.Record) -> bool:
    """UNIMARC 100$a: 36 characters, a date of entry (YYYYMMDD, or blank) then a letter."""
    for field in record.get_fields("100"):
        for value in field.get_subfields("a"):
            dated = value[:8].isdigit() or value[:8] == " " * 8
            if len(value) >= 35 and dated and value[8:9].isalpha():
                return True
    return False


def scores(record: pymarc.Record) -> tuple[int, int]:
    """(UNIMARC points, MARC21 points). One pass over the fields: this runs for
    every record of an import, and each pymarc get_fields is another pass."""
    tags, titles, names, authors, control = set(), 0, 0, 0, False
    for field in record.fields:
        tag = field.tag
        tags.add(tag)
        if field.control_field:
            control = control or tag in ("006", "007", "008")  # UNIMARC has no 006-008 control fields
        elif tag == "200":
            # UNIMARC title: 200 with $a and indicator 1 "0"/"1"; MARC21 has no 200.
            if field.indicator1 in "01" and any(code == "a" for code, _ in field.subfields):
                titles += 1
        elif tag in ("100", "110", "111"):
            if any(code == "a" for code, _ in field.subfields):
                names += 1  # a main entry name (MARC21), unless this is UNIMARC's 100
        elif tag in ("700", "701", "702"):
            # UNIMARC names split surname $a / forename $b; MARC21 700$b is a numeration (rare).
            codes = {code for code, _ in field.subfields}
            if "b" in codes and "4" in codes:
                authors += 1
    unimarc = sum(points for tag, points in _UNIMARC_TAGS.items() if tag in tags) + 3 * titles + authors
    marc21 = sum(points for tag, points in _MARC21_TAGS.items() if tag in tags)
    if "100" in tags and _general_processing_data(record):
        unimarc += 6
    else:
        marc21 += names
    if control:
        marc21 += 2
    leader = str(record.leader)
    if leader[20:24] == "450 ":
        unimarc += 1
    elif leader[20:24] == "4500":
        marc21 += 1
    return unimarc, marc21


def detect_flavour(record: pymarc.Record) -> str:
    """ "unimarc" or "marc21" for one record."""
    unimarc, marc21 = scores(record)
    return "unimarc" if unimarc > marc21 else "marc21"
