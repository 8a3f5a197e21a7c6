"""Field-level rules for records and items, shared by forms, the API and imports.

Each ``clean_*`` function returns cleaned data or raises ValidationFailed with
every problem found, keyed by field name (``contributors.1.name`` for rows).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlparse

from catalogue.identifiers import InvalidIdentifier, normalise_isbn, normalise_issn
from catalogue.services.snapshots import ITEM_FIELDS, RECORD_FIELDS
from catalogue.vocab import (
    ONLINE_TYPES,
    Audience,
    Condition,
    ContributorRole,
    DocumentType,
    ItemStatus,
    Library,
    SubscriptionStatus,
)
from core.errors import ValidationFailed
from core.i18n import N_
from core.vocab import Pole

EARLIEST_YEAR = 1450
CENT = Decimal("0.01")
LANGUAGE_CODE = re.compile(r"^[a-z]{3}$")
BARCODE = re.compile(r"^[A-Za-z0-9._\-/]{1,64}$")
LIMITS = {"title": 500, "subtitle": 500, "responsibility": 500, "publisher": 255, "place": 255,
          "edition": 255, "series": 255, "url": 2000, "call_number": 100, "frequency": 100,
          "location": 255}


class FieldErrors(dict):
    """Messages by field, as ValidationFailed wants them."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def text(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def choice(errors: FieldErrors, field: str, value, vocabulary, *, required: bool):
    if value in (None, ""):
        if required:
            errors.add(field, N_("Choose a value."))
        return None
    try:
        return vocabulary(value)
    except ValueError:
        errors.add(field, N_("This value is not one of the allowed choices."))
        return None


def choices(errors: FieldErrors, field: str, values, vocabulary) -> list:
    result = []
    for value in values or []:
        try:
            member = vocabulary(value)
        except ValueError:
            errors.add(field, N_("This value is not one of the allowed choices."))
            continue
        if member not in result:
            result.append(member)
    return result


def _lengths(errors: FieldErrors, data: dict) -> None:
    for field, limit in LIMITS.items():
        if data.get(field) and len(data[field]) > limit:
            errors.add(field, N_("This field is too long."))


def publication_year(errors: FieldErrors, field: str, value, today: dt.date) -> int | None:
    """A year a work may have been published in, or None when not given."""
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors.add(field, N_("The year must be a number, for example 2024."))
        return None
    if year > today.year:
        errors.add(field, N_("The year cannot be in the future."))
    elif year < EARLIEST_YEAR:
        errors.add(field, N_("The year is too early to be a publication year."))
    return year


def amount(errors: FieldErrors, field: str, value) -> Decimal | None:
    """An amount in euros, to the cent ("19,90" or 19.9), or None when not given."""
    if value in (None, ""):
        return None
    try:
        money = Decimal(str(value).replace(",", ".").strip())
        if not money.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors.add(field, N_("The price must be an amount, for example 19.90."))
        return None
    try:
        money = money.quantize(CENT, rounding=ROUND_HALF_UP)  # before the limit: 99999999.999 is too large
    except InvalidOperation:  # more digits than the decimal context holds (1e64): too large, or negative
        pass
    if money < 0:
        errors.add(field, N_("The price cannot be negative."))
    elif money >= Decimal("100000000"):
        errors.add(field, N_("The price is too large."))
    return money


