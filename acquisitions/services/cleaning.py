"""Field rules of a proposal, shared by the forms and the API: the same
ISBN, ISSN, year and amount rules as records (catalogue.services.validation),
every problem reported at once, by field."""
from __future__ import annotations

import datetime as dt

from acquisitions.vocab import ProposalReason, RecordRelation
from catalogue.identifiers import InvalidIdentifier, normalise_isbn, normalise_issn
from catalogue.services.validation import (
    FieldErrors,
    amount,
    choice,
    choices,
    publication_year,
    text,
)
from catalogue.vocab import Audience, DocumentType
from core.errors import ValidationFailed
from core.i18n import N_
from core.vocab import Pole
from search.stats import normalise

FIELDS = ("title", "authors", "publisher", "year", "edition", "isbn", "issn", "document_type", "pole", "poles",
          "audiences", "reason_code", "reason", "estimated_price", "quantity", "record_id", "record_relation",
          "queries")
LIMITS = {"title": 500, "authors": 500, "publisher": 255, "edition": 100, "reason": 5000}
MAX_QUANTITY = 999


def clean_proposal(data: dict, *, today: dt.date) -> dict:
    """Cleaned fields of a proposal, or ValidationFailed with every problem.
    ``queries`` are observatory queries, kept in the observatory's form."""
    errors = FieldErrors()
    clean = {name: text(data.get(name)) for name in ("title", "authors", "publisher", "edition", "reason")}
    if not clean["title"]:
        errors.add("title", N_("A proposal needs the title of the work."))
    clean["year"] = publication_year(errors, "year", data.get("year"), today)
    for field, normalise_number in (("isbn", normalise_isbn), ("issn", normalise_issn)):
        value = text(data.get(field))
        if value:
            try:
                value = normalise_number(value)
            except InvalidIdentifier as error:
                errors.add(field, error.message)
        clean[field] = value
    clean["document_type"] = choice(errors, "document_type", data.get("document_type") or DocumentType.BOOK.value,
                                    DocumentType, required=True)
    clean["pole"] = choice(errors, "pole", data.get("pole"), Pole, required=False)
    clean["poles"] = choices(errors, "poles", data.get("poles"), Pole)
    clean["audiences"] = choices(errors, "audiences", data.get("audiences"), Audience)
    clean["reason_code"] = choice(errors, "reason_code", data.get("reason_code") or ProposalReason.NEW_DEMAND.value,
                                  ProposalReason, required=True)
    clean["estimated_price"] = amount(errors, "estimated_price", data.get("estimated_price"))
    clean["quantity"] = _quantity(errors, data.get("quantity"))
    clean["record_id"] = _number(errors, "record_id", data.get("record_id"))
    clean["record_relation"] = choice(errors, "record_relation", data.get("record_relation"), RecordRelation,
                                      required=False)
    if clean["record_relation"] is not None and clean["record_id"] is None:
        errors.add("record_id", N_("Name the work this one replaces or completes."))
    if clean["record_id"] is not None and clean["record_relation"] is None:
        clean["record_relation"] = RecordRelation.REPLACES if clean["reason_code"] in (
            ProposalReason.REPLACE_COPY, ProposalReason.NEWER_EDITION) else RecordRelation.COMPLETES
    clean["queries"] = list(dict.fromkeys(q for q in (normalise(str(v)) for v in data.get("queries") or []) if q))
    for field, limit in LIMITS.items():
        if clean.get(field) and len(clean[field]) > limit:
            errors.add(field, N_("This field is too long."))
    if errors:
        raise ValidationFailed(dict(errors))
    return clean


def _quantity(errors: FieldErrors, value) -> int:
    if value in (None, ""):
        return 1
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        errors.add("quantity", N_("The quantity is a whole number of copies, for example 2."))
        return 1
    if not 1 <= quantity <= MAX_QUANTITY:
        errors.add("quantity", N_("The quantity is between 1 and 999 copies."))
    return quantity


def _number(errors: FieldErrors, field: str, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, N_("Give the number of a work of the catalogue."))
        return None
    if not 0 < number < 2 ** 63:
        errors.add(field, N_("Give the number of a work of the catalogue."))
        return None
    return number
