"""Errors at the web edge.

The API answers every error with one JSON shape, documented in the README
and pinned by ``tests/core/test_error_shape.py``::

    {"error": {"status": 422, "code": "validation_failed",
               "message": "Some fields are invalid.",
               "fields": {"isbn": ["This ISBN's check digit is wrong..."]}}}

``fields`` appears on validation errors and duplicate barcodes; a version
conflict adds ``current`` (what is stored) and ``submitted`` (what was sent);
a thesaurus rule violation adds ``findings`` (code, severity, concepts and
the message in French and English).
HTML pages get a rendered error page instead.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

from core import errors
from core.i18n import N_, render

log = logging.getLogger(__name__)

# By kind of error, the first that matches: each domain's errors subclass these.
STATUS = {
    errors.NotFound: 404,
    errors.ValidationFailed: 422,
    errors.RuleViolation: 422,
    errors.Conflict: 409,
    errors.PermissionDenied: 403,
    errors.TooManyAttempts: 429,
    errors.CatalogueError: 400,  # any other domain error: the request cannot be carried out
}

HTTP_MESSAGES = {
    400: ("bad_request", N_("The request could not be understood.")),
    401: ("unauthorized", N_("Authentication is required: send an API token as 'Authorization: Bearer <token>'.")),
    403: ("forbidden", N_("Your role does not allow this action.")),
    404: ("not_found", N_("Nothing was found at this address.")),
    405: ("method_not_allowed", N_("This method is not allowed here.")),
    409: ("conflict", N_("This change conflicts with the current state.")),
    413: ("too_large", N_("The request is too large.")),
    414: ("uri_too_long", N_("The address is too long: shorten the search or send fewer filters.")),
    415: ("unsupported_media_type", N_("Send JSON with 'Content-Type: application/json'.")),
    422: ("validation_failed", N_("Some fields are invalid.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def translate(message: str, params: dict | None = None) -> str:
    return render(message, params, gettext)


def translate_fields(fields: dict) -> dict:
    return {name: [translate(m) for m in messages] for name, messages in fields.items()}


def error_body(status: int, code: str, message: str, **extra) -> dict:
    body = {"status": status, "code": code, "message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return {"error": body}


def domain_error_response(error: errors.CatalogueError):
    status = next(code for cls, code in STATUS.items() if isinstance(error, cls))
    extra = error.details()
    if extra.get("fields"):
        extra["fields"] = translate_fields(extra["fields"])
    message = translate(error.message, error.params)
    if wants_json():
        return jsonify(error_body(status, error.code, message, **extra)), status
    return render_template("error.html", status=status, message=message), status


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error dict into dotted field names."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            # marshmallow's "_schema" is the value as a whole: name it by its path.
            name = prefix if key == "_schema" and prefix else f"{prefix}.{key}" if prefix else str(key)
            for field, found in _flatten(value, name).items():
                flat.setdefault(field, []).extend(found)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            for field, found in _flatten(value, f"{prefix}.{index}").items():
                flat.setdefault(field, []).extend(found)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def http_error_response(error: HTTPException):
    status = error.code or 500
    code, message = HTTP_MESSAGES.get(status, ("error", error.name))
    message = gettext(message)
    if wants_json():
        extra = {}
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:  # webargs/marshmallow validation
            messages = data["messages"]
            # webargs nests by location ("json", "query"); the location is noise here.
            if isinstance(messages, dict) and len(messages) == 1 and next(iter(messages)) in (
                    "json", "query", "form", "headers", "files"):
                messages = next(iter(messages.values()))
            extra["fields"] = _flatten(messages)
        response = jsonify(error_body(status, code, message, **extra))
        response.status_code = status
        if status == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)  # as HTTP requires of a 405
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="catalogue"'
        return response
    headers = {"Allow": ", ".join(error.valid_methods)} if status == 405 and getattr(error, "valid_methods", None) else {}
    return render_template("error.html", status=status, message=message), status, headers


def too_deep_response(_error: RecursionError):
    """JSON nested thousands deep exhausts the parser's recursion: a request
    that cannot be read, not a failure of the server."""
    return http_error_response(BadRequest())


def out_of_range_response(error):
    """A number no column can hold reached the database (the edges bound the
    ids and pages they know of; this is the net under them). Logged, so
    that an edge missing its bound is seen and given one."""
    log.warning("A value out of range reached the database: %s %s", request.method, request.path, exc_info=error)
    return domain_error_response(errors.ValidationFailed(
        {}, message=N_("A number is out of range: no row has such an id.")))


def init_app(app: Flask) -> None:
    app.register_error_handler(errors.CatalogueError, domain_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(RecursionError, too_deep_response)
    app.register_error_handler(OverflowError, out_of_range_response)  # SQLite's driver
    app.register_error_handler(DataError, out_of_range_response)  # PostgreSQL: integer out of range
