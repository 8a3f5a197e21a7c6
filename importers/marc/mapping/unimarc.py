"""UNIMARC bibliographic records -> catalogue data.

French sources: 200 title with <<...>> or NSB/NSE non-sorting markers, 210/214
publication, 600-608 subjects with $2 rameau, 700-712 responsibilities with
numeric relator codes ($4 070 = author...), items in 995 (Koha, BnF).
"""
from __future__ import annotations

import datetime as dt

import pymarc

from catalogue.vocab import DocumentType
from importers.marc.identity import find_own_id
from importers.marc.mapping import genre
from importers.marc.mapping.common import (
    DOCUMENT_TYPES,
    Mapped,
    MappingError,
    by_tag,
    clip,
    control,
    finish,
    first_sub,
    isbd,
    isbns,
    issn,
    item,
    languages,
    lines,
    local_data,
    name,
    non_filing,
    place,
    sub,
    subs,
    text,
    url,
    year,
)

# UNIMARC relator codes (Appendix C) -> catalogue roles; any other code is a contributor.
RELATORS = {"070": "aut", "340": "edt", "440": "ill", "730": "trl", "300": "drt", "651": "edt"}
# Role when $4 is absent: 700/701/710/711 name authors, 702/712 secondary responsibility.
DEFAULT_ROLE = {"700": "aut", "701": "aut", "702": "ctb", "710": "aut", "711": "aut", "712": "ctb"}
SUBJECT_TAGS = ("600", "601", "602", "604", "605", "606", "607", "608")
SUBDIVISION_CODES = "jxyz"  # form, topical, geographical, chronological


def map_record(record: pymarc.Record) -> Mapped:
    tags = by_tag(record)
    this_year = dt.date.today().year
    leader = str(record.leader)
    if leader[6:7] in ("x", "y", "z"):  # UNIMARC/Authorities entry records
        raise MappingError(f"This is an authority record (leader/06 {leader[6]!r}), "
                           "not a bibliographic record.")
    f100 = first_sub(tags.get("100"), "a") or ""

    title, subtitle, responsibility, filing = _title(tags)
    if not title:
        raise MappingError("The record has no title (200 $a).")

    publication = [f for f in tags.get("214", ()) if f.indicator2 in ("1", " ")] or tags.get("210") \
        or tags.get("214") or []
    found_isbns = isbns([v for f in tags.get("010", ()) for v in subs(f, "a")])
    link = url([v for f in tags.get("856", ()) for v in subs(f, "u")])
    local, local_type, _ = local_data(tags.get("959"))
    items = _items(tags)
    doc_type = _document_type(leader, link, local_type)
    if local_type not in DOCUMENT_TYPES:
        doc_type = _finer_type(doc_type, leader, tags, title, subtitle)
    data = {
        "title": title,
        "subtitle": subtitle,
        "responsibility": responsibility,
        "contributors": _contributors(tags),
        "publisher": isbd(first_sub(publication, "c")),
        "place": place(first_sub(publication, "a")),
        # 100 $a/9-12 is the first date of publication; 210 $d as written.
        "year": year(f100[9:13], this_year) or year(first_sub(publication, "d"), this_year),
        "edition": isbd(first_sub(tags.get("205"), "a")),
        "series": isbd(first_sub(tags.get("225"), "a")),
        "isbn": found_isbns[0] if found_isbns else None,
        "issn": issn([v for f in tags.get("011", ()) for v in subs(f, "a")]),
        "languages": languages([v for f in tags.get("101", ()) for v in subs(f, "a")]),
        "document_type": doc_type,
        "summary": lines([sub(f, "a") for f in tags.get("330", ())]),
        "notes": lines([isbd(" ; ".join(subs(f, "acde"))) for f in tags.get("215", ())]),
        "url": link,
        "call_number": next((i["call_number"] for i in items if i["call_number"]), None),
    }
    return Mapped(data=finish(data), items=items, subjects=_subjects(tags),
                  source_id=clip(text(control(tags, "001")) or text(first_sub(tags.get("035"), "a")), 255),
                  flavour="unimarc", isbns=found_isbns, filing_title=filing, local=local,
                  own_id=find_own_id(tags, with_003=False))  # UNIMARC 003 is a URI, not an organisation


