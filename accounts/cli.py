"""``catalogue users``: staff accounts and API tokens."""
from __future__ import annotations

import secrets
import sys

import click

from accounts.services import AccountService
from accounts.vocab import Role
from core import errors
from core.cli import Context, fail, pass_context, require_schema
from core.db import utcnow
from core.vocab import Pole

ROLE = click.Choice(Role.values())
POLE = click.Choice(Pole.values())


def _run(ctx: Context, action):
    """Run ``action(service)`` in one transaction, reporting domain errors."""
    with ctx.app.app_context():
        require_schema(ctx)
        try:
            with ctx.database.transaction() as session:
                return action(AccountService(session))
        except errors.CatalogueError as error:
            fail(error)


def _password(ctx: Context, password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(ctx.gettext("Password"), hide_input=True, confirmation_prompt=True)


@click.group()
def users():
    """Manage staff accounts and API tokens."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=ROLE, required=True, help="documentalist, counsellor, librarian or administrator.")
@click.option("--pole", type=POLE, help="Advice pole (required for counsellors).")
@click.option("--name", "display_name", help="Full name shown in the audit trail.")
@click.option("--email", help="Address where the account's notifications are mailed.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
@pass_context
def add(ctx, username, role, pole, display_name, email, password_stdin):
    """Create a staff account."""
    password = _password(ctx, password_stdin)
    user = _run(ctx, lambda s: s.create(username, password, role, display_name=display_name, pole=pole,
                                        email=email))
    click.echo(ctx.gettext("Account %(username)s created (%(role)s).", username=user.username, role=user.role.value))


@users.command("set-email")
@click.argument("username")
@click.argument("email", required=False)
@pass_context
def set_email(ctx, username, email):
    """Set where an account's notifications are mailed (without EMAIL: the inbox only)."""
    user = _run(ctx, lambda s: s.set_email(username, email))
    click.echo(ctx.gettext("Notifications of %(username)s go to %(email)s.", username=user.username, email=user.email)
               if user.email else
               ctx.gettext("Notifications of %(username)s stay in the inbox.", username=user.username))


@users.command("list")
@pass_context
def list_(ctx):
    """List staff accounts."""
    for user in _run(ctx, lambda s: s.list()):
        state = "" if user.active else " [" + ctx.gettext("disabled") + "]"
        if user.locked_until is not None and user.locked_until > utcnow():
            state += " [" + ctx.gettext("locked") + "]"
        pole = f" ({user.pole.value})" if user.pole else ""
        email = f" <{user.email}>" if user.email else ""
        click.echo(f"{user.username:20} {user.role.value:14}{pole} {user.display_name}{email}{state}")


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLE)
@click.option("--pole", type=POLE, help="Advice pole (required for counsellors).")
@pass_context
def set_role(ctx, username, role, pole):
    """Change an account's role."""
    user = _run(ctx, lambda s: s.set_role(username, role, pole))
    click.echo(ctx.gettext("%(username)s is now %(role)s.", username=user.username, role=user.role.value))


@users.command("reset-password")
@click.argument("username")
@click.option("--generate", is_flag=True, help="Generate a random password and print it.")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@pass_context
def reset_password(ctx, username, generate, password_stdin):
    """Set a new password and unlock the account; its open sessions end."""
    password = secrets.token_urlsafe(12) if generate else _password(ctx, password_stdin)
    _run(ctx, lambda s: s.set_password(username, password))
    click.echo(ctx.gettext("Password of %(username)s changed.", username=username)
               + (" " + ctx.gettext("New password: %(password)s", password=password) if generate else ""))


@users.command("disable")
@click.argument("username")
@pass_context
def disable(ctx, username):
    """Disable an account (it can no longer log in or use its tokens)."""
    _run(ctx, lambda s: s.set_active(username, False))
    click.echo(ctx.gettext("%(username)s disabled.", username=username))


@users.command("enable")
@click.argument("username")
@pass_context
def enable(ctx, username):
    """Enable a disabled account."""
    _run(ctx, lambda s: s.set_active(username, True))
    click.echo(ctx.gettext("%(username)s enabled.", username=username))


@users.command("token")
@click.argument("username")
@click.option("--name", default="script", show_default=True, help="What the token is for.")
@pass_context
def token(ctx, username, name):
    """Issue an API token for a script. It is shown once."""
    _, clear = _run(ctx, lambda s: s.issue_token(username, name))
    click.echo(clear)


@users.command("revoke-token")
@click.argument("prefix")
@pass_context
def revoke_token(ctx, prefix):
    """Revoke an API token, given its first 12 characters."""
    _run(ctx, lambda s: s.revoke_token(prefix))
    click.echo(ctx.gettext("Token %(prefix)s… revoked.", prefix=prefix))
