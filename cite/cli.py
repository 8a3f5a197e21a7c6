"""The ``catalogue`` command: the root's own commands (``init``, ``serve``,
``demo``, ``scheduler``) and those each package adds to the app's CLI in its
``init_app`` (``users``, ``thesaurus``, ``import``, ``export``, ``harvest``,
``reindex``, ``search``). Each command is one transaction.

Every command and option is listed in the README (checked by
tests/cite/test_docs.py).
"""
from __future__ import annotations

import gettext
import signal
import sys

import click
from sqlalchemy.engine import make_url

from cite import create_app, migrate, server
from cite import scheduler as scheduling
from cite.demo import DEMO_PASSWORD, load_demo
from core import config as settings
from core import errors
from core.cli import Context, fail, pass_context, require_schema
from core.click_messages import in_language, speaking
from search.indexer import drain_quietly
from weeding.services.rules import install_defaults


def _context(click_ctx: click.Context) -> Context:
    root = click_ctx.find_root()
    if root.obj is None:
        root.obj = Context(create_app, migrate.is_current)
    return root.obj


class Root(click.Group):
    """Lists the root's commands and those the packages registered on the app's CLI."""

    def main(self, *args, **kwargs):
        # click's own words (usage, errors in the arguments) and the commands' help in the
        # command line's language; the packages' commands are translated as they are found.
        with speaking(settings.command_line_locale()):
            in_language(self)
            return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._packages(ctx).list_commands(ctx)))

    def get_command(self, ctx: click.Context, name: str):
        command = super().get_command(ctx, name) or self._packages(ctx).get_command(ctx, name)
        return in_language(command) if command is not None else None

    def _packages(self, ctx: click.Context) -> click.Group:
        try:
            return _context(ctx).app.cli
        except Exception as error:  # unusable settings: say so, the root's commands still list
            # No application, so no Flask-Babel: the standard library's gettext, which `speaking` set up.
            click.secho(gettext.gettext("The application could not be loaded (%(error)s): only the root commands "
                                        "are listed.") % {"error": error}, fg="yellow", err=True)
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
        click.echo(ctx.gettext("Schema already up to date (revision %(revision)s) at %(database)s.", revision=after,
                               database=_redacted(ctx.database.url)))
    else:
        click.echo(ctx.gettext("Schema upgraded from %(before)s to %(after)s at %(database)s.",
                               before=before or ctx.gettext("empty"), after=after,
                               database=_redacted(ctx.database.url)))
    with ctx.database.transaction() as session:
        added = install_defaults(session)
    if added:
        click.echo(ctx.ngettext("%(num)s default weeding rule installed (see `catalogue weeding rules`).",
                                "%(num)s default weeding rules installed (see `catalogue weeding rules`).", added))
    try:
        ctx.app.extensions["catalogue.search"].ensure_ready()
    except Exception as error:  # the cluster is down or refuses: the database is ready all the same
        click.secho(ctx.gettext("The search index could not be prepared (%(error)s); run `catalogue reindex` "
                                "once the search engine answers.", error=error), fg="yellow", err=True)


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
        raise click.ClickException(ctx.gettext(
            "Cannot listen on %(host)s:%(port)s: %(error)s. Is another server running there? Choose another --port.",
            host=host, port=port, error=error.strerror or error)) from error
    click.echo(ctx.gettext("Serving on http://%(host)s:%(port)s with %(workers)s worker process(es) of "
                           "%(threads)s threads (Ctrl+C to stop).", host=host, port=port, workers=workers,
                           threads=threads))
    # Each worker writes its own observatory counts when it stops (cite.server).
    server.serve(create_app, host=host, port=port, workers=workers, threads=threads,
                 log_level=ctx.app.config["LOG_LEVEL"])


@main.command()
@click.option("--accounts/--no-accounts", default=True, show_default=True,
              help="Also create one demo staff account per role.")
@pass_context
def demo(ctx: Context, accounts: bool):
    """Load the demo thesaurus, collection (about 220 works with their items), portals and goals. Safe to run twice."""
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                report = load_demo(session, accounts=accounts)
        except errors.CatalogueError as error:
            fail(error)
    # Indexed now, not only when the command ends: the demo is searchable once it says so.
    drain_quietly(ctx.database, ctx.app.extensions["catalogue.search"])
    click.echo(ctx.gettext("Demo thesaurus: %(concepts)s concepts added.", concepts=report.concepts))
    click.echo(ctx.gettext("Demo collection: %(created)s works created, %(skipped)s already present, %(items)s items.",
                           created=report.created, skipped=report.skipped, items=report.items))
    click.echo(ctx.gettext("Demo portals: %(portals)s created (see /portails/).", portals=report.portals))
    click.echo(ctx.gettext("Demo goals: %(goals)s created (see /je-suis).", goals=report.goals))
    click.echo(ctx.gettext("Demo acquisitions: %(proposals)s proposals, %(funds)s funds, %(orders)s orders.",
                           proposals=report.proposals, funds=report.funds, orders=report.orders))
    click.echo(ctx.gettext("Demo use history: %(uses)s uses over three years (target %(per_year)s a year: the real "
                           "centre's 103,000 for 4,000 works, scaled to the demo's copies).", uses=report.uses,
                           per_year=report.uses_per_year))
    if report.rules:
        click.echo(ctx.gettext("Default weeding rules: %(rules)s added.", rules=report.rules))
    if report.accounts:
        click.echo(ctx.gettext("Demo staff accounts (password: %(password)s): %(accounts)s", password=DEMO_PASSWORD,
                           accounts=", ".join(report.accounts)))


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
        with scheduling.exclusive(ctx.database, waiting=lambda: _say_waiting(ctx)):
            try:
                runner = scheduling.build_scheduler(ctx.app)
            except ValueError as error:
                raise click.UsageError(f"CATALOGUE_HARVEST_CRON: {error}") from None
            if config["HARVEST_URL"]:
                click.echo(ctx.gettext("Harvesting %(url)s on \"%(cron)s\" (%(timezone)s).", url=config["HARVEST_URL"],
                                       cron=config["HARVEST_CRON"], timezone=config["BABEL_DEFAULT_TIMEZONE"]))
            else:
                click.echo(ctx.gettext("No harvest: CATALOGUE_HARVEST_URL is not set."))
            click.echo(ctx.gettext("Search index kept current every %(seconds)s s. Ctrl+C to stop.",
                                   seconds=config["SEARCH_DRAIN_SECONDS"]))
            try:
                runner.start()
            except (KeyboardInterrupt, SystemExit):
                if runner.running:
                    runner.shutdown(wait=False)
    except (KeyboardInterrupt, SystemExit):
        pass  # stopped while waiting for the lock
    click.echo(ctx.gettext("Scheduler stopped."))


def _say_waiting(ctx: Context) -> None:
    click.echo(ctx.gettext("Another scheduler is running jobs on this database: waiting until it stops "
                           "(only one may run them at a time)."), err=True)


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