def _title(tags: dict):
    field = (tags.get("200") or [None])[0]
    if field is None or not sub(field, "a"):
        return None, None, None, None
    titles = subs(field, "a")
    display, filing = non_filing(titles[0])
    # Further $a are other works by the same author in the same volume.
    parts = [isbd(display)] + [isbd(text(v)) for v in titles[1:]] + [isbd(v) for v in subs(field, "hi")]
    title = " ; ".join(p for p in parts[: len(titles)] if p)
    part = ". ".join(p for p in parts[len(titles):] if p)
    if part:
        title = f"{title}. {part}"
    responsibility = " ; ".join(p for p in (isbd(v) for v in subs(field, "fg")) if p)
    return title or None, isbd(sub(field, "e")), responsibility or None, isbd(filing)


def _role(f) -> str:
    code = (sub(f, "4") or "").strip()
    if code:
        return RELATORS.get(code, "ctb")
    return DEFAULT_ROLE.get(f.tag, "aut")


def _contributors(tags: dict) -> list[dict]:
    result, seen = [], set()
    for tag in ("700", "701", "702", "710", "711", "712"):
        for f in tags.get(tag, ()):
            if tag < "710":  # surname, forename
                value = ", ".join(p for p in (isbd(sub(f, "a")), isbd(sub(f, "b"))) if p)
            else:  # corporate body. subdivision
                value = ". ".join(p for p in (isbd(v) for v in subs(f, "ab")) if p)
            value = name(value)
            if not value:
                continue
            contributor = {"name": value, "role": _role(f)}
            if (value, contributor["role"]) not in seen:
                seen.add((value, contributor["role"]))
                result.append(contributor)
    return result


def _document_type(leader: str, link: str | None, local_type: str | None) -> str:
    if local_type in DOCUMENT_TYPES and (local_type != "website" or link):
        return local_type
    kind, level = (leader[6:7], leader[7:8]) if len(leader) >= 8 else ("a", "m")
    if kind in "ab":  # printed or manuscript text
        if level == "s":
            return DocumentType.PERIODICAL.value
        if level == "i":
            return DocumentType.WEBSITE.value if link else DocumentType.PERIODICAL.value
        return DocumentType.BOOK.value
    if kind == "l":  # electronic resource: an electronic serial is still a periodical
        if level == "s":
            return DocumentType.PERIODICAL.value
        return DocumentType.WEBSITE.value if link else DocumentType.CD_DVD.value
    if kind in "gij":
        return DocumentType.AUDIOVISUAL.value
    return DocumentType.OTHER.value


def _finer_type(carrier: str, leader: str, tags: dict, title: str, subtitle: str | None) -> str:
    forms = [v for f in tags.get("608", ()) for v in subs(f, "a")]
    forms += [v for tag in SUBJECT_TAGS for f in tags.get(tag, ()) for v in subs(f, "j")]
    f105 = (first_sub(tags.get("105"), "a") or "") if leader[6:7] in "ab" else ""  # 105: printed text only
    return genre.guess(carrier, forms=forms, contents=f105[4:8], words=[title, subtitle],
                       topics=[v for t in SUBJECT_TAGS for f in tags.get(t, ()) for v in subs(f, "a")],
                       contents_codes=genre.UNIMARC_CONTENTS)


def _subjects(tags: dict) -> list[tuple[str, str | None, str]]:
    result = []
    for tag in SUBJECT_TAGS:
        for f in tags.get(tag, ()):
            main = [isbd(v) for v in subs(f, "a")]
            if tag == "600":  # surname, forename (dates)
                main = [", ".join(p for p in (isbd(sub(f, "a")), isbd(sub(f, "b"))) if p)]
            elif tag in ("601", "602"):
                main = [". ".join(p for p in (isbd(v) for v in subs(f, "ab")) if p)]
            elif tag in ("604", "605"):
                main = [". ".join(p for p in (isbd(v) for v in subs(f, "at")) if p)]
            parts = main + [name(v) for v in subs(f, SUBDIVISION_CODES)]
            heading = " -- ".join(p for p in (text(p) for p in parts) if p)
            if not heading:
                continue
            subject = (clip(heading, 500), clip(text(sub(f, "2")), 50), tag)
            if subject not in result:
                result.append(subject)
    return result


def _items(tags: dict) -> list[dict]:
    """995 (Koha UNIMARC, BnF): $f barcode, $k call number, $e shelving location
    ($d section, $c holding library as fallbacks)."""
    items, barcodes = [], set()
    for f in tags.get("995", ()):
        found = item(sub(f, "f"), location=sub(f, "e") or sub(f, "d") or sub(f, "c"),
                     call_number=sub(f, "k"))
        if found and found["barcode"] not in barcodes:
            barcodes.add(found["barcode"])
            items.append(found)
    return items
