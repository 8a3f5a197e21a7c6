"""click's own messages (usage, help, errors, prompts), and our commands'
help, in the command line's language.

click translates them with the standard library's ``gettext``, in its default
domain, ``messages``, and in the language of the ``LANGUAGE`` variable: the
GNU gettext convention. ``speaking`` points that domain at our catalogue and
sets that variable while a command runs. The ids below are click's, listed
here so that Babel extracts them into our catalogue with ours;
tests/cite/test_cli_language.py checks the list against click's sources, so
an upgrade of click that adds a message says so.
"""
from __future__ import annotations

import contextlib
import gettext
import os
from collections.abc import Iterator

import click

from core.i18n import N_, TRANSLATIONS


def ngettext(singular: str, plural: str, n: int = 2) -> tuple[str, str]:
    """A marker for Babel, as ``N_`` is: the pair, untranslated."""
    return singular, plural


@contextlib.contextmanager
def variable(name: str, value: str) -> Iterator[None]:
    """The environment variable ``name`` is ``value`` until the block ends,
    then as it was (tests run several commands in one process)."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextlib.contextmanager
def speaking(locale: str) -> Iterator[None]:
    """click speaks ``locale`` until the block ends."""
    gettext.bindtextdomain("messages", str(TRANSLATIONS))
    with variable("LANGUAGE", locale):
        yield


def english_help(thing: click.Command | click.Parameter) -> dict[str, str | None]:
    """A command's or an option's help as written, kept aside on it the first
    time: ``in_language`` replaces the texts themselves."""
    return thing.__dict__.setdefault(
        "_english_help", {key: getattr(thing, key, None) for key in ("help", "short_help", "epilog")})


def in_language(command: click.Command) -> click.Command:
    """``command``'s help, its options' and its subcommands', in the language
    of the moment (``speaking``), from their English (``english_help``): the
    next command (the next test, in one process) starts from it."""
    for thing in (command, *command.params):
        for key, text in english_help(thing).items():
            if text:
                setattr(thing, key, gettext.gettext(text))
    cached = getattr(command, "_help_option", None)  # made by click in the language of its first use
    if cached is not None:
        cached.help = gettext.gettext("Show this message and exit.")
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            in_language(subcommand)
    return command


class FilePath(click.Path):
    """``click.Path``, whose kind ("file", "directory", "path"), named in its
    errors and metavars, is said in the language of the moment: click sets it
    once, in English, when the command is defined."""

    @property
    def name(self) -> str:
        return gettext.gettext(self._kind)

    @name.setter
    def name(self, value: str) -> None:
        self._kind = value


MESSAGES = (
    # help
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("%(prog)s, version %(version)s"), N_("default: {default}"),
    N_("env var: {var}"), N_("(dynamic)"), N_("deprecated"), N_("Confirm the action without prompting."),
    N_("DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    N_("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    # errors in what was typed
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("Missing command."), N_("No such option {name!r}."), N_("No such command {name!r}."), N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"), N_("Invalid start character for option ({option})"),
    N_("Argument {name!r} takes {nargs} values."), N_("Option {name!r} does not take a value."),
    N_("Value must be an iterable."),
    # values
    N_("Choose from:\n\t{choices}"), N_("Choice({choices})"), N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."), N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."), N_("file"), N_("directory"), N_("path"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("{name} {filename!r} is not executable."),
    # prompts and the terminal
    N_("Aborted!"), N_("Do you want to continue?"), N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."), N_("Error: invalid input"),
    N_("Press any key to continue..."), N_("{editor}: Editing failed"), N_("{editor}: Editing failed: {e}"),
    N_("d"),  # days, in a progress bar's time left
)

PLURALS = (
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."),
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    ngettext("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."),
    ngettext("{len_type} values are required, but {len_value} was given.",
             "{len_type} values are required, but {len_value} were given."),
)

# Messages about a command badly written, which only its developer meets: left in English.
FOR_DEVELOPERS = frozenset({
    "Name '{name}' defined twice", "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.", "Unknown color {colour!r}",
    "Unknown standard stream '{name}'", "Windows error: {error}",
})
