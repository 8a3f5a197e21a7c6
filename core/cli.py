"""Plumbing of the ``catalogue`` command that every package's commands share.

A package's commands take the ``Context`` (``@pass_context``): it builds the
application the first time a command needs it, and when the whole command
ends it drains the search outbox (``core.outbox``) so that what the command
wrote and committed is searchable, and sends the mail it queued. The application root creates the Context
with its factory and schema check; no package imports the root or another
package's commands. Each command is one transaction; what it queued (works
to index, mail to send) goes out when it ends.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import click
from flask_babel import gettext, ngettext, pgettext

from core import errors, mail, outbox
from core.i18n import render

log = logging.getLogger(__name__)


class Context:
    """Builds the Flask app the first time it is needed (to list the
    packages' commands, or to run one); the database is reached only by a
    command that uses it."""

    def __init__(self, make_app: Callable, schema_is_current: Callable):
        self._make_app = make_app
        self._schema_is_current = schema_is_current
        self._app = None
        self._used = False

    @property
    def app(self):
        if self._app is None:
            self._app = self._make_app()
            command = click.get_current_context(silent=True)
            if command is not None:
                command.find_root().call_on_close(self.finish)
        return self._app

    @property
    def database(self):
        self._used = True
        return self.app.extensions["catalogue.db"]

    def gettext(self, message: str, **params) -> str:
        """``message`` (an English message id) in the CLI's one language: the
        one CATALOGUE_DEFAULT_LOCALE names, as for the findings and errors
        that services report."""
        with self.app.app_context():
            return gettext(message, **params)

    def ngettext(self, singular: str, plural: str, num: int, **params) -> str:
        with self.app.app_context():
            return ngettext(singular, plural, num, **params)

    def pgettext(self, context: str, message: str, **params) -> str:
        with self.app.app_context():
            return pgettext(context, message, **params)

    @property
    def locale(self) -> str:
        """The CLI's language (CATALOGUE_DEFAULT_LOCALE)."""
        return self.app.config.get("BABEL_DEFAULT_LOCALE") or "fr"

    def require_schema(self) -> None:
        if not self._schema_is_current(self.database):
            raise click.ClickException(self.gettext(
                "The database schema is missing or outdated: run `catalogue init` first."))

    def finish(self) -> None:
        """When the command ends: index the works it queued and send the mail
        it queued. Quiet when nothing waits; a failure is a warning, the
        scheduler catches up."""
        if not self._used:  # `--help`, or a command that stopped before reaching the database
            return
        try:
            waiting = outbox.waiting(self.database)
        except Exception:  # no schema yet (a failed `catalogue init`): nothing was queued
            return
        if waiting:
            self.index_queued(show_progress=waiting >= PROGRESS_MIN and sys.stderr.isatty())
        try:
            mail.send_due(self.app)
        except Exception:  # the database went away meanwhile: the scheduler sends it
            log.warning("The mail the command queued is left for the scheduler.", exc_info=True)

    def index_queued(self, *, show_progress: bool, label: str | None = None, prepared=None) -> int | None:
        """Index the works queued so far (the outbox), with a progress bar on
        stderr if ``show_progress``. A command that queues many works (an
        import) calls it before it ends, so its output says when they are
        searchable; what remains is drained by ``finish``. ``prepared``: the
        rows of works it analysed ahead (core.prepared)."""
        if not show_progress or not outbox.waiting(self.database):
            return outbox.drain(self.app, prepared=prepared)
        bar = click.progressbar(length=1, label=label or self.gettext("Indexing"), file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        with bar:
            return outbox.drain(self.app, progress=progress, prepared=prepared)


pass_context = click.make_pass_decorator(Context)
PROGRESS_MIN = 5_000  # works queued from which the drain at the end of a command shows a bar


def require_schema(ctx: Context) -> None:
    """Stop with a clear message unless the database schema is current."""
    ctx.require_schema()


def fail(error: errors.CatalogueError) -> None:
    """Report a domain error as a clear message and exit code (2 for invalid input)."""
    click.secho(render(error.message, error.params, gettext), fg="red", err=True)
    for field, messages in getattr(error, "fields", {}).items():
        for message in messages:
            click.secho(f"  {field}: {gettext(message)}", fg="red", err=True)
    sys.exit(2 if isinstance(error, errors.ValidationFailed) else 1)
