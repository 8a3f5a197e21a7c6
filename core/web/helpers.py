from __future__ import annotations

import math

from flask import request
from flask_babel import gettext
from flask_login import current_user

from core.audit import diff
from core.web.forms import attach_errors
from core.web.numbers import MAX_PAGE
from core.web.transaction import db_session


def page_args(default_size: int = 25) -> tuple[int, int]:
    try:
        page = min(MAX_PAGE, max(1, int(request.args.get("page", 1))))
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
    """Fields where the stored version and the editor's differ."""
    return [(name, values[0], values[1]) for name, values in diff(current_fields, submitted).items()]


def services(cls):
    return cls(db_session(), current_user._get_current_object())
