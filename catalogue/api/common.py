from __future__ import annotations

import math

from flask_smorest import Blueprint

from ..web.auth import api_user, require_api
from ..web.transaction import db_session
from . import schemas

ERRORS = {
    400: "Malformed request.",
    401: "Missing or invalid API token.",
    403: "The token's role does not allow this.",
    404: "No such resource.",
    409: "Conflict: duplicate barcode, or stored version differs from the one sent.",
    422: "Invalid fields.",
}


def blueprint(name: str, description: str) -> Blueprint:
    return Blueprint(name, __name__, description=description)


def documented(blp: Blueprint, *statuses: int):
    """Declare the error responses of an operation in the OpenAPI document."""
    def decorator(view):
        for status in statuses:
            view = blp.alt_response(status, schema=schemas.ApiError, description=ERRORS[status])(view)
        return view
    return decorator


def page(items: list, total: int, args: dict) -> dict:
    return {"items": items, "total": total, "page": args["page"], "size": args["size"],
            "pages": math.ceil(total / args["size"]) if total else 0}


__all__ = ["api_user", "blueprint", "db_session", "documented", "page", "require_api"]
