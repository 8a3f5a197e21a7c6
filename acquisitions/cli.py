"""``catalogue acquisitions``: the year roll-over of the funds and CSV exports
(registered by ``acquisitions.init_app``). Each command is one transaction."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
from sqlalchemy import select

from acquisitions.models import Proposal
from acquisitions.services.budgets import BudgetService, fiscal_year
from acquisitions.vocab import ProposalStatus
from core import errors
from core.cli import Context, fail, pass_context, require_schema
from core.click_messages import FilePath
from core.db import utcnow

PROPOSAL_COLUMNS = ("id", "status", "title", "authors", "publisher", "year", "edition", "isbn", "issn",
                    "document_type", "pole", "reason_code", "quantity", "estimated_price", "estimated_total",
                    "fund", "proposed_by", "created_at", "supporters")
SPENDING_COLUMNS = ("year", "fund", "allocated", "committed", "spent", "remaining")


@click.group()
def acquisitions():
    """Acquisition funds and exports."""


@acquisitions.command()
@click.option("--from", "from_year", type=int, default=None,
              help="The fiscal year to copy (default: the current one).")
@click.option("--to", "to_year", type=int, default=None, help="The fiscal year to open (default: the next one).")
@click.option("--percent", type=click.IntRange(0, 1000), default=100, show_default=True,
              help="New allocations as a percentage of the old ones.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_context
def rollover(ctx: Context, from_year: int | None, to_year: int | None, percent: int, as_json: bool):
    """Open next year's funds from this year's, and carry over accepted proposals not ordered yet."""
    with ctx.app.app_context():
        require_schema(ctx)
        from_year = from_year or fiscal_year(utcnow().date(), ctx.app.config["FISCAL_YEAR_START_MONTH"])
        to_year = to_year or from_year + 1
        try:
            with ctx.database.transaction() as session:
                report = BudgetService(session).rollover(from_year, to_year, percent=percent)
        except errors.CatalogueError as error:
            fail(error)
    if as_json:
        click.echo(json.dumps({"from": from_year, "to": to_year, **report}))
        return
    if not report["opened"] and not report["kept"]:
        click.echo(ctx.gettext("No fund is open for %(year)s: nothing to roll over.", year=from_year))
    click.echo(ctx.gettext("Funds %(year)s: %(opened)s opened (%(codes)s), %(kept)s already open. "
                           "%(moved)s accepted proposals carried over.", year=to_year,
                           opened=len(report["opened"]), codes=", ".join(report["opened"]) or "-",
                           kept=len(report["kept"]), moved=report["moved"]))


@acquisitions.group()
def export():
    """Export acquisitions as CSV."""


@export.command("proposals")
@click.option("--status", "statuses", multiple=True, type=click.Choice(ProposalStatus.values()),
              help="Only proposals in this state (repeat for several).")
@click.option("--output", "-o", type=FilePath(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@pass_context
def export_proposals(ctx: Context, statuses: tuple[str, ...], output: Path | None):
    """Every proposal, one CSV line each."""
    with ctx.app.app_context():
        require_schema(ctx)
    with ctx.database.session() as session:
        query = select(Proposal).order_by(Proposal.id)
        if statuses:
            query = query.where(Proposal.status.in_([ProposalStatus(s) for s in statuses]))
        rows = [_proposal_row(p) for p in session.scalars(query)]
    _write(output, PROPOSAL_COLUMNS, rows)
    click.echo(ctx.ngettext("%(num)s proposal exported.", "%(num)s proposals exported.", len(rows)), err=True)


@export.command("spending")
@click.option("--year", type=int, default=None, help="The fiscal year (default: every year).")
@click.option("--output", "-o", type=FilePath(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@pass_context
def export_spending(ctx: Context, year: int | None, output: Path | None):
    """Allocated, committed, spent and remaining, per pole and year."""
    with ctx.app.app_context():
        require_schema(ctx)
    with ctx.database.session() as session:
        budgets = BudgetService(session)
        rows = [{"year": f.fund.year, "fund": f.fund.code, "allocated": f.allocated, "committed": f.committed,
                 "spent": f.spent, "remaining": f.remaining}
                for y in ([year] if year else sorted(budgets.years())) for f in budgets.figures(y)]
    _write(output, SPENDING_COLUMNS, rows)
    click.echo(ctx.ngettext("%(num)s fund exported.", "%(num)s funds exported.", len(rows)), err=True)


def _proposal_row(p: Proposal) -> dict:
    return {"id": p.id, "status": p.status.value, "title": p.title, "authors": p.authors, "publisher": p.publisher,
            "year": p.year, "edition": p.edition, "isbn": p.isbn, "issn": p.issn,
            "document_type": p.document_type.value, "pole": p.pole.value if p.pole else "",
            "reason_code": p.reason_code.value, "quantity": p.quantity, "estimated_price": p.estimated_price,
            "estimated_total": p.estimated_total, "fund": f"{p.fund.code} {p.fund.year}" if p.fund else "",
            "proposed_by": p.proposed_by.username if p.proposed_by else "",
            "created_at": p.created_at.isoformat(), "supporters": len(p.supports)}


def _write(output: Path | None, columns: tuple[str, ...], rows: list[dict]) -> None:
    stream = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    finally:
        if output:
            stream.close()
