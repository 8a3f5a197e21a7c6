"""MARC records -> catalogue data (fields for RecordService, items, subjects).

``to_catalogue(record, flavour)`` is the one entry point; marc21.py and
unimarc.py hold the per-flavour tables. Real records are messy: a value the
catalogue would refuse (an ISBN with a bad check digit, a year in the future,
a language that is not a three-letter code, a relative URL) is dropped from the
mapped data, never the whole record; the raw MARC keeps it. Only a record with
no title at all cannot be catalogued (MappingError).

Conventions shared with importers/export/ so that import -> export -> import
gives the same records: 959 $t carries the exact document type and $a/$b the
poles and audiences, 852 $a library code, $9 item status; notes are 500 lines.
"""
from __future__ import annotations

import pymarc

from importers.marc.mapping import marc21, unimarc
from importers.marc.mapping.common import Mapped, MappingError, _isbn13, isbd

__all__ = ["Mapped", "MappingError", "_isbn13", "isbd", "to_catalogue"]

FLAVOURS = {"marc21": marc21, "unimarc": unimarc}


def to_catalogue(record: pymarc.Record, flavour: str) -> Mapped:
    """Map a pymarc record of the given flavour ("marc21" or "unimarc")."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown MARC flavour {flavour!r}")
    return FLAVOURS[flavour].map_record(record)
