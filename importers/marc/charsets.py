"""Which character set an ISO 2709 record is in, and its decoders.

Declarations lie: UNIMARC files say ISO 5426 over UTF-8 bytes, MARC21 files leave
leader/09 blank (MARC-8) over UTF-8, or flag UTF-8 over MARC-8. So in "auto" mode the
reader tries a short list of candidates, best guess first, and keeps the first one that
decodes every field strictly; every decoder raises on bytes it cannot map.
"""
from __future__ import annotations

import re
import unicodedata

from importers.marc import iso5426, marc8

LABELS = {"utf-8": "UTF-8", "marc-8": "MARC-8", "iso-5426": "ISO 5426"}

# Readings that decode but are unlikely, in a guess: an ANSEL sign such as ℗ or © between
# two letters is an ISO 5426/6937 accent ("imprim\xc2e" is "imprimé"); an ISO 5426 accent
# sits before a letter, a blank or another accent; two special characters in a row
# ("ł¿¿") are debris of another encoding.
_NOT_MARC8 = re.compile(rb"[A-Za-z][\xc0-\xc6\xc8][A-Za-z]")
_NOT_ISO5426 = re.compile(rb"[\xc0-\xdf](?![A-Za-z \xc0-\xdf\xe1-\xfc])|[\x80-\xbf\xe0-\xff]{2}")


def _utf8(data: bytes) -> str:
    text = data.decode("utf-8")
    # LC and others send decomposed UTF-8; the catalogue compares and searches NFC text.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _ascii(data: bytes) -> str:
    return data.decode("ascii")


DECODERS = {"utf-8": _utf8, "marc-8": marc8.decode, "iso-5426": iso5426.decode, "ascii": _ascii}


def plain_ascii(data: bytes) -> bool:
    """ASCII without MARC-8 escapes: every candidate reads it the same way."""
    return data.isascii() and b"\x1b" not in data


def unimarc_charset(chunk: bytes, entries) -> bytes | None:
    """UNIMARC 100$a/26-27 (the declared G0/G1 sets), or None if this is not UNIMARC.

    A UNIMARC 100$a is 36 characters: a date of entry (8 digits, blank when unknown), then
    a type-of-date letter... In MARC21, 100 is a personal name.
    """
    for tag, start, end in entries:
        if tag == "100":
            data = chunk[start:end]
            value = data[4:]
            if (data[2:4] == b"\x1fa" and len(value) >= 35 and value[8:9].isalpha()
                    and (value[:8].isdigit() or value[:8] == b" " * 8)):
                return value[26:28]
            return None
    return None


def candidates(chunk: bytes, base: int, entries, asked: str) -> list[str]:
    """Encodings to try on one record, best guess first."""
    if asked != "auto":
        return [asked]
    body = chunk[base:]
    charset = unimarc_charset(chunk, entries)
    if charset is not None:
        # "50" is Unicode, "01"/"03" ISO 646 + ISO 5426. ISO 5426 text with accents is
        # never valid UTF-8, so valid UTF-8 is believed whatever the declaration.
        if plain_ascii(body):
            return ["utf-8" if charset == b"50" else "iso-5426"]
        return ["utf-8", "iso-5426"]
    flagged_utf8 = chunk[9] == ord("a")
    if plain_ascii(body):
        return ["utf-8" if flagged_utf8 else "marc-8"]
    guesses = []
    # Flagged UTF-8, or flagged MARC-8 over UTF-8 bytes (MARC-8 text is almost never
    # valid UTF-8); records flagged UTF-8 but written in an older set exist too.
    if flagged_utf8 or (b"\x1b" not in body and _is_utf8(body)):
        guesses.append("utf-8")
    if not _NOT_MARC8.search(body):
        guesses.append("marc-8")
    if b"\x1b" not in body and not _NOT_ISO5426.search(body):
        guesses.append("iso-5426")
    return guesses or ["marc-8"]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
