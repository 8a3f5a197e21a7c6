"""Acquisitions with the counsellors: proposals and the support they gather
across poles, the demand behind them (the observatory's unmet searches),
funds per pole and year, orders and receipts, up to the shelf.

``init_app`` registers the staff pages, the API and the ``catalogue
acquisitions`` commands.
"""
from __future__ import annotations

from flask import Flask

from acquisitions import cli, views
from acquisitions.api import budgets, orders, proposals
from core.web import api as web_api


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    web_api.register(proposals.blp, budgets.blp, orders.blp)
    app.cli.add_command(cli.acquisitions)


def register_jobs(scheduler) -> None:
    """Acquisitions have no periodic job: their mail goes out with the scheduler's mail job."""
