"""``catalogue thesaurus``: SKOS import, export and checks.

Registered on ``catalogue`` by ``thesaurus.init_app``; every command and option is
documented in the README. Each command is one transaction. Exit status 2
means the file or the thesaurus has errors (or could not be read), and an
import was refused whole.

Everything is printed in the CLI's one language, the catalogue's default
(CATALOGUE_DEFAULT_LOCALE), findings included; ``--json`` gives findings in
both French and English.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import click
from flask_babel import gettext

from core.cli import Context, pass_context, require_schema
from core.click_messages import FilePath
from core.i18n import N_
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.services.validation import check_stored
from thesaurus.skos.checks import check as check_graph
from thesaurus.skos.findings import ERROR, WARNING
from thesaurus.skos.read import SkosReadError, normalise, read
from thesaurus.skos.write import write
from thesaurus.store import load_graph

SHOWN = 20  # URIs or findings listed per heading before "... and N more"


@click.group()
def thesaurus():
    """The shared thesaurus: SKOS import and export, checks."""


@thesaurus.command("import")
@click.argument("file", type=FilePath(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--scheme", "scheme_uri", default=None, metavar="URI",
              help="Import only the file's concepts of this concept scheme (or of none), into it.")
@click.option("--dry-run", is_flag=True, help="Validate and report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a summary.")
@pass_context
def import_command(ctx: Context, file: Path, scheme_uri: str | None, dry_run: bool, as_json: bool):
    """Import a SKOS thesaurus (Turtle, RDF/XML or N-Triples) from FILE."""
    with ctx.app.app_context():
        require_schema(ctx)
    graph = _read(ctx, file, as_json)
    try:
        with ctx.database.transaction() as session:
            report = ThesaurusImportService(session).import_graph(graph, scheme_uri=scheme_uri, dry_run=dry_run,
                                                                  source=file.name)
    except ThesaurusRuleViolation as error:
        if as_json:
            click.echo(json.dumps({"file": str(file), "applied": False, "refused": True,
                                   "findings": [f.as_dict() for f in error.findings]}, ensure_ascii=False))
        else:
            _print_findings(ctx, error.findings)
            click.secho(ctx.gettext("%(file)s: import refused, nothing was changed: fix the errors above "
                                    "and import again.", file=file.name), fg="red", err=True)
        sys.exit(2)

    if as_json:
        click.echo(json.dumps({"file": str(file), "applied": report.applied, "refused": False, "dry_run": dry_run,
                               "counts": report.counts(), "records_marked": report.records_marked,
                               **{name: getattr(report, name) for name in ("added", "changed", "deprecated",
                                                                             "dropped")},
                               "findings": [f.as_dict() for f in report.findings]}, ensure_ascii=False))
        return
    counts = report.counts()
    summary = ctx.gettext("%(file)s: %(added)s added, %(changed)s changed, %(deprecated)s deprecated, "
                          "%(unchanged)s unchanged; %(dropped)s stored concepts absent from the file (kept)",
                          file=file.name, **counts)
    click.echo(summary + (ctx.gettext(" — dry run, nothing written.") if dry_run else "."))
    for heading, name in ((N_("Changed"), "changed"), (N_("Deprecated"), "deprecated"), (N_("Dropped"), "dropped")):
        _print_uris(ctx, ctx.gettext(heading), getattr(report, name))
    if report.records_marked:
        click.echo(ctx.ngettext("%(num)s record queued for re-indexing.", "%(num)s records queued for re-indexing.",
                                report.records_marked))
    if report.findings:
        _print_summary(ctx, report.findings, file)


@thesaurus.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "rdfxml"]), default="turtle", show_default=True,
              help="Turtle or RDF/XML.")
@click.option("--output", "-o", type=FilePath(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--scheme", "scheme_uri", default=None, metavar="URI",
              help="Export only this concept scheme (default: every scheme).")
@pass_context
def export(ctx: Context, fmt: str, output: Path | None, scheme_uri: str | None):
    """Export the thesaurus as SKOS."""
    with ctx.app.app_context():
        require_schema(ctx)
    with ctx.database.session() as session:  # reading only: no write lock
        graph = load_graph(session, scheme_uri)
    try:
        data = write(graph, fmt)
    except ValueError as error:  # a kept property RDF/XML cannot name
        raise click.ClickException(str(error)) from None
    if output is None:
        with click.open_file("-", "wb") as stream:
            stream.write(data)
            stream.flush()
    else:
        # Beside the target, then renamed: a failed export never leaves a truncated file.
        partial = output.with_name(output.name + ".part")
        try:
            partial.write_bytes(data)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    click.echo(ctx.ngettext("%(num)s concept exported to %(file)s.", "%(num)s concepts exported to %(file)s.",
                            len(graph.concepts), file=output) if output else
               ctx.ngettext("%(num)s concept exported.", "%(num)s concepts exported.", len(graph.concepts)), err=True)


@thesaurus.command()
@click.argument("file", required=False, type=FilePath(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of one line per finding.")
@pass_context
def check(ctx: Context, file: Path | None, as_json: bool):
    """Check FILE, or the stored thesaurus, and list what is wrong."""
    if file is not None:
        graph = normalise(_read(ctx, file, as_json))
        findings = check_graph(graph)  # the reader's own findings included
        count = len(graph.concepts)
    else:
        with ctx.app.app_context():
            require_schema(ctx)
        with ctx.database.session() as session:
            findings = check_stored(session)
            count = None
    errors = sum(f.is_error for f in findings)
    if as_json:
        click.echo(json.dumps({"file": str(file) if file else None, "errors": errors,
                               "warnings": len(findings) - errors,
                               "findings": [f.as_dict() for f in findings]}, ensure_ascii=False))
    else:
        _print_findings(ctx, findings, limit=None)
        where = (ctx.ngettext("%(file)s (%(num)s concept)", "%(file)s (%(num)s concepts)", count, file=file.name)
                 if file else ctx.gettext("The stored thesaurus"))
        click.echo(ctx.gettext("%(where)s: %(errors)s, %(warnings)s.", where=where,
                               errors=ctx.ngettext("%(num)s error", "%(num)s errors", errors),
                               warnings=ctx.ngettext("%(num)s warning", "%(num)s warnings", len(findings) - errors)))
    if errors:
        sys.exit(2)


def _read(ctx: Context, file: Path, as_json: bool):
    try:
        return read(file)
    except SkosReadError as error:
        with ctx.app.app_context():
            message = gettext(error.message, **error.params)
        if as_json:
            click.echo(json.dumps({"file": str(file), "applied": False, "refused": True, "error": message},
                                  ensure_ascii=False))
        click.secho(f"{file.name}: {message}", fg="red", err=True)
        sys.exit(2)


SEVERITIES = {ERROR: N_("error"), WARNING: N_("warning")}


def _print_findings(ctx: Context, findings, limit: int | None = SHOWN) -> None:
    """One line per finding, in the CLI's language; the code stays as it is (the README's table names it)."""
    for finding in findings[:limit]:
        line = f"{ctx.gettext(SEVERITIES[finding.severity])} {finding.code}: {finding.text(ctx.locale)}"
        click.secho(line, fg="red" if finding.is_error else "yellow", err=finding.is_error)
    if limit is not None and len(findings) > limit:
        click.echo(_more(ctx, len(findings) - limit))


def _more(ctx: Context, n: int) -> str:
    return ctx.ngettext("... and %(num)s more.", "... and %(num)s more.", n)


def _print_summary(ctx: Context, findings, file: Path) -> None:
    by_code = Counter(f.code for f in findings)
    click.echo(ctx.ngettext("%(num)s warning", "%(num)s warnings", len(findings)) + ": "
               + ", ".join(f"{code} {n}" for code, n in sorted(by_code.items())))
    _print_findings(ctx, findings, limit=5)
    if len(findings) > 5:
        click.echo(ctx.gettext("All of them: %(command)s", command=f"catalogue thesaurus check {file}"))


def _print_uris(ctx: Context, heading: str, uris: list[str]) -> None:
    if uris:
        more = " " + _more(ctx, len(uris) - SHOWN).rstrip(".") if len(uris) > SHOWN else ""
        click.echo(f"{heading}: " + ", ".join(uris[:SHOWN]) + more)
