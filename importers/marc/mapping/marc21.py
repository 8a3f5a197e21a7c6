"""MARC21 bibliographic records -> catalogue data.

001 (or the first 035 when there is no 001) identifies the record in its source;
003 only says whose number it is, so it is not part of the identifier. Our own
number (035 "(FR-CdM)id", or 001 with 003 "FR-CdM") gives ``own_id``.
"""
from __future__ import annotations

import datetime as dt

import pymarc

from catalogue.vocab import ContributorRole, DocumentType, SubscriptionStatus
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

ROLES = {r.value for r in ContributorRole}
# Relator terms ($e) as found in English and French records.
TERMS = {
    "author": "aut", "auteur": "aut", "editor": "edt", "éditeur scientifique": "edt",
    "directeur de publication": "edt", "compiler": "edt", "illustrator": "ill", "illustrateur": "ill",
    "translator": "trl", "traducteur": "trl", "director": "drt", "film director": "drt",
    "réalisateur": "drt", "contributor": "ctb",
}
# 6XX second indicator -> thesaurus (7: named in $2; 4: unnamed).
THESAURI = {"0": "lcsh", "1": "lcshac", "2": "mesh", "3": "nal", "5": "cash", "6": "rvm"}
SUBJECT_TAGS = ("600", "610", "611", "630", "648", "650", "651", "653", "655")
MAIN_CODES, SUBDIVISION_CODES = "abcdt", "vxyz"  # $0 $2 $4 $6 $8 are not text
WEBSITE_GENRES = ("web site", "website", "sites web", "site web", "sites internet", "site internet")


# Leader/06 of MARC21 records that describe no work: authorities and holdings.
NOT_BIBLIOGRAPHIC = {"z": "an authority record", "u": "a holdings record", "v": "a holdings record",
                     "x": "a holdings record", "y": "a holdings record", "w": "a classification record",
                     "q": "a community information record"}


def map_record(record: pymarc.Record) -> Mapped:
    tags = by_tag(record)
    this_year = dt.date.today().year
    leader = str(record.leader)
    kind = NOT_BIBLIOGRAPHIC.get(leader[6:7])
    if kind:
        raise MappingError(f"This is {kind} (leader/06 {leader[6]!r}), not a bibliographic record.")
    f008 = control(tags, "008")

    title, subtitle, responsibility, filing = _title(tags)
    if not title:
        raise MappingError("The record has no title (245 $a, or 246 $a).")

    place, publisher, date = _publication(tags)
    found_isbns = isbns([v for f in tags.get("020", ()) for v in subs(f, "a")])
    link = url([v for f in tags.get("856", ()) for v in subs(f, "u")])
    local, local_type, subscription = local_data(tags.get("959"))
    doc_type = _document_type(leader, f008, tags, link, local_type)
    if local_type not in DOCUMENT_TYPES:
        doc_type = _finer_type(doc_type, leader, f008, tags, title, subtitle)
    periodical = doc_type == DocumentType.PERIODICAL.value
    items, record_call_number = _items(tags)

    data = {
        "title": title,
        "subtitle": subtitle,
        "responsibility": responsibility,
        "contributors": _contributors(tags),
        "publisher": publisher,
        "place": place,
        "year": year(date, this_year) or (year(f008[7:11], this_year) if len(f008) >= 11 else None),
        "edition": isbd(first_sub(tags.get("250"), "a")),
        "series": isbd(first_sub(tags.get("490"), "a") or first_sub(tags.get("440"), "a")),
        "isbn": found_isbns[0] if found_isbns else None,
        "issn": issn([v for f in tags.get("022", ()) for v in subs(f, "a")]),
        "languages": _languages(tags, f008),
        "document_type": doc_type,
        "summary": lines([sub(f, "a") for f in tags.get("520", ())]),
        "notes": lines([_physical(f) for f in tags.get("300", ())]
                       + [sub(f, "a") for f in tags.get("500", ())]),
        "url": link,
        "call_number": record_call_number or next(
            (i["call_number"] for i in items if i["call_number"]), None),
    }
    if periodical:
        data["frequency"] = text(first_sub(tags.get("310"), "a"))
        data["holdings_statement"] = text(first_sub(tags.get("866"), "a"))
        if subscription in {s.value for s in SubscriptionStatus}:
            data["subscription_status"] = subscription
    return Mapped(data=finish(data), items=items, subjects=_subjects(tags), source_id=_source_id(tags),
                  flavour="marc21", isbns=found_isbns, filing_title=filing, local=local,
                  own_id=find_own_id(tags))


