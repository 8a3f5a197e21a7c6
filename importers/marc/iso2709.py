"""ISO 2709 records: split a byte stream on record terminators, check and decode each record.

pymarc's decode_marc trusts the directory (an offset past the end silently gives an empty
field), cannot read records over 99,999 bytes and has no ISO 5426 codec, so the structure
is checked here, with a reason staff can act on, and pymarc objects are built from the
checked pieces.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from pymarc import Field, Indicators, Leader, Record, Subfield

from importers.marc import charsets

RECORD_END = b"\x1d"
FIELD_END = 0x1E
SUBFIELD = b"\x1f"
MAX_LENGTH = 99_999  # what the 5-digit leader and directory numbers can express
# Between records some exporters put newlines, blanks, NULs or a DOS end-of-file mark.
JUNK = b" \t\r\n\x00\x1a"
_NO_TERMINATOR_LIMIT = 16 * 1024 * 1024  # bytes kept while looking for a terminator
# A directory whose every entry has an ASCII alphanumeric tag and digits for its
# length and offset (what _tag and the checks of _directory accept).
_ENTRY = re.compile(rb"([0-9A-Za-z]{3})([0-9]{4})([0-9]{5})")
_PLAIN_DIRECTORY = re.compile(rb"(?:[0-9A-Za-z]{3}[0-9]{4}[0-9]{5})*")


class Reject(Exception):
    """A record that cannot be read; the message is the reason shown to staff."""


class _DecodeError(Reject):
    """The bytes are not in the encoding tried (another candidate may fit)."""


def split_records(blocks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Yield (record bytes without terminator, terminated) in file order, in constant memory."""
    pending = b""
    for block in blocks:
        data = pending + block if pending else block
        start = 0
        while (end := data.find(RECORD_END, start)) >= 0:
            chunk = data[start:end].lstrip(JUNK)
            if chunk:
                yield chunk, True
            start = end + 1
        pending = data[start:]
        if len(pending) > _NO_TERMINATOR_LIMIT:
            # Not ISO 2709, or a long run of corrupt bytes: hand it back as a reject
            # rather than hold an unbounded amount of memory.
            yield pending.lstrip(JUNK), False
            pending = b""
    if pending.strip(JUNK):
        yield pending.lstrip(JUNK), False


def parse(chunk: bytes, encoding: str = "auto") -> tuple[Record, str]:
    """Return (record, encoding used) for one record without its terminator, or raise Reject."""
    if len(chunk) < 24:
        raise Reject(f"record of {len(chunk) + 1} bytes is shorter than a leader")
    if not chunk[:24].isascii():
        raise Reject("bad leader: it contains bytes that are not ASCII")
    base, entries = _directory(chunk)
    if not entries:
        raise Reject("the record has no fields")
    first_error = None
    for used in charsets.candidates(chunk, base, entries, encoding):
        try:
            fields = _fields(chunk, entries, used)
        except _DecodeError as error:
            first_error = first_error or error
            continue
        record = Record()
        record.leader = Leader(chunk[:24].decode("ascii"))
        record.fields = fields
        return record, used
    raise Reject(str(first_error))


def _directory(chunk: bytes) -> tuple[int, list[tuple[str, int, int]]]:
    """Return (base address, [(tag, start, end)]) after checking every entry."""
    length, base = chunk[0:5], chunk[12:17]
    if not length.isdigit():
        raise Reject(f"bad leader: record length {length.decode('ascii')!r} is not a number")
    actual = len(chunk) + 1
    if actual > MAX_LENGTH:
        return _oversize_directory(chunk)
    if int(length) != actual:
        raise Reject(f"record length {int(length)} in the leader but {actual} bytes found")
    if not base.isdigit():
        raise Reject(f"bad leader: base address {base.decode('ascii')!r} is not a number")
    base_address = int(base)
    if base_address < 25 or base_address >= actual:
        raise Reject(f"bad leader: base address {base_address} is outside the record "
                     f"({actual} bytes)")
    if chunk[base_address - 1] != FIELD_END:
        raise Reject(f"the directory does not end at the base address {base_address}")
    directory = chunk[24:base_address - 1]
    if len(directory) % 12:
        raise Reject(f"bad directory: its length {len(directory)} is not a multiple of 12")
    if _PLAIN_DIRECTORY.fullmatch(directory):  # the usual case: tags and numbers well formed
        entries = []
        for tag, size, offset in _ENTRY.findall(directory):
            start = base_address + int(offset)
            end = start + int(size) - 1
            if end >= len(chunk) or end < start or chunk[end] != FIELD_END:
                break  # the loop below says which field is wrong
            entries.append((tag.decode("ascii"), start, end))
        else:
            return base_address, entries
    entries = []
    for number, index in enumerate(range(0, len(directory), 12), 1):
        entry = directory[index:index + 12]
        tag = _tag(entry[:3], number)
        size, offset = entry[3:7], entry[7:12]
        if not (size.isdigit() and offset.isdigit()):
            raise Reject(f"bad directory: entry {number} (field {tag}) has a length or "
                         f"offset that is not a number")
        start = base_address + int(offset)
        end = start + int(size) - 1
        if end >= len(chunk) or end < start:
            raise Reject(f"bad directory: field {tag} ends past the record")
        if chunk[end] != FIELD_END:
            raise Reject(f"bad directory: field {tag} does not end where the directory says")
        entries.append((tag, start, end))
    return base_address, entries


