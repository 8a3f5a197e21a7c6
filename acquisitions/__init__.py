"""Acquisitions with the counsellors: proposals and the support they gather
across poles, the demand behind them (the observatory's unmet searches),
funds per pole and year, orders and receipts, up to the shelf.

``init_app`` registers the staff pages, the API, the ``catalogue
acquisitions`` commands and the named report of proposals left waiting;
``register_jobs`` that report's schedule.
"""
from __future__ import annotations

from flask import Flask

from acquisitions import cli, reports, views
from acquisitions.api import budgets, orders, proposals
from acquisitions.vocab import ProposalStatus
from catalogue import changes
from core import report_jobs
from core import reports as named_reports
from core.i18n import N_
from core.web import api as web_api


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    web_api.register(proposals.blp, budgets.blp, orders.blp)
    app.cli.add_command(cli.acquisitions)
    named_reports.register(*reports.REPORTS)
    changes.describe("proposal", N_("Proposal"), fields={"supported_by": N_("Supported by")},
                     codes={"status": ProposalStatus},
                     actions={"proposal.create": N_("Created"), "proposal.update": N_("Changed"),
                              "proposal.move": N_("Status changed"), "proposal.support": N_("Supported")})
    changes.describe("fund", N_("Fund"), fields={"allocated": N_("Allocated")},
                     actions={"fund.create": N_("Created"), "fund.update": N_("Changed"),
                              "fund.rollover": N_("Rolled over")})
    changes.describe("supplier", N_("Supplier"), actions={"supplier.save": N_("Saved")})
    changes.describe("order", N_("Purchase order"), actions={"order.send": N_("Sent")})


def register_jobs(scheduler) -> None:
    """The report of proposals waiting; the mail goes out with the scheduler's mail job."""
    report_jobs.register_jobs(scheduler, reports.REPORTS)
