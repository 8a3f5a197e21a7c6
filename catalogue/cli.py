"""The ``catalogue`` command. Each command is one transaction.

Every command and option is listed in the README (checked by tests/test_docs.py).
"""
from __future__ import annotations

import sys

import click

from . import errors


class Context:
    """Builds the Flask app lazily so ``--help`` works without a database."""

    def __init__(self):
        self._app = None

    @property
    def app(self):
        if self._app is None:
            from . import create_app
            self._app = create_app()
            # Whatever the command wrote and committed (imports, harvests,
            # the thesaurus, the demo), the search index follows when it ends.
            command = click.get_current_context(silent=True)
            if command is not None:
                command.find_root().call_on_close(self.drain_search_outbox)
        return self._app

    @property
    def database(self):
        return self.app.extensions["catalogue.db"]

    def drain_search_outbox(self) -> None:
        """Index the works the command queued (search.indexer). Quiet when
        nothing waits; a failure is a warning, the scheduler drains later."""
        from search.indexer import drain_quietly, waiting

        try:
            if not waiting(self.database):
                return
        except Exception:  # no schema yet (a failed `catalogue init`): nothing to index
            return
        drain_quietly(self.database, self.app.extensions["catalogue.search"])


pass_context = click.make_pass_decorator(Context, ensure=True)


def fail(error: errors.CatalogueError) -> None:
    """Report a domain error as a clear message and exit code (2 for invalid input)."""
    from flask_babel import gettext

    click.secho(gettext(error.message, **error.params), fg="red", err=True)
    for field, messages in getattr(error, "fields", {}).items():
        for message in messages:
            click.secho(f"  {field}: {gettext(message)}", fg="red", err=True)
    sys.exit(2 if isinstance(error, errors.ValidationFailed) else 1)


def require_schema(ctx: Context) -> None:
    from . import migrate

    if migrate.current_revision(ctx.database) != migrate.head_revision():
        raise click.ClickException("The database schema is missing or outdated: run `catalogue init` first.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cite-catalogue")
def main():
    """Catalogue of the Cité des métiers documentation space."""


@main.command()
@pass_context
def init(ctx: Context):
    """Create the database schema, or upgrade it to the latest version."""
    from . import migrate

    before = migrate.current_revision(ctx.database)
    migrate.upgrade(ctx.database)
    after = migrate.current_revision(ctx.database)
    if before == after:
        click.echo(f"Schema already up to date (revision {after}) at {_redacted(ctx.database.url)}.")
    else:
        click.echo(f"Schema upgraded from {before or 'empty'} to {after} at {_redacted(ctx.database.url)}.")
    try:
        ctx.app.extensions["catalogue.search"].ensure_ready()
    except Exception as error:  # the cluster is down or refuses: the database is ready all the same
        click.secho(f"The search index could not be prepared ({error}); run `catalogue reindex` "
                    "once the search engine answers.", fg="yellow", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: CATALOGUE_SERVER_WORKERS).")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Threads per worker process (default: CATALOGUE_SERVER_THREADS).")
@pass_context
def serve(ctx: Context, host: str, port: int, workers: int | None, threads: int | None):
    """Serve the catalogue with the production WSGI server (gunicorn)."""
    from . import create_app, server

    with ctx.app.app_context():
        require_schema(ctx)
    # The workers build their own app; no connection of this one may cross the fork.
    ctx.database.dispose()
    workers = workers or ctx.app.config["SERVER_WORKERS"]
    threads = threads or ctx.app.config["SERVER_THREADS"]
    try:
        server.ensure_free(host, port)
    except OSError as error:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {error.strerror or error}. "
                                   "Is another server running there? Choose another --port.") from error
    click.echo(f"Serving on http://{host}:{port} with {workers} worker process(es) of {threads} threads "
               "(Ctrl+C to stop).")
    # Each worker writes its own observatory counts when it stops (catalogue.server).
    server.serve(create_app, host=host, port=port, workers=workers, threads=threads,
                 log_level=ctx.app.config["LOG_LEVEL"])


@main.command()
@click.option("--accounts/--no-accounts", default=True, show_default=True,
              help="Also create one demo staff account per role.")
@pass_context
def demo(ctx: Context, accounts: bool):
    """Load the demo thesaurus and collection (about 150 works with their items). Safe to run twice."""
    from .demo import DEMO_PASSWORD, load_demo

    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                report = load_demo(session, accounts=accounts)
        except errors.CatalogueError as error:
            fail(error)
    from search.indexer import drain_quietly

    # Indexed now, not only when the command ends: the demo is searchable once it says so.
    drain_quietly(ctx.database, ctx.app.extensions["catalogue.search"])
    click.echo(f"Demo thesaurus: {report.concepts} concepts added.")
    click.echo(f"Demo collection: {report.created} works created, {report.skipped} already present, "
               f"{report.items} items.")
    click.echo(f"Demo portals: {report.portals} created (see /portails/).")
    if report.accounts:
        click.echo(f"Demo staff accounts (password: {DEMO_PASSWORD}): " + ", ".join(report.accounts))


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


from .accounts.cli import users  # noqa: E402

main.add_command(users)

from importers.cli_export import export  # noqa: E402

main.add_command(export)

from importers.cli_oai import harvest, scheduler  # noqa: E402

main.add_command(harvest)
main.add_command(scheduler)

from importers.cli import import_command  # noqa: E402

main.add_command(import_command, "import")

from thesaurus.cli import thesaurus  # noqa: E402

main.add_command(thesaurus)

from search.cli import reindex, search  # noqa: E402

main.add_command(reindex)
main.add_command(search)
