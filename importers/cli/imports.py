"""``catalogue import``: MARC records from files."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from core import outbox
from core.cli import Context, pass_context, require_schema
from core.click_messages import FilePath
from core.prepared import Prepared
from importers.marc.matching import WorkSet, parse_rules
from importers.marc.runner import import_file


def _source_name(ctx, param, value: str) -> str:
    value = value.strip()
    if not value or len(value) > 100:
        raise click.BadParameter("give a name of 1 to 100 characters, e.g. main-library")
    return value


@click.command("import")
@click.argument("files", nargs=-1, required=True,
                type=FilePath(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--format", "flavour", type=click.Choice(["auto", "marc21", "unimarc"]), default="auto",
              show_default=True, help="MARC flavour; auto tells MARC21 from UNIMARC record by record.")
@click.option("--encoding", type=click.Choice(["auto", "utf-8", "marc-8", "iso-5426"]), default="auto",
              show_default=True,
              help="Character set of ISO 2709 files; auto checks what each record declares.")
@click.option("--source", default="main-library", show_default=True, callback=_source_name,
              help="Name of the source the records come from (records remember it, with their 001).")
@click.option("--dry-run", is_flag=True,
              help="Count what would happen, write no record (the report is kept).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per file (one per line) instead of a progress bar and summary.")
@pass_context
def import_command(ctx: Context, files: tuple[Path, ...], flavour: str, encoding: str, source: str,
                   dry_run: bool, as_json: bool):
    """Import MARC records (ISO 2709 or MARCXML, MARC21 or UNIMARC) from FILES."""
    with ctx.app.app_context():
        require_schema(ctx)
    config = ctx.app.config
    try:
        parse_rules(config["IMPORT_MATCH_RULES"])
    except ValueError as error:
        raise click.UsageError(f"CATALOGUE_IMPORT_MATCH_RULES: {error}") from None
    rejects_dir = Path(config["INSTANCE_DIR"]) / "rejects"
    # The workers that map the records also analyse the new works' search
    # documents when the search package registers how: the drain then loads those rows.
    analyse = outbox.analyser(ctx.app)
    prepared = Prepared() if analyse else None
    # seen: the first record describing a work wins, across the files of the
    # command: importing the same files again changes nothing.
    options = {"source": source, "flavour": flavour, "encoding": encoding,
               "dry_run": dry_run, "rules": config["IMPORT_MATCH_RULES"], "rejects_dir": rejects_dir,
               "seen": WorkSet(), "analyse": analyse, "prepared": prepared}
    try:
        reports = _import_files(ctx, files, options, dry_run, as_json, prepared)
    finally:
        if prepared is not None:
            prepared.close()
    failed = [r for r in reports if r.status != "finished"]
    for report in failed:
        click.secho(ctx.gettext("The import of %(file)s stopped: %(error)s", file=report.file, error=report.error),
                    fg="red", err=True)
    if failed:
        sys.exit(1)


def _import_files(ctx: Context, files, options: dict, dry_run: bool, as_json: bool,
                  prepared: Prepared | None) -> list:
    reports = []
    if as_json:
        for path in files:
            report = import_file(ctx.database, path, **options)
            reports.append(report)
            click.echo(json.dumps({key: getattr(report, key) for key in JSON_KEYS}, ensure_ascii=False))
        _index(ctx, dry_run, prepared, show_progress=False)
    else:
        total = sum(path.stat().st_size for path in files)
        with click.progressbar(length=total, label=ctx.gettext("Importing"), file=sys.stderr) as bar:
            for path in files:
                last = 0

                def progress(position: int) -> None:
                    nonlocal last
                    bar.update(position - last)
                    last = position

                reports.append(import_file(ctx.database, path, progress=progress, **options))
                bar.update(path.stat().st_size - last)
        _index(ctx, dry_run, prepared, show_progress=True)
        for report in reports:
            click.echo(_summary(ctx, report, dry_run))
    return reports


def _index(ctx: Context, dry_run: bool, prepared: Prepared | None, *, show_progress: bool) -> None:
    """Make what was imported searchable before the command reports it done
    (the works wait in the outbox; a big backlog is a bulk load or a rebuild)."""
    if not dry_run:
        ctx.index_queued(show_progress=show_progress, prepared=prepared)


JSON_KEYS = ("file", "run", "status", "read", "created", "updated", "unchanged", "held", "rejected",
             "rejects_file", "error")


def _summary(ctx: Context, report, dry_run: bool) -> str:
    line = ctx.gettext("%(file)s: %(read)s read, %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                       "%(held)s held for review, %(rejected)s rejected (run %(run)s)", file=report.file,
                       read=report.read, created=report.created, updated=report.updated,
                       unchanged=report.unchanged, held=report.held, rejected=report.rejected, run=report.run)
    if dry_run:
        line += ctx.gettext(" — dry run, nothing written")
    elif report.held:
        line += "\n  " + ctx.gettext(
            "Updates from another source that would change a work's title or main author, not applied: apply or "
            "reject them on the run's page, or list them with `catalogue imports held %(run)s`", run=report.run)
    if report.rejects_file:
        line += "\n  " + ctx.gettext("Rejected records, to fix and import again: %(file)s", file=report.rejects_file)
    return line
