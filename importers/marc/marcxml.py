"""MARCXML records from a byte stream: collection, bare record or OAI-PMH envelopes.

Parsed with an lxml pull parser that never expands entities, reads no DTD and opens no
network connection. Elements are dropped as soon as a record is built, so memory stays flat.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree
from pymarc import Field, Indicators, Leader, Record, Subfield

from importers.marc.iso2709 import Reject

MARC_NAMESPACES = {
    "",  # no namespace: UNIMARC exports, Koha
    "http://www.loc.gov/MARC21/slim",
    "info:lc/xmlns/marcxchange-v1",
    "info:lc/xmlns/marcxchange-v2",
}
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_KEEP_LIMIT = 64 * 1024 * 1024  # bytes kept to hand back the unparsed rest of a broken document


def _local(element) -> tuple[str, str]:
    name = etree.QName(element)
    return name.namespace or "", name.localname


def _text(element, tag: str) -> str:
    """The element's text; markup or an entity inside a value would be lost, so it rejects."""
    text = element.text or ""
    for child in element:
        if isinstance(child, etree._Entity):
            raise Reject(f"field {tag} uses the entity &{child.name}; which is not expanded")
        if isinstance(child.tag, str):
            raise Reject(f"field {tag} has a <{_local(child)[1]}> element inside a value")
        text += child.tail or ""  # around a comment or processing instruction
    return text


def _indicator(element, name: str, tag: str) -> str:
    value = element.get(name)
    if value is None or value == "":
        return " "  # indicator-less records exist in the wild; blank is what they mean
    if len(value) != 1:
        raise Reject(f"field {tag} has an invalid {name} {value!r}")
    return value


def build_record(element) -> Record:
    """A pymarc Record from a MARCXML <record> element, or Reject."""
    leader = None
    fields = []
    for child in element:
        if isinstance(child, etree._Entity):
            raise Reject(f"the record uses the entity &{child.name}; which is not expanded")
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        _, name = _local(child)
        if name == "leader":
            leader = _text(child, "leader")
            if len(leader) != 24:
                raise Reject(f"bad leader: {len(leader)} characters instead of 24")
        elif name in ("controlfield", "datafield"):
            tag = child.get("tag")
            if tag is None:
                raise Reject(f"a {name} at line {child.sourceline} has no tag attribute")
            if len(tag) != 3 or not tag.isascii() or not tag.isalnum():
                raise Reject(f"a {name} at line {child.sourceline} has an invalid tag {tag!r}")
            if name == "controlfield":
                fields.append(Field(tag=tag, data=_text(child, tag)))
                continue
            subfields = []
            for sub in child:
                if isinstance(sub, etree._Entity):
                    raise Reject(f"field {tag} uses the entity &{sub.name}; which is not expanded")
                if not isinstance(sub.tag, str):
                    continue
                if _local(sub)[1] != "subfield":
                    # Dropping it would silently lose data (e.g. a misspelt <subfields>).
                    raise Reject(f"field {tag} contains an unexpected <{_local(sub)[1]}> element")
                code = sub.get("code")
                if not code or len(code) != 1:
                    raise Reject(f"a subfield of field {tag} has no valid code attribute")
                subfields.append(Subfield(code, _text(sub, tag)))
            indicators = Indicators(_indicator(child, "ind1", tag), _indicator(child, "ind2", tag))
            fields.append(Field(tag=tag, indicators=indicators, subfields=subfields))
        # Other children (Koha puts OAI <identifier>/<datestamp> in the record) are not MARC.
    if not fields:
        raise Reject("the record has no fields")
    record = Record()
    if leader is not None:
        record.leader = Leader(leader)
    record.fields = fields
    return record


