"""Plumbing of the ``catalogue`` command that every package's commands share.

A package's commands take the ``Context`` (``@pass_context``): it builds the
application the first time a command needs it, and when the whole command
ends it drains the search outbox (``core.outbox``) so that what the command
wrote and committed is searchable. The application root creates the Context
with its factory and schema check; no package imports the root or another
package's commands. Each command is one transaction.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

import click
from flask_babel import gettext

from core import errors, outbox


class Context:
    """Builds the Flask app lazily: ``--help`` needs no database."""

    def __init__(self, make_app: Callable, schema_is_current: Callable):
        self._make_app = make_app
        self._schema_is_current = schema_is_current
        self._app = None

    @property
    def app(self):
        if self._app is None:
            self._app = self._make_app()
            command = click.get_current_context(silent=True)
            if command is not None:
                command.find_root().call_on_close(self.drain_search_outbox)
        return self._app

    @property
    def database(self):
        return self.app.extensions["catalogue.db"]

    def require_schema(self) -> None:
        if not self._schema_is_current(self.database):
            raise click.ClickException("The database schema is missing or outdated: run `catalogue init` first.")

    def drain_search_outbox(self) -> None:
        """Index the works the command queued. Quiet when nothing waits; a
        failure is a warning, the scheduler drains later."""
        try:
            if not outbox.waiting(self.database):
                return
        except Exception:  # no schema yet (a failed `catalogue init`): nothing to index
            return
        outbox.drain(self.app)


pass_context = click.make_pass_decorator(Context)


def require_schema(ctx: Context) -> None:
    """Stop with a clear message unless the database schema is current."""
    ctx.require_schema()


def fail(error: errors.CatalogueError) -> None:
    """Report a domain error as a clear message and exit code (2 for invalid input)."""
    click.secho(gettext(error.message, **error.params), fg="red", err=True)
    for field, messages in getattr(error, "fields", {}).items():
        for message in messages:
            click.secho(f"  {field}: {gettext(message)}", fg="red", err=True)
    sys.exit(2 if isinstance(error, errors.ValidationFailed) else 1)
