"""From an OAI-PMH <record> to the importer's RawRecord.

Identity: a harvested record's source identifier is its OAI identifier, the
only key a deleted header carries. It is written as the record's 001 before
import (the original 001, prefixed by its 003, moves to a 035), so the
importer matches updates and deletions of the same item alike.
"""
from __future__ import annotations

import copy
import io
from dataclasses import replace

from lxml import etree

from importers.marc.reader import RawRecord, read_marc
from importers.oai import MARC_NS, MARCXCHANGE_NS

# Entities are never expanded and nothing is fetched from the network.
PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def marc_record(body, identifier: str, *, position: int):
    """A RawRecord for the importer from a record's <metadata> child element."""
    if body is None or etree.QName(body).localname != "record" or \
            etree.QName(body).namespace not in (MARC_NS, MARCXCHANGE_NS, None):
        raw = _bytes(body) if body is not None else b""
        what = etree.QName(body).text if body is not None else "nothing"
        return RawRecord(position=position, raw=raw, syntax="marcxml", record=None, encoding=None,
                         error=f"{identifier}: the metadata is not a MARCXML record ({what}).")
    entities = sorted({node.name for node in body.iter(etree.Entity)})
    if entities:
        return RawRecord(position=position, raw=_bytes(body), syntax="marcxml", record=None,
                         encoding=None, error=f"{identifier}: the record uses XML entities "
                         f"({', '.join('&' + name + ';' for name in entities)}), which are never expanded.")
    element = _with_identifier(body, identifier)
    data = _bytes(element)
    found = next(iter(read_marc(io.BytesIO(data), syntax="marcxml")), None)
    if found is None:
        return RawRecord(position=position, raw=data, syntax="marcxml", record=None, encoding=None,
                         error=f"{identifier}: the MARCXML record is empty.")
    return replace(found, position=position)


def _bytes(element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", xml_declaration=False, with_tail=False)


def _with_identifier(body, identifier: str):
    """A MARC21-slim copy of ``body`` whose 001 is the OAI identifier.

    MARCXchange (ISO 25577, used for UNIMARC by BnF and others) has the same
    shape as MARCXML, so its elements are simply moved to the MARC namespace.
    """
    source = copy.deepcopy(body)  # not re-parsed: an unexpanded entity stays a node, for the reader to refuse
    for element in source.iter(etree.Element):
        element.tag = f"{{{MARC_NS}}}{etree.QName(element).localname}"
    etree.cleanup_namespaces(source)
    record = etree.Element(f"{{{MARC_NS}}}record", nsmap={None: MARC_NS})
    record.extend(list(source))
    tag = f"{{{MARC_NS}}}"
    controls = {c.get("tag"): c for c in record.iterfind(f"{tag}controlfield")}
    original = (controls["001"].text or "").strip() if "001" in controls else ""
    organisation = (controls["003"].text or "").strip() if "003" in controls else ""
    if "003" in controls:
        record.remove(controls["003"])  # it named the owner of the old 001
    if "001" not in controls:
        controls["001"] = etree.Element(f"{tag}controlfield", tag="001")
        leader = record.find(f"{tag}leader")
        record.insert(record.index(leader) + 1 if leader is not None else 0, controls["001"])
    controls["001"].text = identifier
    number = f"({organisation}){original}" if organisation else original
    if original and original != identifier and number not in {
            s.text for s in record.iterfind(f"{tag}datafield[@tag='035']/{tag}subfield[@code='a']")}:
        field = etree.Element(f"{tag}datafield", tag="035", ind1=" ", ind2=" ")
        etree.SubElement(field, f"{tag}subfield", code="a").text = number
        last_control = list(record.iterfind(f"{tag}controlfield"))[-1]
        last_control.addnext(field)
    return record
