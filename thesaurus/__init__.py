"""The thesaurus shared with the main library: SKOS concepts and relations,
import, export, checks, editing and browsing.

It sits below the catalogue: records are indexed with its concepts, and what
it needs to know of those records goes through ``thesaurus.usage``.
``init_app`` registers its pages, its API and the ``catalogue thesaurus``
commands.
"""
from __future__ import annotations

from flask import Flask

from core.web import api as web_api
from thesaurus import cli, views
from thesaurus.api import concepts


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    web_api.register(concepts.blp)
    app.cli.add_command(cli.thesaurus)


def register_jobs(scheduler) -> None:
    """The thesaurus has no periodic job."""
