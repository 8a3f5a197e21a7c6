"""Marshmallow schemas of the weeding API. They check JSON types; the rules
(scopes, the five verdicts, versions, poles) are the services', with the
same error shape."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from catalogue.vocab import Condition, Disposal, DocumentType
from core.vocab import Pole
from core.web.api import PageArgs, Strict, page_of
from weeding.vocab import CampaignStatus, Verdict

STATES = ("all", "pending", "decided", "excluded", "kept_by_vote")


def _codes(vocabulary, **kwargs):
    return fields.String(validate=validate.OneOf(vocabulary.values()), **kwargs)


# What weeding.services.scope.clean_scope takes (it names each bad part),
# for the document: a code or a list of codes, text, a concept id; null is none.
_CODES = {"anyOf": [{"type": "string", "nullable": True}, {"type": "array", "items": {"type": "string"}}]}
_TEXT = {"type": "string", "nullable": True}
SCOPE = {"additionalProperties": False, "properties": {
    "pole": _CODES, "poles": _CODES, "document_type": _CODES, "document_types": _CODES, "shelf": _TEXT,
    "call_number_prefix": _TEXT, "location": _TEXT, "concept_id": {"type": "integer", "nullable": True}}}


class CampaignIn(Strict):
    name = fields.String(required=True)
    scope = fields.Dict(load_default=dict, metadata={
        "description": "pole or poles, document_type or document_types, shelf (a call-number prefix), "
                       "location, concept_id (with its narrower concepts).", **SCOPE})
    rules = fields.List(fields.Integer(), metadata={"description": "Rule ids (default: every active rule)."})


class CampaignListArgs(Strict):
    status = _codes(CampaignStatus)


class Campaign(Schema):
    id = fields.Integer()
    name = fields.String()
    status = fields.String()
    scope = fields.Dict()
    rules = fields.List(fields.Integer())
    poles = fields.List(fields.String())
    candidates = fields.Integer(metadata={"description": "How many candidates (excluded ones left out)."})
    excluded = fields.Integer()
    decided = fields.Dict(metadata={"description": "Decision -> candidates."})
    created_at = fields.String()
    created_by = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    version = fields.Integer()
    progress = fields.List(fields.Dict(), metadata={
        "description": "Per pole: candidates, reviewed, reviewers [{username, display_name, voted}], missing."})
    report = fields.Dict(metadata={"description": "Once closed: decisions by pole and by reason, age profiles."})


class CandidateArgs(PageArgs):
    state = fields.String(load_default="all", validate=validate.OneOf(STATES))
    pole = _codes(Pole)


class Candidate(Schema):
    item_id = fields.Integer()
    record_id = fields.Integer()
    barcode = fields.String()
    title = fields.String()
    year = fields.Integer(allow_none=True)
    call_number = fields.String(allow_none=True)
    source = fields.String()
    rule_id = fields.Integer(allow_none=True)
    reasons = fields.List(fields.Dict(), metadata={"description": "Each {code, ...figures}."})
    explanation = fields.String(metadata={"description": "The reasons in words, in the request's language."})
    votes = fields.List(fields.Dict())
    decision = fields.String(allow_none=True)
    disposal = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "The username of who decided."})
    decided_at = fields.String(allow_none=True, metadata={"description": "ISO 8601, UTC."})
    decision_comment = fields.String(allow_none=True)
    proposal_id = fields.Integer(allow_none=True)
    excluded = fields.Boolean()
    exclusion_reason = fields.String(allow_none=True)
    version = fields.Integer()


CandidatePage = page_of(Candidate)


class AddIn(Strict):
    item_id = fields.Integer(required=True)
    comment = fields.String(allow_none=True)


class ExcludeIn(Strict):
    item_id = fields.Integer(required=True)
    reason = fields.String(required=True)
    version = fields.Integer(allow_none=True)


class IncludeIn(Strict):
    item_id = fields.Integer(required=True)


class VoteIn(Strict):
    item_id = fields.Integer(required=True)
    vote = _codes(Verdict, required=True)
    flags = fields.List(fields.String(), metadata={"description": "mustie:… or ioupi:… checklist flags."})
    comment = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True, metadata={"description": "Your vote's version, when changing it."})


class VoteOut(Schema):
    item_id = fields.Integer()
    vote = fields.String()
    flags = fields.List(fields.String())
    comment = fields.String(allow_none=True)
    pole = fields.String(allow_none=True)
    user = fields.String()
    version = fields.Integer()
    changed = fields.Boolean()
    candidate_version = fields.Integer()


class DecisionIn(Strict):
    item_id = fields.Integer(required=True)
    decision = _codes(Verdict, required=True)
    disposal = _codes(Disposal, allow_none=True)
    comment = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True, metadata={"description": "The candidate's version read."})


class DecisionOut(Schema):
    item_id = fields.Integer()
    decision = fields.String()
    disposal = fields.String(allow_none=True)
    proposal_id = fields.Integer(allow_none=True, metadata={"description": "replace: the proposal created."})
    changed = fields.Boolean(metadata={"description": "False when this decision had already been made."})
    version = fields.Integer()
    item_status = fields.String()


class BulkIn(Strict):
    decision = _codes(Verdict, required=True)
    item_ids = fields.List(fields.Integer(), metadata={"description": "Default: every pending candidate."})
    disposal = _codes(Disposal, allow_none=True)
    comment = fields.String(allow_none=True)


class BulkOut(Schema):
    decided = fields.List(fields.Integer())
    unchanged = fields.List(fields.Integer())
    kept_by_vote = fields.List(fields.Integer(), metadata={
        "description": "Skipped: a counsellor voted to keep them. Decide them one by one."})
    refused = fields.List(fields.Dict())


class CloseIn(Strict):
    version = fields.Integer(allow_none=True)


class RuleFields(Strict):
    name = fields.String()
    position = fields.Integer()
    active = fields.Boolean()
    justification = fields.String(allow_none=True)
    document_type = _codes(DocumentType, allow_none=True)
    pole = _codes(Pole, allow_none=True)
    call_number_prefix = fields.String(allow_none=True)
    concept_id = fields.Integer(allow_none=True)
    max_age_years = fields.Integer(allow_none=True)
    max_unused_years = fields.Integer(allow_none=True)
    low_use_min = fields.Integer(allow_none=True)
    low_use_years = fields.Integer(allow_none=True)
    superseded = fields.Boolean()
    periodical_keep_years = fields.Integer(allow_none=True)
    conditions = fields.List(_codes(Condition))


class RuleIn(RuleFields):
    name = fields.String(required=True)  # as the service requires of a new rule


class RuleUpdate(RuleFields):
    version = fields.Integer(required=True)


class Rule(Schema):
    id = fields.Integer()
    version = fields.Integer()
    name = fields.String()
    position = fields.Integer()
    active = fields.Boolean()
    justification = fields.String(allow_none=True)
    document_type = fields.String(allow_none=True)
    pole = fields.String(allow_none=True)
    call_number_prefix = fields.String(allow_none=True)
    concept_id = fields.Integer(allow_none=True)
    max_age_years = fields.Integer(allow_none=True)
    max_unused_years = fields.Integer(allow_none=True)
    low_use_min = fields.Integer(allow_none=True)
    low_use_years = fields.Integer(allow_none=True)
    superseded = fields.Boolean()
    periodical_keep_years = fields.Integer(allow_none=True)
    conditions = fields.List(fields.String())


class RuleListArgs(Strict):
    active = fields.Boolean()
