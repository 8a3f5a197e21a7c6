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

import tempfile
from pathlib import Path

import click

from core.click_messages import english_help, variable

TEXTS = Path(__file__).with_name("cli_help_texts.py")
HEADER = '''"""Written by ``python -m cite.cli_help`` (see there): the help of every
command and option, for Babel. Do not edit."""
from core.i18n import N_

HELP = (
'''


def help_texts() -> list[str]:
    """Every help text of the command tree, root and packages, in order, once each."""
    from cite.cli import main

    found: list[str] = []
    # building the app writes its instance folder: a throwaway one
    with tempfile.TemporaryDirectory() as instance, variable("CATALOGUE_INSTANCE_DIR", instance):
        _walk(main, click.Context(main, info_name="catalogue"), found)
    return list(dict.fromkeys(found))


def _walk(command: click.Command, ctx: click.Context, found: list[str]) -> None:
    for thing in (command, *command.params):
        found += [text for text in english_help(thing).values() if text]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            subcommand = command.get_command(ctx, name)
            _walk(subcommand, click.Context(subcommand, parent=ctx, info_name=name), found)


def source(texts: list[str]) -> str:
    return HEADER + "".join(f"    N_({text!r}),\n" for text in texts) + ")\n"


if __name__ == "__main__":
    texts = help_texts()
    TEXTS.write_text(source(texts))
    print(f"{TEXTS}: {len(texts)} help texts")
