"""``catalogue weeding`` (rules and campaigns) and ``catalogue reports``
(the named reports). Each command is one transaction."""
from __future__ import annotations

import csv
import json
import sys

import click
from flask_babel import force_locale, gettext

from core import errors, reporting
from core import reports as named_reports
from core.cli import Context, fail, pass_context, require_schema
from core.vocab import Pole
from weeding.present import campaign_json, candidate_json
from weeding.services.campaigns import CampaignService
from weeding.services.rules import RuleService, install_defaults, rule_fields


@click.group()
def weeding():
    """Weeding rules and campaigns."""


@weeding.command("rules")
@click.option("--install-defaults", "defaults", is_flag=True,
              help="Write the career-advice defaults when no rule exists yet.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@pass_context
def rules(ctx: Context, defaults: bool, as_json: bool):
    """The rules, in the order they judge."""
    with ctx.app.app_context():
        require_schema(ctx)
        with ctx.database.transaction() as session:
            added = install_defaults(session) if defaults else 0
            found = [{"id": r.id, **rule_fields(r)} for r in RuleService(session).list()]
    if as_json:
        click.echo(json.dumps(found, default=str))
        return
    if defaults:
        click.echo(ctx.ngettext("%(num)s default rule installed.", "%(num)s default rules installed.", added)
                   if added else ctx.gettext("Rules exist already: nothing installed."), err=True)
    for rule in found:
        criteria = ", ".join(f"{k}={rule[k]}" for k in ("max_age_years", "max_unused_years", "low_use_min",
                                                        "low_use_years", "periodical_keep_years")
                             if rule[k] is not None)
        scope = ", ".join(f"{k}={rule[k]}" for k in ("document_type", "pole", "call_number_prefix", "concept_id")
                          if rule[k]) or ctx.gettext("everything")
        flags = "superseded " if rule["superseded"] else ""
        state = "" if rule["active"] else " (" + ctx.gettext("inactive") + ")"
        click.echo(f"{rule['position']:>5} #{rule['id']} {rule['name']}{state}: {scope} — {criteria} {flags}"
                   f"{('conditions=' + '/'.join(rule['conditions'])) if rule['conditions'] else ''}".rstrip())


@weeding.command("open")
@click.argument("name")
@click.option("--pole", "poles", multiple=True, type=click.Choice(Pole.values()), help="Repeat for several.")
@click.option("--type", "document_types", multiple=True, help="A document type (repeat for several).")
@click.option("--shelf", default=None, help="The beginning of a call number, e.g. \"PAR 1\".")
@click.option("--rule", "rule_ids", multiple=True, type=int, help="A rule id (default: every active rule).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_context
def open_campaign(ctx: Context, name: str, poles, document_types, shelf, rule_ids, as_json: bool):
    """Open a campaign and compute its candidates."""
    scope = {k: v for k, v in (("poles", list(poles)), ("document_types", list(document_types)),
                               ("shelf", shelf)) if v}
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                campaign = CampaignService(session).open({"name": name, "scope": scope,
                                                          "rules": list(rule_ids) or None})
                data = campaign_json(session, campaign)
        except errors.CatalogueError as error:
            fail(error)
    if as_json:
        click.echo(json.dumps(data))
        return
    click.echo(ctx.ngettext("Campaign %(id)s “%(name)s” opened: %(num)s candidate.",
                            "Campaign %(id)s “%(name)s” opened: %(num)s candidates.", data["candidates"],
                            id=data["id"], name=data["name"]))


@weeding.command("candidates")
@click.argument("campaign_id", type=click.IntRange(min=1))
@click.option("--state", type=click.Choice(["all", "pending", "decided", "excluded", "kept_by_vote"]),
              default="all", show_default=True)
@click.option("--format", "output", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@pass_context
def candidates(ctx: Context, campaign_id: int, state: str, output: str):
    """A campaign's candidates with their reasons, in the catalogue's default language."""
    locale = ctx.app.config["BABEL_DEFAULT_LOCALE"]
    with ctx.app.app_context(), force_locale(locale):
        require_schema(ctx)
        rows = []
        try:
            with ctx.database.session() as session:
                page, size = 1, 500
                while True:
                    found, total = CampaignService(session).candidates(campaign_id, state=state, page=page,
                                                                       size=size)
                    rows += [candidate_json(c, gettext, locale) for c in found]
                    if page * size >= total:
                        break
                    page += 1
        except errors.CatalogueError as error:
            fail(error)
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False))
    elif output == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["item_id", "barcode", "title", "year", "call_number", "decision", "explanation"])
        writer.writerows([r["item_id"], r["barcode"], r["title"], r["year"], r["call_number"] or "",
                          r["decision"] or "", r["explanation"]] for r in rows)
    else:
        for row in rows:
            click.echo(f"{row['barcode']}  {row['title']} ({row['year'] or '?'}) — {row['explanation']}")
        click.echo(ctx.ngettext("%(num)s candidate.", "%(num)s candidates.", len(rows)), err=True)


