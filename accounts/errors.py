"""Errors of staff accounts (the base ones are in ``core.errors``)."""
from __future__ import annotations

from core.errors import TooManyAttempts


class AccountLocked(TooManyAttempts):
    """Too many failed logins in a row: the account waits until ``until``."""

    code = "account_locked"
