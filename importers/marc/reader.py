"""Read MARC records from files or streams: ISO 2709 or MARCXML, plain or gzip.

read_marc never raises for a bad record: it yields a RawRecord with record=None, a reason
and the record's own bytes, so that a rejects file can be fixed and imported again. It
streams: memory does not grow with the file.
"""
from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pymarc

from importers.marc import iso2709, marcxml

ENCODINGS = ("auto", "utf-8", "marc-8", "iso-5426")
SYNTAXES = ("auto", "iso2709", "marcxml")
BLOCK = 256 * 1024
MARCXML_NS = "http://www.loc.gov/MARC21/slim"


@dataclass(slots=True)
class RawRecord:
    position: int                 # 1-based index of the record in its file/stream
    raw: bytes                    # ISO 2709 bytes (terminator included) or the <record> element
    syntax: str                   # "iso2709" | "marcxml"
    record: pymarc.Record | None  # None when unreadable
    error: str | None             # the reason when record is None
    encoding: str | None          # encoding used to decode: "utf-8", "marc-8", "iso-5426"...


def read_marc(source: str | os.PathLike | BinaryIO | bytes, *, encoding: str = "auto",
              syntax: str = "auto") -> Iterator[RawRecord]:
    """Yield every record of `source`, readable or not, in order (see RawRecord).

    `source` is a path, a binary stream or bytes; gzip is recognised by its magic bytes,
    MARCXML by a first non-blank "<". `encoding` applies to ISO 2709 ("auto" guesses per
    record); XML declares its own.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}")
    if syntax not in SYNTAXES:
        raise ValueError(f"syntax must be one of {', '.join(SYNTAXES)}")
    source_stream, owned = _open(source)
    stream = source_stream
    try:
        head = stream.read(BLOCK)
        if head[:2] == b"\x1f\x8b":
            stream = gzip.GzipFile(fileobj=_Prefixed(head, source_stream), mode="rb")
            head = stream.read(BLOCK)
        if syntax == "auto":
            first = head.lstrip(b"\xef\xbb\xbf" + iso2709.JUNK)[:1]
            syntax = "marcxml" if first == b"<" else "iso2709"
        blocks = _blocks(head, stream)
        if syntax == "marcxml":
            yield from _read_xml(blocks, marcxml.declared_encoding(head))
        else:
            yield from _read_iso(blocks, encoding)
    finally:
        if stream is not source_stream:
            stream.close()  # the gzip layer; it leaves the stream below open
        if owned:
            source_stream.close()


def _read_iso(blocks: Iterable[bytes], encoding: str) -> Iterator[RawRecord]:
    for position, (chunk, terminated) in enumerate(iso2709.split_records(blocks), 1):
        if not terminated:
            yield RawRecord(position, chunk, "iso2709", None,
                            "truncated record at end of file (no record terminator)", None)
            continue
        raw = chunk + iso2709.RECORD_END
        try:
            record, used = iso2709.parse(chunk, encoding)
        except iso2709.Reject as reason:
            yield RawRecord(position, raw, "iso2709", None, str(reason), None)
        except Exception as error:  # a case no check foresaw: reject, never stop the batch
            yield RawRecord(position, raw, "iso2709", None,
                            f"the record cannot be read: {error}", None)
        else:
            yield RawRecord(position, raw, "iso2709", record, None, used)


def _read_xml(blocks: Iterable[bytes], declared: str) -> Iterator[RawRecord]:
    for position, (raw, record, error) in enumerate(marcxml.read_records(blocks), 1):
        yield RawRecord(position, raw, "marcxml", record, error, declared if record else None)


def write_rejects(path: str | os.PathLike, rejects: Iterable[RawRecord]) -> list[str]:
    """Write rejects so they can be fixed and imported again; return the files written.

    ISO 2709 rejects are concatenated as they came; MARCXML rejects are wrapped in a
    <collection>. PATH gets the syntax met first; should the other one follow (several
    files in one run), it goes to PATH.xml or PATH.mrc. No rejects, no file.
    """
    path = os.fspath(path)
    outputs: dict[str, BinaryIO] = {}
    written: list[str] = []
    try:
        for reject in rejects:
            out = outputs.get(reject.syntax)
            if out is None:
                target = path
                if outputs:
                    target += ".xml" if reject.syntax == "marcxml" else ".mrc"
                out = outputs[reject.syntax] = open(target, "wb")
                written.append(target)
                if reject.syntax == "marcxml":
                    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                              b'<collection xmlns="' + MARCXML_NS.encode() + b'">\n')
            if reject.syntax == "marcxml":
                out.write(reject.raw + b"\n")
            elif reject.raw.endswith(iso2709.RECORD_END):
                out.write(reject.raw)
            else:
                # A truncated tail has no terminator: give it one, or it would run into the
                # next reject (from another file of the same run).
                out.write(reject.raw + iso2709.RECORD_END)
    finally:
        for syntax, out in outputs.items():
            if syntax == "marcxml":
                out.write(b"</collection>\n")
            out.close()
    return written


def _open(source) -> tuple[BinaryIO, bool]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), True
    return source, False


def _blocks(head: bytes, stream) -> Iterator[bytes]:
    if head:
        yield head
    while block := stream.read(BLOCK):
        yield block


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (to sniff gzip), put back in front."""

    def __init__(self, prefix: bytes, stream):
        self.prefix, self.stream = prefix, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            size = min(len(buffer), len(self.prefix))
            buffer[:size] = self.prefix[:size]
            self.prefix = self.prefix[size:]
            return size
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)
