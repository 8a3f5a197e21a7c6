"""Marshmallow schemas of the concept API. They check JSON types; the
thesaurus rules (French label required, no cycle, no clash...) are the
services' and answer with the same error shape."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.web.api import PageArgs, Strict, page_of
from thesaurus.vocab import ConceptStatus, LabelKind, NoteKind


class LabelIn(Strict):
    language = fields.String(load_default="fr", metadata={"description": "BCP 47 tag; \"\" for none."})
    text = fields.String(required=True)


class NoteIn(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(NoteKind.values()))
    language = fields.String(load_default="fr")
    text = fields.String(required=True)


class ConceptFields(Strict):
    # No defaults: on PATCH a key left out is a value left alone.
    pref_labels = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "Language -> preferred label; French required.",
        "example": {"fr": "Emploi", "en": "Employment"}})
    alt_labels = fields.List(fields.Nested(LabelIn), metadata={"description": "Entry terms (all of them)."})
    hidden_labels = fields.List(fields.Nested(LabelIn), metadata={"description": "Hidden labels: misspellings."})
    notes = fields.List(fields.Nested(NoteIn), metadata={"description": "All the notes (a list replaces)."})
    notation = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf([ConceptStatus.CANDIDATE.value, ConceptStatus.APPROVED.value]))
    broader = fields.List(fields.Integer(), metadata={"description": "Ids of the broader concepts."})
    related = fields.List(fields.Integer(), metadata={"description": "Ids of the related concepts."})
    top_concept = fields.Boolean(allow_none=True)


class ConceptIn(ConceptFields):
    pref_labels = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "Language -> preferred label; French required."})
    uri = fields.String(metadata={"description": "Default: minted from CATALOGUE_THESAURUS_BASE_URI."})
    scheme_id = fields.Integer(metadata={"description": "Default: the first concept scheme."})


class ConceptPatch(ConceptFields):
    version = fields.Integer(required=True, metadata={
        "description": "The version you read. A different stored version answers 409."})


class VersionOnly(Strict):
    version = fields.Integer(metadata={"description": "If given, act only if the concept is still at this version."})


class LabelAdd(VersionOnly):
    kind = fields.String(load_default=LabelKind.ALT.value, validate=validate.OneOf(LabelKind.values()),
                         metadata={"description": "alt (entry term, the default), hidden or pref."})
    language = fields.String(load_default="fr")
    text = fields.String(required=True)


class MoveIn(VersionOnly):
    broader = fields.List(fields.Integer(), required=True, metadata={
        "description": "All the broader concepts the concept will have; [] makes it a top concept."})


class MergeIn(VersionOnly):
    into = fields.Integer(required=True, metadata={"description": "The surviving concept."})


class DeprecateIn(VersionOnly):
    replaced_by = fields.Integer(allow_none=True, metadata={"description": "The concept to use instead."})


class ConceptListArgs(PageArgs):
    q = fields.String(metadata={"description": "Start of a label (accents and case ignored), or a URI."})
    status = fields.String(validate=validate.OneOf(ConceptStatus.values()))


class AutocompleteArgs(Strict):
    q = fields.String(required=True)
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
    include_deprecated = fields.Boolean(load_default=False)


class ConceptRef(Schema):
    id = fields.Integer()
    uri = fields.String()
    label = fields.String(metadata={"description": "French preferred label."})


class Label(Schema):
    id = fields.Integer()
    language = fields.String()
    text = fields.String()


class Note(Schema):
    id = fields.Integer()
    kind = fields.String()
    language = fields.String()
    text = fields.String()


class Concept(Schema):
    id = fields.Integer()
    uri = fields.String()
    version = fields.Integer()
    notation = fields.String(allow_none=True)
    status = fields.String()
    top_concept = fields.Boolean()
    scheme_id = fields.Integer(allow_none=True)
    pref_labels = fields.Dict(keys=fields.String(), values=fields.String())
    alt_labels = fields.List(fields.Nested(Label))
    hidden_labels = fields.List(fields.Nested(Label))
    notes = fields.List(fields.Nested(Note))
    broader = fields.List(fields.Nested(ConceptRef))
    narrower = fields.List(fields.Nested(ConceptRef))
    related = fields.List(fields.Nested(ConceptRef))
    replaced_by = fields.Nested(ConceptRef, allow_none=True)
    collections = fields.List(fields.Nested(ConceptRef))
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})


class ConceptSummary(Schema):
    id = fields.Integer()
    uri = fields.String()
    label = fields.String()
    label_en = fields.String(allow_none=True)
    notation = fields.String(allow_none=True)
    status = fields.String()
    version = fields.Integer()


ConceptPage = page_of(ConceptSummary)


class Match(Schema):
    id = fields.Integer()
    uri = fields.String()
    label = fields.String(metadata={"description": "The label that matched."})
    kind = fields.String(metadata={"description": "pref, alt (an entry term: it leads to pref_label) or hidden."})
    language = fields.String()
    pref_label = fields.String(metadata={"description": "The concept's French preferred label."})
    status = fields.String()
    display = fields.String(metadata={"description": "\"VAE → Validation des acquis de l'expérience\"."})


class Matches(Schema):
    items = fields.List(fields.Nested(Match))


class FindingMessage(Schema):
    fr = fields.String()
    en = fields.String()


class Finding(Schema):
    code = fields.String(metadata={"description": "Stable code, e.g. hierarchy_cycle."})
    severity = fields.String(metadata={"description": "error or warning."})
    concepts = fields.List(fields.String(), metadata={"description": "URIs involved."})
    message = fields.Nested(FindingMessage)


class CheckReport(Schema):
    errors = fields.Integer()
    warnings = fields.Integer()
    findings = fields.List(fields.Nested(Finding))
