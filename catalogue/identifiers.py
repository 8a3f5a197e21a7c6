"""Standard numbers: validation and normalisation with python-stdnum.

ISBNs are stored as 13 digits, so an ISBN-10 and its ISBN-13 are the same
book; ISSNs as NNNN-NNNC.
"""
from __future__ import annotations

from stdnum import isbn as _isbn
from stdnum import issn as _issn
from stdnum.exceptions import ValidationError

from core.i18n import N_


class InvalidIdentifier(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_isbn(value: str) -> str:
    """Return the ISBN-13 (digits only) for an ISBN-10 or ISBN-13 in any layout.

    Raises InvalidIdentifier with a translatable message.
    """
    try:
        number = _isbn.validate(value)
    except ValidationError as error:
        raise InvalidIdentifier(_isbn_message(error)) from None
    if len(number) == 10:
        number = _isbn.to_isbn13(number)
    return _isbn.compact(number)


def _isbn_message(error: ValidationError) -> str:
    name = type(error).__name__
    if name == "InvalidChecksum":
        return N_("This ISBN's check digit is wrong: check the number for a typing error.")
    if name == "InvalidLength":
        return N_("An ISBN has 10 or 13 digits.")
    return N_("This is not a valid ISBN.")


def normalise_issn(value: str) -> str:
    try:
        return _issn.format(_issn.validate(value))
    except ValidationError as error:
        if type(error).__name__ == "InvalidChecksum":
            raise InvalidIdentifier(N_("This ISSN's check digit is wrong: check the number for a typing error.")) from None
        raise InvalidIdentifier(N_("An ISSN has 8 characters, for example 1234-5679.")) from None


def format_isbn(value: str | None) -> str | None:
    """Hyphenated form for display."""
    return _isbn.format(value) if value else None