def _oversize_directory(chunk: bytes) -> tuple[int, list[tuple[str, int, int]]]:
    """Directory of a record over 99,999 bytes, whose leader numbers cannot be right.

    Exporters cap or wrap the leader length and base address and write 5- or 6-digit
    offsets, but field lengths (4 digits) stay exact. So the directory runs to the first
    field terminator, the fields follow in directory order, and the record is read only
    if every entry's tag and length match the field found at its place.
    """
    size = len(chunk) + 1
    directory_end = chunk.find(bytes([FIELD_END]), 24)
    if directory_end < 0:
        raise Reject(f"oversize record ({size} bytes) without a directory terminator")
    base_address = directory_end + 1
    directory = chunk[24:directory_end]
    fields = chunk[base_address:].split(bytes([FIELD_END]))[:-1]
    wide = len(directory) - 12 * len(fields)  # the last entries may have 6-digit offsets
    if not fields or not 0 <= wide <= len(fields):
        raise Reject(f"oversize record ({size} bytes): its directory does not match "
                     f"its {len(fields)} fields")
    entries, cursor, start = [], 0, base_address
    for number, data in enumerate(fields, 1):
        width = 13 if number > len(fields) - wide else 12
        entry = directory[cursor:cursor + width]
        cursor += width
        tag = _tag(entry[:3], number)
        if not entry[3:].isdigit() or int(entry[3:7]) != len(data) + 1:
            raise Reject(f"oversize record ({size} bytes): directory entry {number} "
                         f"(field {tag}) does not match the field found there")
        entries.append((tag, start, start + len(data)))
        start += len(data) + 1
    return base_address, entries


def _tag(raw: bytes, number: int) -> str:
    if not (len(raw) == 3 and raw.isascii() and raw.isalnum()):
        raise Reject(f"bad directory: entry {number} has an invalid tag "
                     f"{raw.decode('latin-1')!r}")
    return raw.decode("ascii")


def _fields(chunk: bytes, entries, used: str) -> list[Field]:
    plain = charsets.plain_ascii(chunk)
    decode = charsets.DECODERS["ascii" if plain else used]
    fast = plain or used == "utf-8"
    fields = []
    for tag, start, end in entries:
        data = chunk[start:end]
        if tag < "010" and tag.isdigit():
            fields.append(Field(tag=tag, data=_decode(decode, data, used, tag)))
            continue
        if fast and (field := _utf8_field(tag, data)) is not None:
            fields.append(field)
            continue
        parts = data.split(SUBFIELD)
        if not parts[0].isascii():
            raise Reject(f"field {tag} has indicators that are not ASCII")
        # Missing or extra indicators are common and harmless: pad or trim as pymarc does.
        indicators = (parts[0].decode("ascii") + "  ")[:2]
        subfields = []
        for part in parts[1:]:
            if not part:
                continue
            # Odd ASCII codes (a blank, punctuation) still hold readable data; a control
            # or non-ASCII byte means the field's bytes are garbled.
            if not 0x20 <= part[0] <= 0x7E:
                raise Reject(f"field {tag} has an invalid subfield code 0x{part[:1].hex()}")
            subfields.append(Subfield(chr(part[0]), _decode(decode, part[1:], used, tag)))
        fields.append(Field(tag=tag, indicators=Indicators(*indicators), subfields=subfields))
    return fields


def _utf8_field(tag: str, data: bytes) -> Field | None:
    """A data field in UTF-8 (or ASCII) decoded whole then split, as the loop of
    _fields would read it subfield by subfield (0x1F never occurs inside a
    UTF-8 character), at a third of its cost. None: something is wrong, and
    that loop says what."""
    try:
        parts = data.decode("utf-8").split("\x1f")
    except UnicodeDecodeError:
        return None
    if not parts[0].isascii():
        return None
    subfields = []
    for part in parts[1:]:
        if not part:
            continue
        if not " " <= part[0] <= "~":
            return None
        value = part[1:]
        # Normalised apart from its code, as charsets._utf8 does: NFC could join
        # a code letter and a combining accent opening the value.
        subfields.append(Subfield(part[0], value if value.isascii() else unicodedata.normalize("NFC", value)))
    indicators = (parts[0] + "  ")[:2]
    return Field(tag=tag, indicators=(indicators[0], indicators[1]), subfields=subfields)


def _decode(decode, data: bytes, used: str, tag: str) -> str:
    try:
        return decode(data)
    except UnicodeDecodeError as error:
        byte = error.object[error.start:error.start + 1].hex()
        raise _DecodeError(f"invalid {charsets.LABELS[used]} in field {tag}: byte 0x{byte} "
                           f"at position {error.start} of the subfield") from None
    except ValueError as error:
        raise _DecodeError(f"invalid {charsets.LABELS[used]} in field {tag}: {error}") from None
