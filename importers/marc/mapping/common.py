"""What the per-flavour mappings share: the mapped shape, its error, and
helpers that read MARC fields into catalogue values."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from operator import mul

import pymarc

from catalogue.identifiers import InvalidIdentifier, normalise_issn
from catalogue.services.validation import BARCODE, EARLIEST_YEAR, LIMITS
from catalogue.vocab import Audience, DocumentType, ItemStatus, Library
from core.vocab import Pole


class MappingError(ValueError):
    """The record cannot become a catalogue record (the reason is a sentence)."""


@dataclass
class Mapped:
    data: dict                 # RecordService fields (no poles, audiences, local_notes)
    items: list[dict]          # barcode, library, location, call_number, status
    subjects: list[tuple[str, str | None, str]]  # (heading, vocabulary, tag)
    source_id: str | None
    flavour: str
    isbns: list[str] = field(default_factory=list)  # every valid ISBN-13, for matching
    filing_title: str | None = None  # title without its non-filing characters
    local: dict = field(default_factory=dict)  # 959 poles/audiences, applied to new records only
    own_id: int | None = None  # our record id, when the record is our own export (importers/marc/identity.py)


# Helpers shared by both flavours ----------------------------------------------
def by_tag(record: pymarc.Record) -> dict[str, list]:
    """Fields grouped by tag, in one pass (pymarc's get_fields scans every time)."""
    tags: dict[str, list] = {}
    for f in record.fields:
        tags.setdefault(f.tag, []).append(f)
    return tags


def sub(f, code: str) -> str | None:
    """The first non-empty subfield ``code`` of a field, or None."""
    for c, value in f.subfields:
        if c == code and value and not value.isspace():
            return value
    return None


def subs(f, codes: str) -> list[str]:
    return [value for c, value in f.subfields if c in codes and value and not value.isspace()]


def first_sub(fields: list | None, code: str) -> str | None:
    for f in fields or ():
        for c, value in f.subfields:
            if c == code and value and not value.isspace():
                return value
    return None


def control(tags: dict, tag: str) -> str:
    fields = tags.get(tag)
    return (fields[0].data or "") if fields and fields[0].data is not None else ""


# Non-sorting markers: MARC21/Unicode NSB/NSE (U+0098/U+009C), ISO 5426 NSB/NSE
# as decoded (U+0088/U+0089), and the <<...>> convention of French systems.
_NONSORT = re.compile("[\u0088\u0089\u0098\u009c]|<<|>>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]")
_SPACES = re.compile(r"\s+")
# Trailing ISBD separators; a final period goes unless it ends an abbreviation.
_ABBREVIATIONS = frozenset("etc inc ltd corp co dr st jr sr ed éd vol no dir trad coll".split())
_ISBD_END = frozenset(" /:;=,.")
_SEPARATORS = " /:;=,"


def _abbreviation(value: str) -> bool:
    """Does ``value`` (ending with ".") end with an abbreviation or an initial?"""
    word = value[value.rfind(" ", 0, -1) + 1:-1]
    if "(" in word:
        word = word[word.rfind("(") + 1:]
    return len(word) <= 2 or "." in word or word.lower() in _ABBREVIATIONS


def text(value: str | None) -> str | None:
    """Tidy one value: no control or non-sorting characters, single spaces."""
    if not value:
        return None
    # Fast path (most values): printable, single-spaced, no markers.
    if not (value.isprintable() and "  " not in value and "<<" not in value and ">>" not in value):
        value = _SPACES.sub(" ", _CONTROL.sub("", _NONSORT.sub("", value)))
    return value.strip() or None


def isbd(value: str | None) -> str | None:
    """Strip the ISBD punctuation that separates MARC subfields (" /", " :",
    " ;", " =", "," and a closing period that does not end an abbreviation)."""
    if not value:
        return None
    if not (value.isprintable() and "  " not in value and "<<" not in value and ">>" not in value):
        value = _SPACES.sub(" ", _CONTROL.sub("", _NONSORT.sub("", value)))
    value = value.strip()
    while value and value[-1] in _ISBD_END:  # (text() inlined: called for most subfields)
        stripped = value.rstrip(_SEPARATORS)
        if stripped.endswith(".") and not stripped.endswith("..") and not _abbreviation(stripped):
            stripped = stripped[:-1].rstrip()
        if stripped == value:
            break
        value = stripped
    return value or None


def name(value: str | None) -> str | None:
    """A heading or personal name without its closing comma/period."""
    return isbd(value)


def place(value: str | None) -> str | None:
    """A place of publication without the brackets of a place supplied by the
    cataloguer ("[Paris]")."""
    value = isbd(value)
    if value and value.startswith("[") and value.endswith("]") and value.count("[") == 1:
        value = isbd(value[1:-1])
    return value


def non_filing(value: str | None) -> tuple[str | None, str | None]:
    """(display title, filing title) of a value with non-sorting markers:
    "<<Les >>Misérables" -> ("Les Misérables", "Misérables"). Some systems
    keep only the closing marker ("La \u009cRecherche")."""
    if not value:
        return None, None
    for start, end in (("\u0088", "\u0089"), ("\u0098", "\u009c"), ("<<", ">>")):
        if end in value:
            head, _, after = value.partition(end)
            before = head.partition(start)[0] if start in head else ""
            return text(value), text(before + after)
    return text(value), None


def clip(value: str | None, limit: int) -> str | None:
    """Fit a value in its column; the raw MARC keeps the full text."""
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def year(value: str | None, this_year: int | None = None) -> int | None:
    """The first plausible four-digit year in ``value`` (future or absurd years: None)."""
    if not value:
        return None
    limit = this_year or dt.date.today().year
    for match in _YEAR.findall(value):
        candidate = int(match)
        if EARLIEST_YEAR <= candidate <= limit:
            return candidate
    return None


_WEIGHTS10 = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def _isbn13(value: str) -> str | None:
    """The ISBN-13 of an ISBN-10 or -13, or None when invalid: python-stdnum's
    rules (which clean_record applies afterwards), at a fraction of its cost."""
    digits = value.replace("-", "").replace(" ", "").upper()
    if len(digits) == 10:
        if not (digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X")):
            return None
        check = (11 - sum(map(mul, _WEIGHTS10, map(int, digits[:9]))) % 11) % 11
        if ("X" if check == 10 else str(check)) != digits[9]:
            return None
        body = "978" + digits[:9]
    elif len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        body = digits[:12]
        if _check13(body) != digits[12]:
            return None
    else:
        return None
    return body + _check13(body)


def _check13(body: str) -> str:
    return str((10 - (sum(map(int, body[0::2])) + 3 * sum(map(int, body[1::2]))) % 10) % 10)


def isbns(values: list[str]) -> list[str]:
    """Valid ISBN-13s from 020 $a / 010 $a values like "0789470733 (pbk.)"."""
    found = []
    for value in values:
        token = _ISBN_TOKEN.split(value.strip(), maxsplit=1)[0]
        number = _isbn13(token)
        if number and number not in found:
            found.append(number)
    return found


_ISBN_TOKEN = re.compile(r"[\s(;:]")


def issn(values: list[str]) -> str | None:
    for value in values:
        token = value.strip().split(" ")[0]
        try:
            return normalise_issn(token)
        except InvalidIdentifier:
            continue
    return None


_LANGUAGE = re.compile(r"^[a-z]{3}$")
_NO_LANGUAGE = {"   ", "|||", "xxx", "###", "^^^"}


def languages(codes: list[str]) -> list[str]:
    result = []
    for code in codes:
        code = (code or "").strip().lower()
        if code in _NO_LANGUAGE or not _LANGUAGE.match(code) or code in result:
            continue
        result.append(code)
    return result


def url(values: list[str]) -> str | None:
    for value in values:
        value = (value or "").strip()
        if re.match(r"^https?://[^\s/?#]+", value, re.I) and len(value) <= LIMITS["url"] and " " not in value:
            return value
    return None


def lines(values: list[str | None]) -> str | None:
    """Notes or summaries: one line per value, duplicates dropped (export writes
    each line as its own field, so re-importing an export gives the same text)."""
    seen = []
    for value in values:
        value = text(value)
        if value and value not in seen:
            seen.append(value)
    return "\n".join(seen) or None


_LIBRARIES = frozenset(Library.values())
_POLES = frozenset(Pole.values())
_AUDIENCES = frozenset(Audience.values())
DOCUMENT_TYPES = frozenset(DocumentType.values())
_STATUSES = frozenset(ItemStatus.values())


def item(barcode: str | None, *, library: str | None = None, location: str | None = None,
         call_number: str | None = None, status: str | None = None) -> dict | None:
    """An item from a holdings field, or None when its barcode is unusable."""
    barcode = (barcode or "").strip()
    if not BARCODE.match(barcode):
        return None
    return {
        "barcode": barcode,
        "library": library if library in _LIBRARIES else Library.MAIN.value,
        "location": clip(text(location), LIMITS["location"]),
        "call_number": clip(text(call_number), LIMITS["call_number"]),
        "status": status if status in _STATUSES else ItemStatus.AVAILABLE.value,
    }


def local_data(fields: list | None) -> tuple[dict, str | None, str | None]:
    """959 as written by our export: (poles/audiences, document type, subscription)."""
    local: dict = {}
    doc_type = subscription = None
    for f in fields or ():
        poles = [v for v in subs(f, "a") if v in _POLES]
        audiences = [v for v in subs(f, "b") if v in _AUDIENCES]
        if poles:
            local["poles"] = poles
        if audiences:
            local["audiences"] = audiences
        doc_type = sub(f, "t") or doc_type
        subscription = sub(f, "s") or subscription
    return local, doc_type, subscription


_LIMITS = tuple(LIMITS.items())


def finish(data: dict) -> dict:
    """Clip every text to its column width (see catalogue.services.validation)."""
    for key, limit in _LIMITS:
        value = data.get(key)
        if value is not None and len(value) > limit:
            data[key] = clip(value, limit)
    for contributor in data.get("contributors", ()):
        if len(contributor["name"]) > 255:
            contributor["name"] = clip(contributor["name"], 255)
    return data
