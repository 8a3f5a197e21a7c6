"""``catalogue import``: MARC records from files."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from core.cli import Context, pass_context, require_schema
from importers.marc.matching import WorkSet, parse_rules
from importers.marc.runner import import_file


def _source_name(ctx, param, value: str) -> str:
    value = value.strip()
    if not value or len(value) > 100:
        raise click.BadParameter("give a name of 1 to 100 characters, e.g. main-library")
    return value


@click.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
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
    # The first record describing a work wins, across the files of the command:
    # importing the same files again changes nothing.
    options = {"source": source, "flavour": flavour, "encoding": encoding,
               "dry_run": dry_run, "rules": config["IMPORT_MATCH_RULES"], "rejects_dir": rejects_dir,
               "seen": WorkSet()}

    reports = []
    if as_json:
        for path in files:
            report = import_file(ctx.database, path, **options)
            reports.append(report)
            click.echo(json.dumps({key: getattr(report, key) for key in JSON_KEYS}, ensure_ascii=False))
        _index(ctx, dry_run, show_progress=False)
    else:
        total = sum(path.stat().st_size for path in files)
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            for path in files:
                last = 0

                def progress(position: int) -> None:
                    nonlocal last
                    bar.update(position - last)
                    last = position

                reports.append(import_file(ctx.database, path, progress=progress, **options))
                bar.update(path.stat().st_size - last)
        _index(ctx, dry_run, show_progress=True)
        for report in reports:
            click.echo(_summary(report, dry_run))
    failed = [r for r in reports if r.status != "finished"]
    for report in failed:
        click.secho(f"The import of {report.file} stopped: {report.error}", fg="red", err=True)
    if failed:
        sys.exit(1)


def _index(ctx: Context, dry_run: bool, *, show_progress: bool) -> None:
    """Make what was imported searchable before the command reports it done
    (the works wait in the outbox; a big backlog is a bulk load or a rebuild)."""
    if not dry_run:
        ctx.index_queued(show_progress=show_progress)


JSON_KEYS = ("file", "run", "status", "read", "created", "updated", "unchanged", "held", "rejected",
             "rejects_file", "error")


def _summary(report, dry_run: bool) -> str:
    line = (f"{report.file}: {report.read} read, {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.held} held for review, {report.rejected} rejected "
            f"(run {report.run})")
    if dry_run:
        line += " — dry run, nothing written"
    elif report.held:
        line += (f"\n  Updates from another source that would change a work's title or main author, not applied: "
                 f"apply or reject them on the run's page, or list them with `catalogue imports held {report.run}`")
    if report.rejects_file:
        line += f"\n  Rejected records, to fix and import again: {report.rejects_file}"
    return line
