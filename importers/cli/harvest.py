"""``catalogue harvest``: OAI-PMH harvesting."""
from __future__ import annotations

import json
import sys

import click

from core.cli import Context, pass_context, require_schema
from importers.errors import NothingToHarvest
from importers.jobs import nightly_harvest
from importers.oai import parse_datestamp


@click.command()
@click.argument("url", required=False)
@click.option("--metadata-prefix", "metadata_prefix", default=None,
              help="Metadata format to ask for (default: CATALOGUE_HARVEST_PREFIX, marc21).")
@click.option("--set", "set_spec", default=None, help="Harvest only this set.")
@click.option("--from", "from_date", default=None,
              help="Harvest changes since this date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) "
                   "instead of since the last harvest.")
@click.option("--source", default=None, help="Source name of the harvested records (default: the host).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@pass_context
def harvest(ctx: Context, url, metadata_prefix, set_spec, from_date, source, as_json):
    """Harvest an OAI-PMH repository (default: CATALOGUE_HARVEST_URL) since the last harvest."""
    if from_date is not None:
        try:
            parse_datestamp(from_date)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--from") from None
    with ctx.app.app_context():
        require_schema(ctx)

    def progress(report):
        if not as_json:
            click.echo(ctx.gettext("page %(page)s: %(read)s read, %(deleted)s deletions", page=report.pages,
                                   read=report.read, deleted=report.deleted), err=True)

    try:
        report = nightly_harvest(ctx.app, url=url, metadata_prefix=metadata_prefix, set_spec=set_spec,
                                 from_date=from_date, source=source, progress=progress)
    except NothingToHarvest as error:
        raise click.UsageError(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        since = report.from_date or ctx.gettext("the beginning")
        click.echo(ctx.gettext(
            "Harvest of %(url)s (run %(run)s, from %(since)s): %(read)s read, %(created)s created, %(updated)s "
            "updated, %(unchanged)s unchanged, %(held)s held for review, %(rejected)s rejected (%(deleted)s "
            "deletions).", url=report.url, run=report.run_id, since=since, read=report.read,
            created=report.created, updated=report.updated, unchanged=report.unchanged, held=report.held,
            rejected=report.rejected, deleted=report.deleted))
        if report.rejects_file:
            click.echo(ctx.gettext("Rejected records: %(file)s", file=report.rejects_file))
        if report.next_from:
            click.echo(ctx.gettext("Next harvest from %(since)s.", since=report.next_from))
    if report.error:
        click.secho(ctx.gettext("The harvest stopped: %(error)s", error=report.error), fg="red", err=True)
        sys.exit(1)
