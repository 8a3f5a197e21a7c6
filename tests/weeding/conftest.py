"""Fixtures of the weeding tests."""
from __future__ import annotations

import pytest

from tests.weeding.support import Shelf
from tests.weeding.support import staff as make_staff


@pytest.fixture
def staff(db):
    return make_staff(db)


@pytest.fixture
def shelf(db):
    return Shelf(db)
