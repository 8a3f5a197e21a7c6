"""The importers' commands: ``catalogue import``, ``export``, ``harvest`` and
``imports`` (the updates held for review; registered by ``importers.init_app``)."""
from importers.cli.export import export
from importers.cli.harvest import harvest
from importers.cli.held import held_group
from importers.cli.imports import import_command

COMMANDS = {"import": import_command, "export": export, "harvest": harvest, "imports": held_group}
