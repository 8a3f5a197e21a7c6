"""Which copies a campaign or a rule covers, as SQL conditions on Item and
Record: a pole, a document type, a shelf (call-number prefix), a location,
a thesaurus concept with its narrower concepts. Only the centre's own
copies still in the collection are ever weeded here."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, select, true
from sqlalchemy.orm import Session

from catalogue.models import Item, Record, RecordDescriptor, RecordPole
from catalogue.vocab import DocumentType, ItemStatus, Library
from core.errors import ValidationFailed
from core.i18n import N_
from core.vocab import Pole
from thesaurus.indexing import descendants
from thesaurus.models import Concept

KEYS = {"pole", "poles", "document_type", "document_types", "shelf", "call_number_prefix", "location",
        "concept_id", "rules", "rule_ids"}


def clean_scope(session: Session, scope) -> dict:
    """The campaign's scope in one shape: {poles, document_types,
    call_number_prefix, location, concept_id}, empty parts left out. Takes
    a single value or a list for poles and document types, and ``shelf`` for
    the call-number prefix; names each bad key."""
    if not isinstance(scope, dict):
        raise ValidationFailed({"scope": [N_("The scope is an object: pole, document type, shelf…")]})
    errors: dict[str, list[str]] = {}
    for key in set(scope) - KEYS:
        errors[f"scope.{key}"] = [N_("Unknown part of a scope: use pole, document_type, shelf, location or "
                                     "concept_id.")]
    clean: dict = {}
    for singular, plural, vocabulary in (("pole", "poles", Pole), ("document_type", "document_types",
                                                                     DocumentType)):
        values = _listed(scope.get(plural)) + _listed(scope.get(singular))
        bad = [v for v in values if v not in vocabulary.values()]
        if bad:
            errors[f"scope.{plural if plural in scope else singular}"] = [
                N_("Choose among the listed values.")]
        elif values:
            clean[plural] = sorted(set(values))
    shelf = scope.get("shelf", scope.get("call_number_prefix"))
    if shelf not in (None, ""):
        if not isinstance(shelf, str) or len(shelf) > 100:
            errors["scope.shelf"] = [N_("Give the beginning of a call number, for example PAR 1.")]
        else:
            clean["call_number_prefix"] = shelf.strip()
    location = scope.get("location")
    if location not in (None, ""):
        if not isinstance(location, str) or len(location) > 255:
            errors["scope.location"] = [N_("Give a location as the copies name it.")]
        else:
            clean["location"] = location.strip()
    concept = scope.get("concept_id")
    if concept not in (None, ""):
        number = concept if isinstance(concept, int) and not isinstance(concept, bool) else None
        if number is None or not 0 < number < 2 ** 63 or session.get(Concept, number) is None:
            errors["scope.concept_id"] = [N_("There is no such concept in the thesaurus.")]
        else:
            clean["concept_id"] = number
    if errors:
        raise ValidationFailed(errors)
    return clean


def weedable() -> ColumnElement:
    """The centre's copies still in the collection."""
    return and_(Item.library == Library.CITE, Item.status != ItemStatus.WITHDRAWN)


def conditions(session: Session, *, poles=(), document_types=(), call_number_prefix=None, location=None,
               concept_id=None) -> ColumnElement:
    """One scope as a condition on Item joined to Record (true when nothing narrows it)."""
    parts = []
    if poles:
        parts.append(exists(select(RecordPole.record_id).where(RecordPole.record_id == Record.id,
                                                               RecordPole.pole.in_(list(poles)))))
    if document_types:
        parts.append(Record.document_type.in_(list(document_types)))
    if call_number_prefix:
        escaped = call_number_prefix.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        parts.append(func.upper(func.coalesce(Item.call_number, Record.call_number)).like(f"{escaped}%",
                                                                                             escape="\\"))
    if location:
        parts.append(Item.location == location)
    if concept_id:
        ids = sorted({concept_id} | descendants(session, [concept_id]))
        parts.append(exists(select(RecordDescriptor.record_id).where(RecordDescriptor.record_id == Record.id,
                                                                     RecordDescriptor.concept_id.in_(ids))))
    return and_(*parts) if parts else true()


def of_rule(session: Session, rule) -> ColumnElement:
    return conditions(session, poles=[rule.pole] if rule.pole else (),
                      document_types=[rule.document_type] if rule.document_type else (),
                      call_number_prefix=rule.call_number_prefix, concept_id=rule.concept_id)


def _listed(value) -> list[str]:
    if value in (None, ""):
        return []
    values = value if isinstance(value, list) else [value]
    return [v if isinstance(v, str) else repr(v) for v in values]
