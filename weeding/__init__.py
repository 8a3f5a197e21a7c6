"""Weeding reviews with the counsellors: rules as data, campaigns whose
candidates carry their reasons, votes per pole, the librarian's decisions;
named reports on a schedule; and the use statistics.

``init_app`` registers the staff pages, the API and the ``catalogue weeding``
and ``catalogue reports`` commands, and weeding's named reports;
``register_jobs`` their schedules and the statistics' tally.
"""
from __future__ import annotations

from flask import Flask

from catalogue import changes
from catalogue.vocab import Condition, DocumentType
from core import reports as named_reports
from core.i18n import N_
from core.vocab import Pole
from core.web import api as web_api
from weeding import cli, jobs, views
from weeding import reports as weeding_reports
from weeding.api import campaigns, reports, rules, statistics
from weeding.vocab import RULE_FIELD_LABELS


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    web_api.register(campaigns.blp, rules.blp, reports.blp, statistics.blp)
    app.cli.add_command(cli.weeding)
    app.cli.add_command(cli.reports)
    named_reports.register(*weeding_reports.REPORTS)
    changes.describe("weeding_rule", N_("Rule"), fields=RULE_FIELD_LABELS,
                     codes={"document_type": DocumentType, "pole": Pole, "conditions": Condition},
                     actions={"weeding.rule.create": N_("Created"), "weeding.rule.update": N_("Changed")})


def register_jobs(scheduler) -> None:
    jobs.register_jobs(scheduler)