@weeding.command("close")
@click.argument("campaign_id", type=click.IntRange(min=1))
@pass_context
def close(ctx: Context, campaign_id: int):
    """Close a campaign: its report gets the age profile after."""
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                campaign = CampaignService(session).close(campaign_id)
                data = campaign_json(session, campaign, detail=True)
        except errors.CatalogueError as error:
            fail(error)
    click.echo(json.dumps(data["report"], ensure_ascii=False))


@click.group()
def reports():
    """Named reports: list them, run one now, set when they run and for whom."""


@reports.command("list")
@pass_context
def list_reports(ctx: Context):
    """Each report with its schedule, recipients and last run."""
    with ctx.app.app_context():
        require_schema(ctx)
        with ctx.database.session() as session:
            latest = reporting.last_runs(session)
            for report in named_reports.all():
                schedule = reporting.schedule_of(session, report)
                last = latest.get(report.name)
                click.echo(f"{report.name}: {gettext(report.title)}")
                words = {"schedule": gettext("schedule"), "recipients": gettext("recipients"),
                         "last_run": gettext("last run")}
                click.echo(f"  {words['schedule']}: {schedule.cron}{_off(schedule)}{_params(schedule.params)}")
                click.echo(f"  {words['recipients']}: {', '.join(schedule.recipients) or '-'}")
                click.echo(f"  {words['last_run']}: {_last(last)}")


def _params(params: dict) -> str:
    return f" ({', '.join(f'{k}={v}' for k, v in params.items())})" if params else ""


def _off(schedule) -> str:
    """ " (switched off)" for a schedule switched off; within an app context."""
    return "" if schedule.active else " (" + gettext("switched off") + ")"


def _last(run) -> str:
    """The last run, in words; within an app context (gettext)."""
    if run is None:
        return gettext("never")
    return gettext("%(when)s UTC, %(rows)s rows (run %(id)s, %(trigger)s)", when=f"{run.started_at:%Y-%m-%d %H:%M}",
                   rows=run.row_count, id=run.id, trigger=run.trigger)


@reports.command("run")
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter for this run, e.g. years=2 (repeat for several).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_context
def run_report(ctx: Context, name: str, params: tuple[str, ...], as_json: bool):
    """Run report NAME now: keep the run and mail it to its recipients."""
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            values = reporting.parse_pairs(params)
            with ctx.database.transaction() as session:
                done = reporting.run(session, name, params=values, site_url=ctx.app.config["SITE_URL"])
                result = {"run": done.id, "rows": done.row_count, "report": name,
                          "columns": list(done.columns), "mailed_to": list(done.mailed_to)}
        except errors.CatalogueError as error:
            fail(error)
    if as_json:
        click.echo(json.dumps(result))
        return
    page = ctx.app.config["SITE_URL"].rstrip("/") + reporting.RUN_PATH % result["run"]
    click.echo(ctx.gettext("%(name)s: %(rows)s rows (run %(run)s). Mailed to: %(recipients)s.", name=name,
                           rows=result["rows"], run=result["run"],
                           recipients=", ".join(result["mailed_to"]) or ctx.gettext("nobody")))
    click.echo(ctx.gettext("Page: %(page)s  CSV: %(page)s.csv", page=page))


@reports.command("schedule")
@click.argument("name")
@click.option("--cron", help="A crontab line: minute hour day month weekday, e.g. '0 7 * * 1'.")
@click.option("--recipients", help="E-mail addresses separated by commas ('' for nobody).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter, e.g. years=3 (repeat for several).")
@click.option("--active/--inactive", default=None, help="Switch the schedule on or off.")
@pass_context
def schedule_report(ctx: Context, name: str, cron: str | None, recipients: str | None,
                    params: tuple[str, ...], active: bool | None):
    """Show report NAME's schedule, or change it."""
    data = {key: value for key, value in (("cron", cron), ("recipients", recipients), ("active", active))
            if value is not None}
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            if params:
                data["params"] = reporting.parse_pairs(params)
            with ctx.database.transaction() as session:
                if data:
                    schedule = reporting.ScheduleService(session).save(name, data)
                else:
                    schedule = reporting.schedule_of(session, named_reports.get(name))
        except errors.CatalogueError as error:
            fail(error)
    with ctx.app.app_context():
        recipients = gettext("recipients")
        click.echo(f"{name}: {schedule.cron}{_off(schedule)}{_params(schedule.params)}; "
                   f"{recipients}: {', '.join(schedule.recipients) or '-'}")
    if "cron" in data or "active" in data:
        click.echo(ctx.gettext("The running scheduler picks the change up within five minutes."))