def clean_record(data: dict, *, today: dt.date, check_descriptors=None) -> dict:
    """``descriptors`` (concept ids) is cleaned only when given: absent, the
    record keeps its own. ``check_descriptors(ids) -> [message]`` adds the
    checks that need the database (the records service passes it)."""
    errors = FieldErrors()
    clean = {name: text(data.get(name)) for name in RECORD_FIELDS
             if name not in ("year", "languages", "document_type", "subscription_status")}

    if not clean["title"]:
        errors.add("title", N_("A work needs a title."))

    clean["year"] = publication_year(errors, "year", data.get("year"), today)

    for field, normalise in (("isbn", normalise_isbn), ("issn", normalise_issn)):
        if clean[field]:
            try:
                clean[field] = normalise(clean[field])
            except InvalidIdentifier as error:
                errors.add(field, error.message)

    languages = []
    for code in data.get("languages") or []:
        code = str(code).strip().lower()
        if not code:
            continue
        if not LANGUAGE_CODE.match(code):
            errors.add("languages", N_("Languages are three-letter codes, for example fre or eng."))
        elif code not in languages:
            languages.append(code)
    clean["languages"] = languages

    doc_type = choice(errors, "document_type", data.get("document_type") or DocumentType.BOOK.value,
                       DocumentType, required=True)
    clean["document_type"] = doc_type
    clean["subscription_status"] = choice(errors, "subscription_status", data.get("subscription_status"),
                                           SubscriptionStatus, required=False)
    if doc_type is not None and doc_type is not DocumentType.PERIODICAL:
        for field in ("frequency", "subscription_status", "holdings_statement"):
            if clean[field]:
                errors.add(field, N_("Only periodicals have a subscription and a holdings statement."))

    if clean["url"]:
        parsed = urlparse(clean["url"])
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors.add("url", N_("Give a full web address starting with http:// or https://."))
    elif doc_type is not None and doc_type.value in ONLINE_TYPES:
        errors.add("url", N_("A website needs its address."))

    clean["audiences"] = choices(errors, "audiences", data.get("audiences"), Audience)
    clean["poles"] = choices(errors, "poles", data.get("poles"), Pole)

    contributors = []
    for index, row in enumerate(data.get("contributors") or []):
        name = text(row.get("name"))
        role = row.get("role") or ContributorRole.AUTHOR.value
        if not name:
            if text(row.get("role")) and row.get("role") != ContributorRole.AUTHOR.value:
                errors.add(f"contributors.{index}.name", N_("Give the contributor's name."))
            continue
        if len(name) > 255:
            errors.add(f"contributors.{index}.name", N_("This field is too long."))
        member = choice(errors, f"contributors.{index}.role", role, ContributorRole, required=True)
        contributors.append({"name": name, "role": member})
    clean["contributors"] = contributors

    if data.get("descriptors") is not None:
        clean["descriptors"] = _concept_ids(errors, data["descriptors"])
        if check_descriptors is not None and "descriptors" not in errors:
            for message in check_descriptors(clean["descriptors"]):
                errors.add("descriptors", message)

    _lengths(errors, clean)
    if errors:
        raise ValidationFailed(dict(errors))
    return clean


def _concept_ids(errors: FieldErrors, values) -> list[int]:
    ids = []
    for value in values if isinstance(values, (list, tuple)) else [values]:
        if isinstance(value, bool):
            value = None
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors.add("descriptors", N_("Descriptors are concept numbers."))
            continue
        if number not in ids:
            ids.append(number)
    return ids


def clean_item(data: dict, *, today: dt.date) -> dict:
    errors = FieldErrors()
    clean = {name: text(data.get(name)) for name in ITEM_FIELDS}

    if not clean["barcode"]:
        errors.add("barcode", N_("An item needs a barcode."))
    elif not BARCODE.match(clean["barcode"]):
        errors.add("barcode", N_("A barcode has at most 64 letters, digits, dots, dashes or slashes, without spaces."))

    clean["library"] = choice(errors, "library", clean["library"] or Library.CITE.value, Library, required=True)
    clean["status"] = choice(errors, "status", clean["status"] or ItemStatus.AVAILABLE.value, ItemStatus, required=True)
    clean["condition"] = choice(errors, "condition", clean["condition"], Condition, required=False)

    acquired = data.get("acquired_on")
    if isinstance(acquired, str) and acquired.strip():
        try:
            acquired = dt.date.fromisoformat(acquired.strip())
        except ValueError:
            errors.add("acquired_on", N_("Give the date as YYYY-MM-DD."))
            acquired = None
    elif not isinstance(acquired, dt.date):
        acquired = None
    if acquired and acquired > today:
        errors.add("acquired_on", N_("The acquisition date cannot be in the future."))
    clean["acquired_on"] = acquired

    clean["price"] = amount(errors, "price", data.get("price"))

    _lengths(errors, clean)
    if errors:
        raise ValidationFailed(dict(errors))
    return clean