def declared_encoding(head: bytes) -> str:
    match = _ENCODING.match(head.lstrip(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii").lower() if match else "utf-8"


class _Kept:
    """The bytes fed to the parser from the start of the line where the record being parsed
    begins, to hand back the unparsed rest of a document that turns out not to be well-formed."""

    def __init__(self):
        # (line of the block's first byte, whether that byte starts the line, bytes)
        self.blocks: list[tuple[int, bool, bytes]] = []
        self.next_line, self.at_line_start, self.size = 1, True, 0

    def add(self, block: bytes) -> None:
        self.blocks.append((self.next_line, self.at_line_start, block))
        self.next_line += block.count(b"\n")
        self.at_line_start = block.endswith(b"\n")
        self.size += len(block)
        while self.size > _KEEP_LIMIT and len(self.blocks) > 1:
            self.size -= len(self.blocks.pop(0)[2])

    def forget_before(self, line: int) -> None:
        """Drop blocks that only hold lines before `line`."""
        while len(self.blocks) > 1:
            first_line, at_start, _ = self.blocks[1]
            if first_line < line or (first_line == line and at_start):
                self.size -= len(self.blocks.pop(0)[2])
            else:
                break

    def from_line(self, line: int) -> bytes | None:
        """The kept bytes from the start of `line`, or None if they were not kept."""
        if not self.blocks:
            return b""
        first_line, at_start, _ = self.blocks[0]
        if line < first_line or (line == first_line and not at_start):
            return None
        data = b"".join(block for _, _, block in self.blocks)
        position = 0
        for _ in range(line - first_line):
            position = data.find(b"\n", position) + 1
            if position == 0:
                return b""
        return data[position:]


def read_records(blocks: Iterable[bytes]) -> Iterator[tuple[bytes, Record | None, str | None]]:
    """Yield (raw element bytes, record, error) per MARC record; if the document is not
    well-formed, a last one for the unparsed rest."""
    parser = etree.XMLPullParser(
        events=("start", "end"), tag="{*}record", resolve_entities=False, no_network=True,
        huge_tree=False, load_dtd=False, remove_blank_text=False,
    )
    kept = _Kept()
    open_line = None  # line where the record being parsed starts
    blocks = iter(blocks)
    for block in blocks:
        kept.add(block)
        try:
            parser.feed(block)
            error = None
        except etree.XMLSyntaxError as exc:
            error = exc
        for event, element in parser.read_events():
            if not _is_marc(element):
                continue  # an OAI-PMH <record> envelope
            if event == "start":
                open_line = element.sourceline
                kept.forget_before(open_line)
                continue
            open_line = None
            yield _one(element)
            _drop(element)
        if error is not None:
            yield _broken(error, kept, open_line, blocks)
            return
    try:
        parser.close()
    except etree.XMLSyntaxError as error:
        yield _broken(error, kept, open_line, iter(()))


def _is_marc(element) -> bool:
    namespace, _ = _local(element)
    if namespace in MARC_NAMESPACES:
        return True
    # A namespace-less MARC record inside an OAI-PMH <metadata> inherits the OAI namespace.
    parent = element.getparent()
    return namespace == OAI_NS and parent is not None and _local(parent)[1] == "metadata"


def _one(element) -> tuple[bytes, Record | None, str | None]:
    raw = etree.tostring(element, encoding="UTF-8", xml_declaration=False, with_tail=False)
    try:
        return raw, build_record(element), None
    except Reject as reason:
        return raw, None, str(reason)
    except Exception as error:  # pymarc refusing a value: still a reject, never a crash
        return raw, None, f"the record cannot be read: {error}"


def _drop(element) -> None:
    """Free the parsed record and everything before it, up the tree."""
    element.clear(keep_tail=False)
    node = element
    while node.getparent() is not None:
        parent = node.getparent()
        while node.getprevious() is not None:
            del parent[0]
        node = parent


def _broken(error, kept: _Kept, open_line, rest: Iterator[bytes]) -> tuple[bytes, None, str]:
    line = error.lineno or 1
    start = min(open_line, line) if open_line else line
    kept_bytes = kept.from_line(start)
    message = error.msg.split(", line ")[0] if error.msg else str(error)
    reason = f"XML is not well-formed at line {line}: {message}"
    if kept_bytes is None:  # a single enormous line: the unparsed rest was not kept
        return b"", None, reason + " (the rest of the document is too large to keep)"
    return kept_bytes + b"".join(rest), None, reason
