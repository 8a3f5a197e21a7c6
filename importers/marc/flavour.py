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
    """(UNIMARC points, MARC21 points)."""
    tags = {field.tag for field in record.fields}
    unimarc = sum(points for tag, points in _UNIMARC_TAGS.items() if tag in tags)
    marc21 = sum(points for tag, points in _MARC21_TAGS.items() if tag in tags)
    if _general_processing_data(record):
        unimarc += 6
    for field in record.get_fields("200"):
        # UNIMARC title: 200 with $a and indicator 1 "0"/"1"; MARC21 has no 200.
        if field.indicator1 in "01" and field.get_subfields("a"):
            unimarc += 3
    for field in record.get_fields("100", "110", "111"):
        if not _general_processing_data(record) and field.get_subfields("a"):
            marc21 += 1  # a main entry name
    for field in record.get_fields("700", "701", "702"):
        # UNIMARC names split surname $a / forename $b; MARC21 700$b is a numeration (rare).
        if field.get_subfields("b") and field.get_subfields("4"):
            unimarc += 1
    control = {f.tag: f.data or "" for f in record.fields if f.control_field}
    if any(tag in control for tag in ("006", "007", "008")):
        marc21 += 2  # UNIMARC has no 006-008 control fields
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
