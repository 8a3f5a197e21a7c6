"""The read stage of an import: one record read, mapped and validated.

Runs in the import's worker processes (importers.marc.pipeline), so it needs
no database and imports no SQLAlchemy model: a worker starts in hundredths
of a second instead of the half second the catalogue's models take.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from catalogue.matchkey import match_key, title_words
from catalogue.services.validation import clean_record
from core.errors import ValidationFailed
from core.text import fold
from importers.marc import identity
from importers.marc.flavour import detect_flavour
from importers.marc.mapping import Mapped, MappingError, _isbn13, to_catalogue

ISO2709_MAX = 99_999
WORK_COLUMNS = ("title", "subtitle", "year", "document_type", "summary", "notes", "isbn", "issn", "publisher",
                "series", "languages", "url")
# Values real records get wrong that the catalogue refuses: dropped, the record kept.
DROPPABLE = ("isbn", "issn", "year", "languages", "url", "edition", "series")


@dataclass
class Incoming:
    """A record read, mapped and validated, ready for matching and writing:
    what crosses from the worker processes to the writing one (so no pymarc
    objects: they are slow to pickle). Needs no database."""
    position: int
    raw: bytes                 # the record as read, for the rejects
    syntax: str
    mapped: Mapped | None = None
    clean: dict | None = None  # clean_record() of mapped.data
    key: str | None = None     # match key
    raw_marc: bytes | None = None
    error: str | None = None   # why it cannot be imported
    former_id: str | None = None  # identity earlier versions gave a record without 001 (raw-bytes digest)
    words: str | None = None   # title words, to check an own record id (matching.Candidate)
    # fold() of each subject heading: folded here, in the worker processes, not by the writing one.
    heading_keys: list[str] | None = None
    # Set by the writing process for a new work written exactly as mapped (every
    # copy kept, no descriptor): its record id and the time it was queued in the
    # outbox. Then the search rows its worker analysed can be trusted (core.prepared).
    written: tuple | None = None


def read_stage(raw, flavour: str = "auto", today: dt.date | None = None) -> Incoming:
    """Detect the flavour, map and validate one RawRecord."""
    incoming = Incoming(raw.position, raw.raw, raw.syntax)
    if raw.record is None:
        incoming.error = raw.error or "The record cannot be read."
        return incoming
    try:
        if flavour == "auto":
            flavour = detect_flavour(raw.record)
        mapped = incoming.mapped = to_catalogue(raw.record, flavour)
        incoming.raw_marc = _raw_marc(raw)
        if not mapped.source_id:
            # No 001 nor 035: the content is the identity, so that importing
            # the same records again finds them, from whatever file.
            mapped.source_id = identity.content_digest(raw.record)
            incoming.former_id = identity.bytes_digest(incoming.raw_marc)
        clean = incoming.clean = clean_mapped(mapped.data, today or dt.date.today())
        if mapped.own_id is not None:
            incoming.words = title_words(clean["title"])
        incoming.heading_keys = [fold(heading) for heading, _, _ in mapped.subjects]
        author = clean["contributors"][0]["name"] if clean["contributors"] else None
        incoming.key = match_key(mapped.filing_title or clean["title"], author, clean["year"])
        mapped.data = {}  # superseded by clean: not worth sending to the writing process
    except (MappingError, ValidationFailed) as error:
        incoming.error = reason(error)
    except Exception as error:  # a record no rule foresaw: reject it, never stop the batch
        incoming.error = f"The record cannot be mapped: {type(error).__name__}: {error}"
    return incoming


def work_values(incoming: Incoming) -> dict:
    """What a new work is written with, in the catalogue's terms: the values
    its search document is built from (search.embedded.prepared), read from
    the same places as importers.marc.writes.insert_records writes them."""
    clean, mapped = incoming.clean, incoming.mapped
    values = {name: clean[name] for name in WORK_COLUMNS}
    values.update(contributors=[c["name"] for c in clean["contributors"]],
                  subjects=[heading for heading, _, _ in mapped.subjects],
                  poles=list(mapped.local.get("poles", ())), audiences=list(mapped.local.get("audiences", ())),
                  items=[(item["library"], item["status"]) for item in mapped.items])
    return values


def clean_mapped(data: dict, today: dt.date) -> dict:
    """clean_record, dropping the values it refuses that a source may get
    wrong (the raw MARC keeps them); a missing title still fails.

    The mapping has already checked and normalised the ISBN to 13 digits with
    python-stdnum's rules (tests/importers/test_mapping.py holds them to it),
    so it is not checked twice: that would cost a fifth of the validation."""
    isbn = data.get("isbn")
    checked = isbn if isbn and len(isbn) == 13 and _isbn13(isbn) == isbn else None
    if checked:
        data = {**data, "isbn": None}
    try:
        clean = clean_record(data, today=today)
    except ValidationFailed as error:
        bad = set(error.fields)
        if not bad <= set(DROPPABLE):
            raise
        clean = clean_record({k: v for k, v in data.items() if k not in bad}, today=today)
    if checked:
        clean["isbn"] = checked
    return clean


def reason(error: Exception) -> str:
    if isinstance(error, ValidationFailed):
        return "Invalid fields: " + "; ".join(f"{field}: {' '.join(messages)}"
                                             for field, messages in error.fields.items())
    return str(error)


def _raw_marc(raw) -> bytes:
    """ISO 2709 in UTF-8: the bytes as read when they already are, else
    re-encoded by pymarc; as read when ISO 2709 cannot hold the record (over
    99,999 bytes, or a field over 9,999: the directory's numbers overflow)."""
    if raw.syntax == "iso2709" and raw.encoding == "utf-8" and raw.raw[9:10] == b"a":
        return raw.raw
    data = raw.record.as_marc()
    fits = len(data) <= ISO2709_MAX and int(data[12:17]) == 25 + 12 * len(raw.record.fields)
    return data if fits else raw.raw
