"""``catalogue imports``: the updates an import held for review, listed,
applied or rejected (as on the run's page). Each command is one transaction."""
from __future__ import annotations

import json

import click

from accounts.permissions import EDIT_CATALOGUE
from accounts.services.accounts import AccountService
from core import errors
from core.cli import Context, fail, pass_context, require_schema
from core.i18n import N_
from importers.services.held import STATES, HeldService


@click.group("imports")
def held_group():
    """Import runs: the updates they held for review."""


@held_group.command("held")
@click.argument("run_id", type=int)
@click.option("--state", type=click.Choice(STATES), help="Only the updates in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per update (one per line).")
@pass_context
def list_held(ctx: Context, run_id: int, state: str | None, as_json: bool):
    """List the updates RUN_ID held: the work, the rule that found it, what would change."""
    with ctx.app.app_context():
        require_schema(ctx)
        with ctx.database.transaction() as session:
            service = HeldService(session)
            counts = service.counts(run_id)
            rows, _ = service.list(run_id, state=state, page=1, size=10**6)
            found = [_row(h) for h in rows]
    for row in found:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        click.echo(_line(ctx, row))
    if not as_json:
        click.echo(ctx.gettext("%(held)s waiting, %(applied)s applied, %(rejected)s rejected.", held=counts["held"],
                               applied=counts["applied"], rejected=counts["rejected"]), err=True)


@held_group.command("apply")
@click.argument("run_id", type=int)
@click.argument("held_ids", type=int, nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every update of the run still held.")
@click.option("--reason", default=None, help="Why (kept with the decision).")
@click.option("--by", "username", default=None, help="The staff account deciding (default: the system).")
@pass_context
def apply(ctx: Context, run_id: int, held_ids: tuple[int, ...], every: bool, reason, username):
    """Apply held updates of RUN_ID (their ids, or --all) to their works."""
    _decide(ctx, run_id, held_ids, every, "apply", reason, username)


@held_group.command("reject")
@click.argument("run_id", type=int)
@click.argument("held_ids", type=int, nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every update of the run still held.")
@click.option("--reason", required=True, help="Why (kept with the decision).")
@click.option("--by", "username", default=None, help="The staff account deciding (default: the system).")
@pass_context
def reject(ctx: Context, run_id: int, held_ids: tuple[int, ...], every: bool, reason, username):
    """Reject held updates of RUN_ID (their ids, or --all): their works stay as they are."""
    _decide(ctx, run_id, held_ids, every, "reject", reason, username)


def _decide(ctx: Context, run_id: int, held_ids, every: bool, decision: str, reason, username) -> None:
    if bool(held_ids) == every:
        raise click.UsageError(ctx.gettext("Give the ids of held updates, or --all."))
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                service = HeldService(session, _actor(session, username))
                if every:
                    done = service.decide_all(run_id, decision, reason=reason)
                    click.echo(ctx.gettext(
                        "%(applied)s applied, %(rejected)s rejected, %(skipped)s still held (their work changed or "
                        "was deleted since).", applied=done["applied"], rejected=done["rejected"],
                        skipped=len(done["skipped"])))
                    return
                for held_id in held_ids:
                    if decision == "apply":
                        _, outcome = service.apply(run_id, held_id, reason=reason)
                        click.echo(ctx.gettext("#%(id)s applied (%(outcome)s).", id=held_id, outcome=outcome))
                    else:
                        service.reject(run_id, held_id, reason=reason)
                        click.echo(ctx.gettext("#%(id)s rejected.", id=held_id))
        except errors.CatalogueError as error:
            fail(error)


def _actor(session, username: str | None):
    if username is None:
        return None
    user = AccountService(session).by_username(username)
    if user is None or not user.active:
        raise click.UsageError(f"No active staff account is named {username!r}.")
    if not user.can(EDIT_CATALOGUE):
        raise click.UsageError(f"{username} may not change the catalogue.")
    return user


def _row(held) -> dict:
    return {"id": held.id, "position": held.position, "record_id": held.record_id, "rule": held.rule,
            "title": [held.old_title, held.new_title], "author": [held.old_author, held.new_author],
            "state": held.state, "decided_by": held.decided_by.username if held.decided_by else None,
            "decided_at": held.decided_at.isoformat() if held.decided_at else None, "reason": held.reason}


def _line(ctx: Context, row: dict) -> str:
    """One held update in words, in the command line's language (the page's words)."""
    changes = [ctx.gettext(message, old=row[name][0] or "", new=row[name][1] or "")
               for name, message in (("title", N_("title “%(old)s” → “%(new)s”")),
                                     ("author", N_("author “%(old)s” → “%(new)s”"))) if row[name][0] != row[name][1]]
    state = {"held": ctx.gettext("Waiting"), "applied": ctx.gettext("Applied"),
             "rejected": ctx.pgettext("update", "Rejected")}[row["state"]]
    if row["decided_at"]:
        state = ctx.gettext("%(state)s by %(who)s at %(when)s", state=state,
                            who=row["decided_by"] or ctx.gettext("system"), when=row["decided_at"])
    return ctx.gettext("#%(id)s, position %(position)s, work %(work)s (found by %(rule)s): %(changes)s — %(state)s",
                       id=row["id"], position=row["position"], work=row["record_id"], rule=row["rule"],
                       changes=", ".join(changes), state=state)
