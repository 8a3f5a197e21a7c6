"""The importers' commands: ``catalogue import``, ``export`` and ``harvest``
(registered by ``importers.init_app``)."""
from importers.cli.export import export
from importers.cli.harvest import harvest
from importers.cli.imports import import_command

COMMANDS = {"import": import_command, "export": export, "harvest": harvest}
