"""MARC21 fields built from the catalogue's values, grouped by the catalogue
fields they carry (see the conventions in importers/export/__init__.py).

Each group lists the MARC tags it owns: when the export overlays current values
on a raw MARC21 record, it replaces exactly those tags for the groups that
changed and leaves every other field alone.
"""
from __future__ import annotations

import re

from pymarc import Field, Indicators, Leader, Subfield

from catalogue.models import Record
from catalogue.vocab import DocumentType
from importers.marc.identity import ORG_CODE, is_digest  # noqa: F401 (ORG_CODE: the code written in 003)

LEADER_TYPES = {  # document type -> leader/06 (type of record), leader/07 (bibliographic level)
    DocumentType.BOOK: ("a", "m"),
    DocumentType.PERIODICAL: ("a", "s"),
    DocumentType.AUDIOVISUAL: ("g", "m"),
    DocumentType.CD_DVD: ("m", "m"),
    DocumentType.WEBSITE: ("a", "i"),
    DocumentType.JOB_SHEET: ("a", "m"),
    DocumentType.DIPLOMA_FRAMEWORK: ("a", "m"),
    DocumentType.EXAM_GUIDE: ("a", "m"),
    DocumentType.DIRECTORY: ("a", "m"),
    DocumentType.TRAINING_DATABASE: ("m", "i"),
    DocumentType.JOB_BOARD: ("a", "i"),
    DocumentType.OTHER: ("a", "m"),
}

RELATOR_TERMS = {"aut": "author", "edt": "editor", "ctb": "contributor", "ill": "illustrator",
                 "trl": "translator", "drt": "director"}
SUBJECT_IND2 = {"lcsh": "0", "lcshac": "1", "mesh": "2", "nal": "3", "cash": "5", "rvm": "6"}
# UNIMARC subject tags and their MARC21 equivalents (for records imported as UNIMARC).
UNIMARC_SUBJECT_TAGS = {"600": "600", "601": "610", "602": "600", "604": "600", "605": "630",
                        "606": "650", "607": "651", "608": "655", "610": "653"}

# Catalogue field group -> the MARC21 tags it owns.
GROUP_TAGS = {
    "title": ("245",),
    "contributors": ("100", "110", "111", "700", "710", "711"),
    "edition": ("250",),
    "publication": ("260", "264"),
    "series": ("440", "490"),
    "isbn": ("020",),
    "issn": ("022",),
    "languages": ("041",),
    "notes": ("500",),
    "summary": ("520",),
    "url": ("856",),
    "frequency": ("310",),
    "holdings": ("866",),
}
GROUP_FIELDS = {
    "title": ("title", "subtitle", "responsibility"),
    "contributors": ("contributors",),
    "edition": ("edition",),
    "publication": ("place", "publisher", "year"),
    "series": ("series",),
    "isbn": ("isbn",),
    "issn": ("issn",),
    "languages": ("languages",),
    "notes": ("notes",),
    "summary": ("summary",),
    "url": ("url",),
    "frequency": ("frequency",),
    "holdings": ("holdings_statement",),
}

