"""Marshmallow schemas of the API. They check JSON types; the cataloguing
rules (ISBN, years, required title...) are the services' and answer with the
same error shape."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from catalogue.vocab import (
    Audience,
    Condition,
    ContributorRole,
    DocumentType,
    ItemStatus,
    Library,
    Origin,
    Pole,
    SubscriptionStatus,
)
from core.web.api import PageArgs, Strict, page_of


def _codes(vocabulary, **kwargs):
    return fields.String(validate=validate.OneOf(vocabulary.values()), **kwargs)


class RecordListArgs(PageArgs):
    q = fields.String(metadata={"description": "Substring of title, ISBN/ISSN or call number."})
    document_type = _codes(DocumentType)
    pole = _codes(Pole)


class ItemListArgs(PageArgs):
    barcode = fields.String()
    record_id = fields.Integer()


class VersionArgs(Strict):
    version = fields.Integer(metadata={"description": "If given, delete only if still at this version."})


class Contributor(Strict):
    name = fields.String(required=True)
    role = _codes(ContributorRole, load_default=ContributorRole.AUTHOR.value)


class RecordFields(Strict):
    # Required and never null, as the service requires (a blank one answers 422 too).
    title = fields.String(required=True)
    subtitle = fields.String(allow_none=True)
    responsibility = fields.String(allow_none=True, metadata={"description": "Statement of responsibility."})
    contributors = fields.List(fields.Nested(Contributor), load_default=list)
    publisher = fields.String(allow_none=True)
    place = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True, strict=True)
    edition = fields.String(allow_none=True)
    series = fields.String(allow_none=True)
    isbn = fields.String(allow_none=True, metadata={"description": "ISBN-10 or -13; stored as ISBN-13 digits."})
    issn = fields.String(allow_none=True)
    languages = fields.List(fields.String(), load_default=list,
                            metadata={"description": "ISO 639-2/B codes, e.g. fre."})
    document_type = _codes(DocumentType, load_default=DocumentType.BOOK.value)
    audiences = fields.List(_codes(Audience), load_default=list)
    poles = fields.List(_codes(Pole), load_default=list)
    summary = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    local_notes = fields.String(allow_none=True, metadata={"description": "Staff-only note."})
    url = fields.String(allow_none=True)
    call_number = fields.String(allow_none=True)
    frequency = fields.String(allow_none=True, metadata={"description": "Periodicals only."})
    subscription_status = fields.String(allow_none=True, validate=validate.OneOf(
        SubscriptionStatus.values() + [None]))
    holdings_statement = fields.String(allow_none=True, metadata={"description": "Periodicals only."})
    descriptors = fields.List(fields.Integer(strict=True), metadata={
        "description": "Concept ids of the thesaurus the work is indexed with. Left out, the work keeps "
                       "its descriptors. A deprecated concept cannot be added: use its replacement."})


class RecordUpdate(RecordFields):
    version = fields.Integer(required=True, metadata={
        "description": "The version you read. A different stored version answers 409."})


class Descriptor(Schema):
    id = fields.Integer()
    uri = fields.String()
    label = fields.String(metadata={"description": "The concept's French preferred label."})


class Record(RecordFields):
    descriptors = fields.List(fields.Nested(Descriptor))
    id = fields.Integer()
    version = fields.Integer()
    origin = _codes(Origin)
    source = fields.String(allow_none=True)
    source_id = fields.String(allow_none=True)
    has_marc = fields.Boolean()
    item_count = fields.Integer()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    created_by = fields.Integer(allow_none=True)
    updated_by = fields.Integer(allow_none=True)


class ItemFields(Strict):
    barcode = fields.String(required=True, metadata={"description": "Unique."})
    library = _codes(Library, load_default=Library.CITE.value)
    location = fields.String(allow_none=True)
    call_number = fields.String(allow_none=True)
    status = _codes(ItemStatus, load_default=ItemStatus.AVAILABLE.value)
    acquired_on = fields.String(allow_none=True, metadata={"format": "date"})
    price = fields.String(allow_none=True, metadata={"description": "Decimal amount, e.g. \"19.90\"."})
    condition = fields.String(allow_none=True, validate=validate.OneOf(Condition.values() + [None]))
    public_note = fields.String(allow_none=True)


class ItemUpdate(ItemFields):
    version = fields.Integer(required=True)


class Item(ItemFields):
    id = fields.Integer()
    record_id = fields.Integer()
    version = fields.Integer()
    use_count = fields.Integer()
    last_used_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    source = fields.String(allow_none=True)
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})


RecordPage = page_of(Record)
ItemPage = page_of(Item)


class UsesIn(Strict):
    barcodes = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=1000))


class UseResult(Schema):
    barcode = fields.String()
    ok = fields.Boolean()
    message = fields.String()
    item_id = fields.Integer(allow_none=True)
    record_id = fields.Integer(allow_none=True)
    title = fields.String(allow_none=True)
    use_count = fields.Integer(allow_none=True)


class UsesOut(Schema):
    recorded = fields.Integer()
    failed = fields.Integer()
    results = fields.List(fields.Nested(UseResult))


class AuditArgs(PageArgs):
    record_id = fields.Integer()
    action = fields.String(validate=validate.OneOf(["create", "update", "delete", "use"]))


class AuditEvent(Schema):
    id = fields.Integer()
    at = fields.String(metadata={"format": "date-time"})
    actor = fields.String(allow_none=True)
    action = fields.String()
    entity_type = fields.String()
    entity_id = fields.Integer()
    record_id = fields.Integer(allow_none=True)
    label = fields.String(allow_none=True)
    changes = fields.Dict()


AuditPage = page_of(AuditEvent)