def _source_id(tags: dict) -> str | None:
    value = text(control(tags, "001"))
    if not value:
        value = text(first_sub(tags.get("035"), "a"))
    return clip(value, 255)


def _title(tags: dict):
    field = (tags.get("245") or [None])[0]
    if field is None or not sub(field, "a"):
        variant = first_sub(tags.get("246"), "a")
        return isbd(variant), None, None, None
    parts = [isbd(v) for v in subs(field, "anp")]
    title = ". ".join(p for p in parts if p)
    raw_a = sub(field, "a") or ""
    _, filing = non_filing(raw_a)  # NSB/NSE markers, when the source uses them
    # Otherwise 245 ind2: how many leading characters an index skips ("The ").
    skip = int(field.indicator2) if (field.indicator2 or "").isdigit() else 0
    if filing is None and 0 < skip < len(raw_a):
        filing = raw_a[skip:]
    return title or None, isbd(sub(field, "b")), isbd(sub(field, "c")), isbd(filing)


def _publication(tags: dict):
    fields = tags.get("264") or []
    # 264 ind2 1 = publication; 0 production, 2 distribution, 3 manufacture, 4 copyright.
    chosen = [f for f in fields if f.indicator2 == "1"] or tags.get("260") or fields
    publisher = isbd(first_sub(chosen, "b"))
    date = first_sub(chosen, "c") or first_sub(fields, "c")
    return place(first_sub(chosen, "a")), publisher, date


def role(f, default: str = "aut") -> str:
    code = (sub(f, "4") or "").strip().rstrip(".").lower()
    code = code.rsplit("/", 1)[-1]  # id.loc.gov relator URIs
    if code in ROLES:
        return code
    if code:
        return "ctb"
    term = isbd(sub(f, "e"))
    if term:
        return TERMS.get(term.lower(), "ctb")
    return default


def _contributors(tags: dict) -> list[dict]:
    result, seen = [], set()
    for tag in ("100", "110", "700", "710"):
        for f in tags.get(tag, ()):
            if tag in ("100", "700"):
                value = " ".join(subs(f, "ab"))
            else:  # corporate names: "Body. Subordinate unit"
                value = ". ".join(isbd(v) or "" for v in subs(f, "ab"))
            value = name(value)
            contributor = {"name": value, "role": role(f)}
            if value and (value, contributor["role"]) not in seen:
                seen.add((value, contributor["role"]))
                result.append(contributor)
    return result


def _languages(tags: dict, f008: str) -> list[str]:
    codes = []
    for f in tags.get("041", ()):
        for value in subs(f, "a"):
            value = value.strip()
            # Older records pack several codes in one subfield: "engfre".
            codes += [value[i:i + 3] for i in range(0, len(value), 3)] if len(value) % 3 == 0 else [value]
    if len(f008) >= 38:
        codes.append(f008[35:38])
    return languages(codes)


def _physical(f) -> str | None:
    return isbd(" ".join(subs(f, "abce")))


