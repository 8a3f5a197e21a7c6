"""MARC in and out of the catalogue: import from files (``marc``), export
(``export``) and OAI-PMH, as a repository and as a harvester (``oai``), with
the runs' reports and rejects, and the alignment of incoming subject headings
with the thesaurus.

``init_app`` registers the staff pages, the OAI-PMH endpoint, the headings
and imports APIs and the ``catalogue import``, ``export`` and ``harvest`` commands;
``register_jobs`` the nightly harvest.
"""
from __future__ import annotations

from flask import Flask

from core.web import api as web_api
from core.web.csrf import csrf
from importers import api, cli, jobs, views
from importers.oai import server as oai_server


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    csrf.exempt(oai_server.bp)  # public and read-only; OAI-PMH allows POST
    app.register_blueprint(oai_server.bp)
    web_api.register(*api.BLUEPRINTS)
    for name, command in cli.COMMANDS.items():
        app.cli.add_command(command, name)


def register_jobs(scheduler) -> None:
    jobs.register_jobs(scheduler)