# Characters that would break ISO 2709 (delimiters) or XML 1.0 (other C0 controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text) -> str:
    return _CONTROL.sub("", str(text)).strip()


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (kept otherwise as is)."""
    return _CONTROL.sub("", text)


def _sub(code: str, value) -> Subfield:
    return Subfield(code, clean(value))


def _field(tag: str, ind: str, *subfields: Subfield) -> Field:
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=list(subfields))


def leader(record: Record) -> Leader:
    kind, level = LEADER_TYPES.get(record.document_type, ("a", "m"))
    status = "c" if record.updated_at and record.updated_at != record.created_at else "n"
    # 09 a = UTF-8; 17 blank = full level; 18 i = ISBD punctuation included.
    return Leader(f"00000{status}{kind}{level} a2200000 i 4500")


def set_type(lead: Leader, record: Record) -> None:
    kind, level = LEADER_TYPES.get(record.document_type, ("a", "m"))
    lead.type_of_record = kind
    lead.bibliographic_level = level


def control_fields(record: Record) -> list[Field]:
    """001 = the source's number (a digest we made is none: identity.stamp
    then writes ours, with 003), 005 and 008."""
    fields = []
    if record.source_id and not is_digest(record.source_id):
        fields.append(Field(tag="001", data=clean(record.source_id)))
    fields += [field_005(record), Field(tag="008", data=field_008(record))]
    return fields


def field_005(record: Record) -> Field:
    return Field(tag="005", data=record.updated_at.strftime("%Y%m%d%H%M%S.0"))


def field_008(record: Record, base: str | None = None) -> str:
    """008 for a record, or ``base`` (a raw 008) with its date and language updated."""
    if base is None or len(base) != 40:
        entered = record.created_at.strftime("%y%m%d")
        if record.document_type is DocumentType.PERIODICAL:
            dates = "u" + (f"{record.year:04d}" if record.year else "uuuu") + "uuuu"
        else:
            dates = f"s{record.year:04d}    " if record.year else "nuuuuuuuu"
        # 15-17 unknown place; 18-34 "no attempt to code"; 38 blank; 39 d = other source.
        base = entered + dates + "xx " + "|" * 17 + "|||" + " d"
    elif record.year:
        base = base[:7] + f"{record.year:04d}" + base[11:]
    language = record.languages[0] if record.languages else "|||"
    return base[:35] + language + base[38:]


def isbd_title(record: Record) -> Field:
    parts = [("a", record.title), ("b", record.subtitle), ("c", record.responsibility)]
    parts = [(code, clean(value)) for code, value in parts if value and clean(value)]
    subfields = []
    for index, (code, value) in enumerate(parts):
        following = parts[index + 1][0] if index + 1 < len(parts) else None
        separator = {"b": " :", "c": " /"}.get(following, "")
        subfields.append(Subfield(code, value + separator))
    main_entry = bool(record.contributors) and record.contributors[0].role.value == "aut"
    return _field("245", ("1" if main_entry else "0") + "0", *subfields)


def contributor_fields(record: Record) -> list[Field]:
    fields = []
    for index, contributor in enumerate(record.contributors):
        role = contributor.role.value
        tag = "100" if index == 0 and role == "aut" else "700"
        ind1 = "1" if "," in contributor.name else "0"  # surname first, or forename / direct order
        fields.append(_field(tag, ind1 + " ", _sub("a", contributor.name),
                             Subfield("e", RELATOR_TERMS.get(role, role)), Subfield("4", role)))
    return fields


def publication(record: Record) -> list[Field]:
    parts = [(code, clean(value)) for code, value in
             (("a", record.place), ("b", record.publisher), ("c", record.year)) if value]
    if not parts:
        return []
    subfields = []
    for index, (code, value) in enumerate(parts):
        following = parts[index + 1][0] if index + 1 < len(parts) else None
        separator = {"b": " :", "c": ","}.get(following, "")
        subfields.append(Subfield(code, value + separator))
    return [_field("264", " 1", *subfields)]


def note_lines(text: str | None) -> list[str]:
    return [line for line in (clean(line) for line in (text or "").splitlines()) if line]


def subject_fields(record: Record) -> list[Field]:
    fields = []
    for subject in record.subjects:
        tag = subject.tag or "650"
        if record.marc_flavour == "unimarc" or tag not in _MARC21_SUBJECT_TAGS:
            tag = UNIMARC_SUBJECT_TAGS.get(tag, "650")
        parts = [clean(p) for p in subject.heading.split(" -- ") if clean(p)]
        if not parts:
            continue
        subfields = [Subfield("a", parts[0])] + [Subfield("x", p) for p in parts[1:]]
        vocabulary = (subject.vocabulary or "").strip()
        if tag == "653":
            ind2 = " "
        elif not vocabulary:
            ind2 = "4"
        elif vocabulary.lower() in SUBJECT_IND2:
            ind2 = SUBJECT_IND2[vocabulary.lower()]
        else:
            ind2, subfields = "7", subfields + [Subfield("2", vocabulary)]
        ind1 = "1" if tag == "600" and "," in parts[0] else ("2" if tag in ("610", "611") else " ")
        fields.append(_field(tag, ind1 + ind2, *subfields))
    return fields


_MARC21_SUBJECT_TAGS = {"600", "610", "611", "630", "647", "648", "650", "651", "653", "654",
                        "655", "656", "657", "658", "662", "688"}


def subject_tags(fields: list[Field]) -> set[str]:
    return {f.tag for f in fields}


def item_fields(record: Record) -> list[Field]:
    fields = []
    # An importer takes the record's call number from the first item unless an
    # 852 without barcode gives it: write one when the first item's differs.
    first_item = record.items[0].call_number if record.items else None
    if record.call_number and record.call_number != first_item:
        fields.append(_field("852", "  ", _sub("h", record.call_number)))
    for item in record.items:
        subfields = [Subfield("a", item.library.value)]
        if item.location:
            subfields.append(_sub("b", item.location))
        if item.call_number:
            subfields.append(_sub("h", item.call_number))
        subfields.append(_sub("p", item.barcode))
        if item.condition:
            subfields.append(Subfield("q", item.condition.value))
        if item.public_note:
            subfields.append(_sub("z", item.public_note))
        subfields.append(Subfield("9", item.status.value))
        fields.append(_field("852", "  ", *subfields))
    return fields


def local_field(record: Record) -> list[Field]:
    """959: what only this catalogue knows (poles, audiences, exact type).

    Always written: the leader alone cannot tell a job sheet from a book, nor
    a CD-ROM with a web address from a website."""
    subfields = [Subfield("a", p.value) for p in sorted(record.poles, key=lambda p: p.value)]
    subfields += [Subfield("b", a.value) for a in sorted(record.audiences, key=lambda a: a.value)]
    if record.subscription_status:
        subfields.append(Subfield("s", record.subscription_status.value))
    subfields.append(Subfield("t", record.document_type.value))
    return [_field("959", "  ", *subfields)]


def group_fields(record: Record, group: str) -> list[Field]:
    """The MARC21 fields of one catalogue field group, from current values."""
    if group == "title":
        return [isbd_title(record)]
    if group == "contributors":
        return contributor_fields(record)
    if group == "publication":
        return publication(record)
    single = {"edition": ("250", "  ", record.edition), "series": ("490", "0 ", record.series),
              "isbn": ("020", "  ", record.isbn), "issn": ("022", "  ", record.issn),
              "url": ("856", "40", record.url), "frequency": ("310", "  ", record.frequency),
              "holdings": ("866", "30", record.holdings_statement)}
    if group in single:
        tag, ind, value = single[group]
        code = "u" if tag == "856" else "a"
        return [_field(tag, ind, _sub(code, value))] if value and clean(value) else []
    if group == "languages":
        languages = [Subfield("a", code) for code in record.languages or []]
        return [_field("041", "  ", *languages)] if languages else []
    if group in ("notes", "summary"):
        tag = "500" if group == "notes" else "520"
        return [_field(tag, "  ", Subfield("a", line))
                for line in note_lines(getattr(record, group))]
    raise KeyError(group)
