"""Fixtures of the acquisitions tests: the staff of the centre, created on
first use (each account hashes a password: only those a test names exist)."""
from __future__ import annotations

import pytest

from tests.acquisitions.support import Staff


@pytest.fixture
def staff(db):
    return Staff(db)
