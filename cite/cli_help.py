"""The help of every ``catalogue`` command and option, as message ids.

Commands say their help in English in their definitions (docstrings, ``help=``),
where they are read; ``core.click_messages.in_language`` translates them when a
command runs. Babel cannot read docstrings as messages, so their ids are listed
in ``cite/cli_help_texts.py``, written by this module from the commands
themselves: ``python -m cite.cli_help`` after changing a command's help, then
the README's translation commands. tests/cite/test_cli_language.py fails
while the list is stale.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

TEXTS = Path(__file__).with_name("cli_help_texts.py")
HEADER = '''"""Written by ``python -m cite.cli_help`` (see there): the help of every
command and option, for Babel. Do not edit."""
from core.i18n import N_

HELP = (
'''


def help_texts() -> list[str]:
    """Every help text of the command tree, root and packages, in order, once each."""
    from cite.cli import main

    with tempfile.TemporaryDirectory() as instance:
        before = os.environ.get("CATALOGUE_INSTANCE_DIR")
        os.environ["CATALOGUE_INSTANCE_DIR"] = instance  # building the app writes its instance folder
        try:
            found: list[str] = []
            _walk(main, click.Context(main, info_name="catalogue"), found)
        finally:
            if before is None:
                os.environ.pop("CATALOGUE_INSTANCE_DIR")
            else:
                os.environ["CATALOGUE_INSTANCE_DIR"] = before
    return list(dict.fromkeys(found))


def _walk(command: click.Command, ctx: click.Context, found: list[str]) -> None:
    for thing in (command, *command.params):
        english = thing.__dict__.get("_english_help") or {
            key: getattr(thing, key, None) for key in ("help", "short_help", "epilog")}
        found += [text for text in english.values() if text]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            subcommand = command.get_command(ctx, name)
            _walk(subcommand, click.Context(subcommand, parent=ctx, info_name=name), found)


def source(texts: list[str]) -> str:
    return HEADER + "".join(f"    N_({text!r}),\n" for text in texts) + ")\n"


if __name__ == "__main__":
    TEXTS.write_text(source(help_texts()))
    print(f"{TEXTS}: {len(help_texts())} help texts")
