"""Plain-data views of records and items, used by the audit trail, by version
conflicts and by the API. One place decides what a record looks like."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the import's worker processes use this module without the models
    from catalogue.models import Item, Record

RECORD_FIELDS = (
    "title", "subtitle", "responsibility", "publisher", "place", "year", "edition", "series",
    "isbn", "issn", "languages", "document_type", "summary", "notes", "local_notes", "url",
    "call_number", "frequency", "subscription_status", "holdings_statement",
)
ITEM_FIELDS = (
    "barcode", "library", "location", "call_number", "status", "acquired_on", "price",
    "condition", "public_note",
)


def plain(value):
    """A stored value as JSON-able data: codes, not members; Decimals as text; ISO dates."""
    if hasattr(value, "value") and isinstance(value, str):  # vocabulary member
        return value.value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def record_fields(record: Record, *, descriptors: bool = False) -> dict:
    """The editable fields of a record, as plain JSON-able data.

    ``descriptors``: add the record's concept ids (sorted). Off by default:
    imports and MARC export compare records with what a source says, and
    sources say nothing about descriptors (they are work done here)."""
    data = {name: plain(getattr(record, name)) for name in RECORD_FIELDS}
    data["languages"] = list(record.languages or [])
    data["contributors"] = [{"name": c.name, "role": c.role.value} for c in record.contributors]
    data["audiences"] = sorted(a.value for a in record.audiences)
    data["poles"] = sorted(p.value for p in record.poles)
    if descriptors:
        data["descriptors"] = sorted(link.concept_id for link in record.descriptor_links)
    return data


def record_snapshot(record: Record) -> dict:
    """Everything about a record a client may read (editable fields and metadata)."""
    data = {"id": record.id, "version": record.version, **record_fields(record, descriptors=True)}
    data.update(
        origin=record.origin.value, source=record.source, source_id=record.source_id,
        has_marc=record.raw_marc is not None,
        created_at=plain(record.created_at), updated_at=plain(record.updated_at),
        created_by=record.created_by_id, updated_by=record.updated_by_id,
    )
    return data


def item_fields(item: Item) -> dict:
    return {name: plain(getattr(item, name)) for name in ITEM_FIELDS}


def item_snapshot(item: Item) -> dict:
    data = {"id": item.id, "record_id": item.record_id, "version": item.version, **item_fields(item)}
    data.update(
        use_count=item.use_count, last_used_at=plain(item.last_used_at), source=item.source,
        withdrawn_at=plain(item.withdrawn_at), withdrawal_reason=item.withdrawal_reason,
        disposal=plain(item.disposal),
        created_at=plain(item.created_at), updated_at=plain(item.updated_at),
    )
    return data


def plain_fields(clean: dict) -> dict:
    """Cleaned input in the same plain form as ``record_fields``/``item_fields``,
    so a submission compares field by field with what is stored."""
    data = {name: plain(value) for name, value in clean.items()
            if name not in ("contributors", "audiences", "poles", "descriptors")}
    if "contributors" in clean:
        data["contributors"] = [{"name": c["name"], "role": plain(c["role"])} for c in clean["contributors"]]
    for name in ("audiences", "poles", "descriptors"):
        if name in clean:
            data[name] = sorted(plain(v) for v in clean[name])
    return data

