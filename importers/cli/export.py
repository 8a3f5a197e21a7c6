"""``catalogue export``: the catalogue as MARC21, streamed to a file or stdout."""
from __future__ import annotations

import os
from pathlib import Path

import click

from core.cli import Context, pass_context, require_schema
from core.click_messages import FilePath
from importers.export import write_records
from importers.export.query import parse_query, stream_records

QUERY_HELP = ("Filter: words matched in title, ISBN/ISSN or call number, and tokens type:TYPE, "
              "pole:POLE, source:NAME, updated-since:YYYY-MM-DD.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["marcxml", "iso2709"]), default="marcxml",
              show_default=True, help="MARCXML (a <collection>) or ISO 2709 (binary MARC).")
@click.option("--query", "-q", default=None, help=QUERY_HELP)
@click.option("--output", "-o", type=FilePath(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@pass_context
def export(ctx: Context, fmt: str, query: str | None, output: Path | None):
    """Export records as MARC21 (the raw MARC21 of imported records, updated)."""
    try:
        parsed = parse_query(query)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--query") from None
    with ctx.app.app_context():
        require_schema(ctx)
    skipped = []

    def on_skip(marc, reason):
        ident = marc.get("001")
        skipped.append(ident)
        click.echo(ctx.gettext("Skipped record %(id)s: %(reason)s", id=ident.data if ident else "?", reason=reason),
                   err=True)

    with ctx.database.session() as session:
        records = stream_records(session, parsed)
        if output is None:
            with click.open_file("-", "wb") as stream:  # binary stdout, left open
                count = write_records(records, fmt, stream, on_skip=on_skip)
                stream.flush()
        else:
            # Write beside the target and rename, so a failed export never
            # leaves a truncated file under the expected name.
            partial = output.with_name(output.name + ".part")
            try:
                with open(partial, "wb") as stream:
                    count = write_records(records, fmt, stream, on_skip=on_skip)
                os.replace(partial, output)
            finally:
                partial.unlink(missing_ok=True)
    summary = ctx.ngettext("%(num)s record exported", "%(num)s records exported", count)
    if skipped:
        summary += ctx.gettext(", %(skipped)s skipped (too large for ISO 2709)", skipped=len(skipped))
    click.echo(summary + (ctx.gettext(" to %(file)s.", file=output) if output else "."), err=True)
