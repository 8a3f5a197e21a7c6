"""Marshmallow schemas of the acquisitions API. They check JSON types; the
rules (ISBN, amounts, the graph of states, budgets) are the services', with
the same error shape. Amounts go out as decimal strings, and come in as
strings or numbers."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from acquisitions.vocab import ProposalReason, ProposalStatus, RecordRelation, RejectionReason
from catalogue.vocab import Audience, DocumentType
from core.vocab import Pole
from core.web.api import PageArgs, Strict, number_or_text, page_of


def _codes(vocabulary, **kwargs):
    return fields.String(validate=validate.OneOf(vocabulary.values()), **kwargs)


class ProposalListArgs(PageArgs):
    status = fields.List(_codes(ProposalStatus), metadata={"description": "Repeat for several states."})
    pole = _codes(Pole)
    mine = fields.Boolean(metadata={"description": "Only the token's user's proposals."})
    q = fields.String(metadata={"description": "Words of the title, or an ISBN."})


class ProposalFields(Strict):
    title = fields.String(required=True)
    authors = fields.String(allow_none=True, metadata={"description": "Names separated by semicolons."})
    publisher = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    edition = fields.String(allow_none=True)
    isbn = fields.String(allow_none=True)
    issn = fields.String(allow_none=True)
    document_type = _codes(DocumentType)
    pole = _codes(Pole, allow_none=True, metadata={"description": "The pole it is filed under (default: the "
                                                                  "proposer's)."})
    poles = fields.List(_codes(Pole))
    audiences = fields.List(_codes(Audience))
    reason_code = _codes(ProposalReason)
    reason = fields.String(allow_none=True)
    estimated_price = number_or_text(allow_none=True, metadata={"description": "Per copy, in euros: \"19.90\"."})
    quantity = fields.Integer(allow_none=True)
    record_id = fields.Integer(allow_none=True, metadata={"description": "The work it replaces or completes."})
    record_relation = _codes(RecordRelation, allow_none=True)
    queries = fields.List(fields.String(), metadata={"description": "Observatory queries it answers."})


class ProposalIn(ProposalFields):
    confirm_duplicate = fields.Boolean(load_default=False, metadata={
        "description": "Propose it although the catalogue seems to hold it."})


class ProposalUpdate(ProposalFields):
    version = fields.Integer(required=True)


class SupportCount(Schema):
    total = fields.Integer()
    by_pole = fields.Dict(keys=fields.String(), values=fields.Integer(),
                          metadata={"description": "Pole code (\"\" for staff of no pole) -> people."})


class Event(Schema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    at = fields.String(metadata={"format": "date-time"})
    actor = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    reason_code = fields.String(allow_none=True)
    details = fields.Dict(allow_none=True)


class Comment(Schema):
    id = fields.Integer()
    author = fields.String(allow_none=True)
    at = fields.String(metadata={"format": "date-time"})
    text = fields.String()


class MonthDemand(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    searches = fields.Integer()
    zero_results = fields.Integer()


class Proposal(Schema):
    id = fields.Integer()
    version = fields.Integer()
    status = fields.String()
    title = fields.String()
    authors = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    edition = fields.String(allow_none=True)
    isbn = fields.String(allow_none=True)
    issn = fields.String(allow_none=True)
    document_type = fields.String()
    pole = fields.String(allow_none=True)
    poles = fields.List(fields.String())
    audiences = fields.List(fields.String())
    reason_code = fields.String()
    reason = fields.String(allow_none=True)
    estimated_price = fields.String(allow_none=True)
    quantity = fields.Integer()
    record_id = fields.Integer(allow_none=True)
    record_relation = fields.String(allow_none=True)
    queries = fields.List(fields.String())
    fund_id = fields.Integer(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    duplicate_confirmed = fields.Boolean()
    received_record_id = fields.Integer(allow_none=True)
    proposed_by = fields.String(allow_none=True)
    created_at = fields.String(metadata={"format": "date-time"})
    support = fields.Nested(SupportCount)
    moves = fields.List(fields.String(), metadata={"description": "The states the token's user may move it to."})


class ProposalDetail(Proposal):
    events = fields.List(fields.Nested(Event))
    comments = fields.List(fields.Nested(Comment))
    demand = fields.List(fields.Nested(MonthDemand))


ProposalPage = page_of(Proposal)


class SupportIn(Strict):
    comment = fields.String(allow_none=True)


class SupportOut(Schema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    user = fields.String()
    pole = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    at = fields.String(metadata={"format": "date-time"})
    support = fields.Nested(SupportCount)


class CommentIn(Strict):
    text = fields.String(required=True)


class ProposalMoveIn(Strict):
    to = _codes(ProposalStatus, required=True)
    version = fields.Integer(required=True)
    comment = fields.String(allow_none=True)
    fund_id = fields.Integer(allow_none=True, metadata={"description": "accepted: the fund that pays."})
    rejection_reason = _codes(RejectionReason, allow_none=True)
    record_id = fields.Integer(allow_none=True, metadata={
        "description": "rejected as already held: the work; received: the work the copies go to."})
    override = fields.Boolean(load_default=False, metadata={
        "description": "accepted, ordered: go over the fund's budget (librarians; a comment says why)."})
    supplier_id = fields.Integer(allow_none=True)
    quantity = fields.Integer(allow_none=True)
    unit_price = number_or_text(allow_none=True)
    expected_on = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD"})
    barcodes = fields.List(fields.String(), metadata={"description": "received: one per copy."})


class BudgetArgs(Strict):
    year = fields.Integer(metadata={"description": "The fiscal year (the year it starts in); default: the "
                                                  "current one."})


class FundFigures(Schema):
    fund_id = fields.Integer()
    year = fields.Integer()
    code = fields.String(metadata={"description": "A pole's code, or \"general\"."})
    pole = fields.String(allow_none=True)
    allocated = fields.String()
    committed = fields.String()
    spent = fields.String()
    remaining = fields.String()
    warning_percent = fields.Integer()
    used_percent = fields.Integer()
    warning = fields.Boolean()
    version = fields.Integer(metadata={"description": "What PATCH /api/v1/funds/<id> needs."})


class Budget(Schema):
    year = fields.Integer()
    items = fields.List(fields.Nested(FundFigures))


class FundIn(Strict):
    year = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "A pole's code, or \"general\"."})
    allocated = number_or_text(required=True)
    warning_percent = fields.Integer()
    holder_id = fields.Integer(allow_none=True)


class FundUpdate(Strict):
    version = fields.Integer(required=True)
    allocated = number_or_text()
    warning_percent = fields.Integer()
    holder_id = fields.Integer(allow_none=True)


class SupplierIn(Strict):
    name = fields.String(required=True)
    email = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    active = fields.Boolean()


class Supplier(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    active = fields.Boolean()


class OrderLine(Schema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    title = fields.String()
    quantity = fields.Integer()
    unit_price = fields.String()
    expected_on = fields.String(allow_none=True)
    received_quantity = fields.Integer()


class Order(Schema):
    id = fields.Integer()
    supplier = fields.Nested(Supplier, allow_none=True)
    status = fields.String()
    reference = fields.String(allow_none=True)
    created_at = fields.String(metadata={"format": "date-time"})
    sent_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    total = fields.String()
    lines = fields.List(fields.Nested(OrderLine))


class OrderList(Schema):
    items = fields.List(fields.Nested(Order))


class SendIn(Strict):
    reference = fields.String(allow_none=True)


class UnmetArgs(Strict):
    month = fields.String(metadata={"description": "YYYY-MM; default: the current month."})
    pole = fields.String(metadata={"description": "A pole's code; \"none\" for searches outside the poles."})


class UnmetQuery(Schema):
    query = fields.String()
    pole = fields.String()
    searches = fields.Integer()
    zero_results = fields.Integer()
    last_day = fields.String()
    reports = fields.Integer(metadata={"description": "How many times visitors reported the gap."})


class Unmet(Schema):
    month = fields.String()
    items = fields.List(fields.Nested(UnmetQuery))
