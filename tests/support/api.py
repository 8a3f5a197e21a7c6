"""Helpers for API tests: bearer headers and the pinned error shape."""
from __future__ import annotations

from tests.support.factories import make_token, make_user

ERROR_KEYS = {"status", "code", "message", "fields", "current", "submitted", "findings",
              "matches", "proposal_id", "allowed", "allowed_roles", "remaining", "needed", "poles", "decision"}


def bearer(db, username="doc", role="documentalist", pole=None) -> dict:
    """Create a staff account and return the headers of one of its API tokens."""
    make_user(db, username, role, pole=pole)
    return {"Authorization": f"Bearer {make_token(db, username)}"}


def assert_error(response, status: int, code: str) -> dict:
    """Check an API error answer has the documented shape; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert (error["status"], error["code"]) == (status, code)
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= ERROR_KEYS
    return error
