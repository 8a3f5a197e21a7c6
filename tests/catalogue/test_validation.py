"""Cataloguing rules as pure functions: identifiers and field checks."""
from __future__ import annotations

import datetime as dt

import pytest

from catalogue.identifiers import InvalidIdentifier, format_isbn, normalise_isbn, normalise_issn
from catalogue.services.validation import clean_item, clean_record
from core.errors import ValidationFailed

TODAY = dt.date(2026, 11, 21)


@pytest.mark.parametrize("raw", ["2070360245", "2-07-036024-5", "978-2-07-036024-6", "9782070360246",
                                 " ISBN 978 2 07 036024 6 "])
def test_isbn_10_and_13_are_the_same_book(raw):
    assert normalise_isbn(raw.replace("ISBN", "").strip()) == "9782070360246"


def test_isbn_with_an_x_check_digit():
    assert normalise_isbn("0-8044-2957-X") == "9780804429573"


@pytest.mark.parametrize("raw", ["2070360249", "97820703602", "abc", "978-2-07-036024-7"])
def test_invalid_isbns_are_rejected(raw):
    with pytest.raises(InvalidIdentifier):
        normalise_isbn(raw)


def test_issn_normalised_and_checked():
    assert normalise_issn("03178471") == "0317-8471"
    with pytest.raises(InvalidIdentifier):
        normalise_issn("0317-8472")


def test_format_isbn_hyphenates():
    assert format_isbn("9782070360246") == "978-2-07-036024-6"
    assert format_isbn(None) is None


def _fields(excinfo) -> dict:
    return excinfo.value.fields


def test_record_collects_every_problem_at_once():
    with pytest.raises(ValidationFailed) as excinfo:
        clean_record({"title": " ", "year": 2027, "isbn": "2070360249", "issn": "1234",
                      "url": "ftp://x", "poles": ["nowhere"], "languages": ["fr"],
                      "contributors": [{"name": "", "role": "ill"}]}, today=TODAY)
    assert set(_fields(excinfo)) == {"title", "year", "isbn", "issn", "url", "poles", "languages",
                                     "contributors.0.name"}


def test_record_year_bounds():
    assert clean_record({"title": "T", "year": "2026"}, today=TODAY)["year"] == 2026
    for year in ("1200", "deux mille"):
        with pytest.raises(ValidationFailed):
            clean_record({"title": "T", "year": year}, today=TODAY)


def test_subscription_fields_belong_to_periodicals():
    with pytest.raises(ValidationFailed) as excinfo:
        clean_record({"title": "T", "document_type": "book", "holdings_statement": "2019-"}, today=TODAY)
    assert "holdings_statement" in _fields(excinfo)
    clean = clean_record({"title": "T", "document_type": "periodical", "issn": "0317-8471",
                          "subscription_status": "active", "holdings_statement": "2019-"}, today=TODAY)
    assert clean["subscription_status"].value == "active"


def test_website_needs_its_address():
    with pytest.raises(ValidationFailed) as excinfo:
        clean_record({"title": "Le site", "document_type": "website"}, today=TODAY)
    assert "url" in _fields(excinfo)


def test_blank_contributor_rows_are_ignored_and_duplicates_removed():
    clean = clean_record({"title": "T", "contributors": [{"name": " ", "role": "aut"}, {"name": "A", "role": "edt"}],
                          "poles": ["job_search", "job_search"], "languages": ["FRE", "fre", ""]}, today=TODAY)
    assert [(c["name"], c["role"].value) for c in clean["contributors"]] == [("A", "edt")]
    assert [p.value for p in clean["poles"]] == ["job_search"]
    assert clean["languages"] == ["fre"]


def test_item_rules():
    with pytest.raises(ValidationFailed) as excinfo:
        clean_item({"barcode": "has space", "acquired_on": "2030-01-01", "price": "-3", "status": "lost"},
                   today=TODAY)
    assert set(_fields(excinfo)) == {"barcode", "acquired_on", "price", "status"}
    clean = clean_item({"barcode": " CM1 ", "price": "12,5", "acquired_on": "2024-02-29"}, today=TODAY)
    assert clean["barcode"] == "CM1" and str(clean["price"]) == "12.50"
    assert clean["status"].value == "available" and clean["library"].value == "cite"


def test_the_record_service_keeps_the_match_key_current(db):
    from catalogue.services import RecordService
    from catalogue.services.snapshots import record_fields
    from tests.support.factories import make_record

    record = make_record(db, title="Le CV qui fait mouche", year=2021,
                         contributors=[{"name": "Durand, Élise", "role": "aut"}])
    assert record.match_key == "cv qui fait mouche|durand|2021"
    with db.transaction() as session:
        data = record_fields(RecordService(session).get(record.id))
        data["year"] = 2024
        updated = RecordService(session).update(record.id, data, expected_version=record.version)
        assert updated.match_key == "cv qui fait mouche|durand|2024"


def test_amounts_are_rounded_half_up_to_the_cent_before_their_limit_is_checked():
    from decimal import Decimal

    from catalogue.services.validation import FieldErrors, amount

    errors = FieldErrors()
    assert [amount(errors, "price", value) for value in ("12.345", "0,125", 19.9, "7")] == [
        Decimal("12.35"), Decimal("0.13"), Decimal("19.90"), Decimal("7.00")]
    assert errors == {}
    assert amount(errors, "price", "99999999.999") == Decimal("100000000.00")
    assert errors == {"price": ["The price is too large."]}  # it would not fit the column
