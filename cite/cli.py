"""The ``catalogue`` command: the root's own commands (``init``, ``serve``,
``demo``, ``scheduler``) and those each package adds to the app's CLI in its
``init_app`` (``users``, ``thesaurus``, ``import``, ``export``, ``harvest``,
``reindex``, ``search``). Each command is one transaction.

Every command and option is listed in the README (checked by
tests/cite/test_docs.py).
"""
from __future__ import annotations

import signal
import sys

import click
from sqlalchemy.engine import make_url

from cite import create_app, migrate, server
from cite import scheduler as scheduling
from cite.demo import DEMO_PASSWORD, load_demo
from core import errors
from core.cli import Context, fail, pass_context, require_schema
from search.indexer import drain_quietly
from weeding.services.rules import install_defaults


def _context(click_ctx: click.Context) -> Context:
    root = click_ctx.find_root()
    if root.obj is None:
        root.obj = Context(create_app, migrate.is_current)
    return root.obj


class Root(click.Group):
    """Lists the root's commands and those the packages registered on the app's CLI."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._packages(ctx).list_commands(ctx)))

    def get_command(self, ctx: click.Context, name: str):
        return super().get_command(ctx, name) or self._packages(ctx).get_command(ctx, name)

    def _packages(self, ctx: click.Context) -> click.Group:
        try:
            return _context(ctx).app.cli
        except Exception as error:  # unusable settings: say so, the root's commands still list
            click.secho(f"The application could not be loaded ({error}): only the root commands are listed.",
                        fg="yellow", err=True)
            return click.Group()


@click.group(cls=Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cite-catalogue")
@click.pass_context
def main(click_ctx: click.Context):
    """Catalogue of the Cité des métiers documentation space."""
    _context(click_ctx)


@main.command()
@pass_context
def init(ctx: Context):
    """Create the database schema, or upgrade it to the latest version."""
    before = migrate.current_revision(ctx.database)
    migrate.upgrade(ctx.database)
    after = migrate.current_revision(ctx.database)
    if before == after:
        click.echo(f"Schema already up to date (revision {after}) at {_redacted(ctx.database.url)}.")
    else:
        click.echo(f"Schema upgraded from {before or 'empty'} to {after} at {_redacted(ctx.database.url)}.")
    with ctx.database.transaction() as session:
        added = install_defaults(session)
    if added:
        click.echo(f"{added} default weeding rules installed (see `catalogue weeding rules`).")
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
    # Each worker writes its own observatory counts when it stops (cite.server).
    server.serve(create_app, host=host, port=port, workers=workers, threads=threads,
                 log_level=ctx.app.config["LOG_LEVEL"])


@main.command()
@click.option("--accounts/--no-accounts", default=True, show_default=True,
              help="Also create one demo staff account per role.")
@pass_context
def demo(ctx: Context, accounts: bool):
    """Load the demo thesaurus and collection (about 150 works with their items). Safe to run twice."""
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                report = load_demo(session, accounts=accounts)
        except errors.CatalogueError as error:
            fail(error)
    # Indexed now, not only when the command ends: the demo is searchable once it says so.
    drain_quietly(ctx.database, ctx.app.extensions["catalogue.search"])
    click.echo(f"Demo thesaurus: {report.concepts} concepts added.")
    click.echo(f"Demo collection: {report.created} works created, {report.skipped} already present, "
               f"{report.items} items.")
    click.echo(f"Demo portals: {report.portals} created (see /portails/).")
    click.echo(f"Demo acquisitions: {report.proposals} proposals, {report.funds} funds, {report.orders} orders.")
    click.echo(f"Demo use history: {report.uses} uses over three years (target {report.uses_per_year} a year: "
               "the real centre's 103,000 for 4,000 works, scaled to the demo's copies).")
    if report.rules:
        click.echo(f"Default weeding rules: {report.rules} added.")
    if report.accounts:
        click.echo(f"Demo staff accounts (password: {DEMO_PASSWORD}): " + ", ".join(report.accounts))


@main.command()
@pass_context
def scheduler(ctx: Context):
    """Run the jobs every package registers until stopped: the search index's
    safety net every CATALOGUE_SEARCH_DRAIN_SECONDS, the nightly harvest
    (CATALOGUE_HARVEST_URL, on CATALOGUE_HARVEST_CRON)... One scheduler runs
    jobs at a time: another one started beside it waits."""
    with ctx.app.app_context():
        require_schema(ctx)
    config = ctx.app.config
    # A service manager stops us with SIGTERM: leave as cleanly as on Ctrl+C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with scheduling.exclusive(ctx.database, waiting=_say_waiting):
            try:
                runner = scheduling.build_scheduler(ctx.app)
            except ValueError as error:
                raise click.UsageError(f"CATALOGUE_HARVEST_CRON: {error}") from None
            if config["HARVEST_URL"]:
                click.echo(f"Harvesting {config['HARVEST_URL']} on \"{config['HARVEST_CRON']}\" "
                           f"({config['BABEL_DEFAULT_TIMEZONE']}).")
            else:
                click.echo("No harvest: CATALOGUE_HARVEST_URL is not set.")
            click.echo(f"Search index kept current every {config['SEARCH_DRAIN_SECONDS']} s. Ctrl+C to stop.")
            try:
                runner.start()
            except (KeyboardInterrupt, SystemExit):
                if runner.running:
                    runner.shutdown(wait=False)
    except (KeyboardInterrupt, SystemExit):
        pass  # stopped while waiting for the lock
    click.echo("Scheduler stopped.")


def _say_waiting() -> None:
    click.echo("Another scheduler is running jobs on this database: waiting until it stops "
               "(only one may run them at a time).", err=True)


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