def _document_type(leader: str, f008: str, tags: dict, link: str | None, local_type: str | None) -> str:
    if local_type in DOCUMENT_TYPES and (local_type != "website" or link):
        return local_type
    kind, level = (leader[6:7], leader[7:8]) if len(leader) >= 8 else ("a", "m")
    genres = " ".join((first_sub([f], "a") or "").lower() for f in tags.get("655", ()))
    if link and any(g in genres for g in WEBSITE_GENRES):
        return DocumentType.WEBSITE.value
    if kind in "at":
        if level in "sb":
            return DocumentType.PERIODICAL.value
        if level == "i":
            return DocumentType.WEBSITE.value if link else DocumentType.PERIODICAL.value
        # Form of item "o"/"s": online or electronic, consulted through its address only.
        if link and len(f008) > 23 and f008[23] == "o":
            return DocumentType.WEBSITE.value
        return DocumentType.BOOK.value
    if kind in "gij":
        return DocumentType.AUDIOVISUAL.value
    if kind == "m":
        online = len(f008) > 23 and f008[23] == "o"
        if link and (online or "300" not in tags):
            return DocumentType.WEBSITE.value
        return DocumentType.CD_DVD.value
    return DocumentType.OTHER.value


def _finer_type(carrier: str, leader: str, f008: str, tags: dict, title: str, subtitle: str | None) -> str:
    forms = [v for f in tags.get("655", ()) for v in subs(f, "a")]
    forms += [v for tag in SUBJECT_TAGS for f in tags.get(tag, ()) for v in subs(f, "v")]
    books = leader[6:7] in "at" and leader[7:8] not in "sbi"  # 008/24-27 is nature of contents for books only
    return genre.guess(carrier, forms=forms, contents=f008[24:28] if books else "", words=[title, subtitle],
                       topics=[v for t in SUBJECT_TAGS for f in tags.get(t, ()) for v in subs(f, "a")],
                       contents_codes=genre.MARC21_CONTENTS)


def _subjects(tags: dict) -> list[tuple[str, str | None, str]]:
    result = []
    for tag in SUBJECT_TAGS:
        for f in tags.get(tag, ()):
            main, parts, thesaurus = [], [], None
            for code, value in f.subfields:  # one pass: this runs for most records
                if code in MAIN_CODES:
                    main.append(value)
                elif code in SUBDIVISION_CODES:
                    parts.append(name(value))
                elif code == "2" and thesaurus is None:
                    thesaurus = text(value)
            heading = " -- ".join(p for p in [name(" ".join(main))] + parts if p)
            if not heading:
                continue
            ind2 = f.indicator2 or " "
            if tag == "653":  # uncontrolled: ind2 is the kind of term, not a thesaurus
                vocabulary = None
            else:
                vocabulary = thesaurus if ind2 == "7" else THESAURI.get(ind2)
            subject = (clip(heading, 500), clip(vocabulary, 50), tag)
            if subject not in result:
                result.append(subject)
    return result


def _items(tags: dict) -> tuple[list[dict], str | None]:
    """Items from 852 (standard holdings, and our own export) or Koha's 952.
    An 852 without a barcode only gives the record's call number."""
    items, call_number, barcodes = [], None, set()
    for f in tags.get("852", ()):
        number = " ".join(subs(f, "hi")) or sub(f, "j")
        barcode = sub(f, "p")
        if not barcode:
            call_number = call_number or text(number)
            continue
        library = sub(f, "a")
        found = item(barcode, library=library.strip() if library else None,
                     location=sub(f, "c") or sub(f, "b"), call_number=number,
                     status=(sub(f, "9") or "").strip())
        if found and found["barcode"] not in barcodes:
            barcodes.add(found["barcode"])
            items.append(found)
    for f in tags.get("952", ()):
        status = None
        if (sub(f, "0") or "0").strip() not in ("", "0"):
            status = "withdrawn"
        elif (sub(f, "1") or "0").strip() not in ("", "0"):
            status = "missing"
        found = item(sub(f, "p"), location=sub(f, "c") or sub(f, "a"), call_number=sub(f, "o"), status=status)
        if found and found["barcode"] not in barcodes:
            barcodes.add(found["barcode"])
            items.append(found)
    return items, clip(call_number, 100)
