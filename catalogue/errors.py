"""Errors of the bibliographic domain (the base ones are in ``core.errors``)."""
from __future__ import annotations

from core.errors import Conflict


class DuplicateBarcode(Conflict):
    code = "duplicate_barcode"
