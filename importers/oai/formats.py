"""The metadata formats the repository disseminates: ``marc21`` (MARCXML) and
``oai_dc`` (simple Dublin Core).

Only public data leaves here: internal notes, staff and acquisition details
are never written. ``label`` turns a vocabulary member into display text
(the server passes a French translator).
"""
from __future__ import annotations

from typing import Callable

from lxml import etree

from catalogue.models import Record
from catalogue.vocab import ContributorRole, DocumentType
from importers.export import marcxml_element, record_to_marc21
from importers.export.fields import xml_safe
from importers.oai import DC_NS, MARC_NS, MARC_SCHEMA, OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS

FORMATS = {
    "marc21": (MARC_SCHEMA, MARC_NS),
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
}

# DCMI Type Vocabulary terms, what generic harvesters understand.
DCMI_TYPES = {
    DocumentType.BOOK: "Text",
    DocumentType.PERIODICAL: "Text",
    DocumentType.JOB_SHEET: "Text",
    DocumentType.DIPLOMA_FRAMEWORK: "Text",
    DocumentType.EXAM_GUIDE: "Text",
    DocumentType.DIRECTORY: "Text",
    DocumentType.TRAINING_DATABASE: "Dataset",
    DocumentType.JOB_BOARD: "InteractiveResource",
    DocumentType.AUDIOVISUAL: "MovingImage",
    DocumentType.CD_DVD: "InteractiveResource",
    DocumentType.WEBSITE: "InteractiveResource",
}


def metadata(prefix: str, record: Record, *, label: Callable[[object], str],
             descriptors: list[str] = ()) -> etree._Element:
    if prefix == "marc21":
        return marc21(record)
    return oai_dc(record, label=label, descriptors=descriptors)


def marc21(record: Record) -> etree._Element:
    # Built as a tree, never through text: control characters in a raw
    # record cannot make it unparsable.
    element = marcxml_element(record_to_marc21(record))
    element.set(f"{{{XSI_NS}}}schemaLocation", f"{MARC_NS} {MARC_SCHEMA}")
    return element


def oai_dc(record: Record, *, label: Callable[[object], str], descriptors: list[str] = ()) -> etree._Element:
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value) -> None:
        if value is not None and str(value).strip():
            etree.SubElement(root, f"{{{DC_NS}}}{name}").text = xml_safe(str(value).strip())

    add("title", f"{record.title} : {record.subtitle}" if record.subtitle else record.title)
    for contributor in record.contributors:
        add("creator" if contributor.role == ContributorRole.AUTHOR else "contributor", contributor.name)
    headings = [subject.heading for subject in record.subjects] + list(descriptors)
    for heading in dict.fromkeys(headings):  # each once, in order
        add("subject", heading)
    add("description", record.summary)
    add("description", record.notes)
    add("publisher", record.publisher)
    add("date", record.year)
    add("type", DCMI_TYPES.get(record.document_type))
    add("type", label(record.document_type))
    if record.isbn:
        add("identifier", f"URN:ISBN:{record.isbn}")
    if record.issn:
        add("identifier", f"URN:ISSN:{record.issn}")
    add("identifier", record.url)
    for language in record.languages or []:
        add("language", language)
    add("relation", record.series)
    return root
