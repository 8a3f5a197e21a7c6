from __future__ import annotations

import math

from flask import request
from flask_babel import gettext
from flask_login import current_user

from ..db import utcnow
from ..errors import ValidationFailed
from ..forms import attach_errors
from ..services.snapshots import RECORD_FIELDS, _plain, diff
from ..services.validation import clean_item, clean_record
from ..web.transaction import db_session


def page_args(default_size: int = 25) -> tuple[int, int]:
    try:
        page = max(1, int(request.args.get("page", 1)))
        size = min(100, max(1, int(request.args.get("size", default_size))))
    except ValueError:
        page, size = 1, default_size
    return page, size


def pagination(total: int, page: int, size: int) -> dict:
    return {"total": total, "page": page, "size": size, "pages": max(1, math.ceil(total / size))}


def show_errors(form, error) -> list[str]:
    """Attach a ValidationFailed's field errors to the form; return the rest."""
    return attach_errors(form, error.fields, gettext)


def conflict_rows(current_fields: dict, submitted: dict) -> list[tuple[str, object, object]]:
    """Fields where the stored version and the editor's differ.

    The editor's raw form values are cleaned as saving would clean them, so
    that "" and None, "2023" and 2023 or blank contributor rows are not shown
    as differences.
    """
    return [(name, values[0], values[1])
            for name, values in diff(current_fields, _comparable(current_fields, submitted)).items()]


def _comparable(current_fields: dict, submitted: dict) -> dict:
    clean = clean_record if set(RECORD_FIELDS) <= set(current_fields) else clean_item
    try:
        cleaned = clean(submitted, today=utcnow().date())
    except ValidationFailed:
        return submitted
    plain = {name: _plain_all(cleaned[name]) for name in submitted if name in cleaned}
    for name in ("audiences", "poles"):  # stored sorted, as record_fields gives them
        if name in plain:
            plain[name] = sorted(plain[name])
    return plain


def _plain_all(value):
    if isinstance(value, (list, tuple)):
        return [_plain_all(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_all(v) for k, v in value.items()}
    return _plain(value)


def services(cls):
    return cls(db_session(), current_user._get_current_object())
