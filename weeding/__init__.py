"""Weeding reviews: campaigns, candidate items and decisions, with their history.

For now the package holds its tables only: it has no page, command or job
to register yet.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet: the package holds its tables only."""


def register_jobs(scheduler) -> None:
    """Weeding has no periodic job yet."""
