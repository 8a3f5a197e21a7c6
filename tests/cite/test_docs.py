"""The README stays true: every setting and every CLI command and option is
documented, and CI runs the README's test command."""
from __future__ import annotations

import re
from pathlib import Path

import click

from cite.cli import main
from core.config import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "catalogue", parent: click.Context | None = None):
    """Every command, the root's and those the packages register (listed through the app)."""
    context = click.Context(group, info_name=prefix.rsplit(" ", 1)[-1], parent=parent)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path, context)
        else:
            yield path, command


def test_every_setting_is_in_the_configuration_table():
    table = {m.group(1) for m in re.finditer(r"^\| `(CATALOGUE_[A-Z_]+)` \|", README, re.M)}
    declared = {s.name for s in SETTINGS}
    assert declared - table == set(), "settings missing from the README table"
    assert table - declared == set(), "README documents settings that do not exist"


def test_every_command_and_option_is_documented():
    missing = []
    for path, command in _commands(main):
        if f"`{path}" not in README:
            missing.append(path)
            continue
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    if opt.startswith("--") and opt not in README:
                        missing.append(f"{path} {opt}")
    assert missing == []


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_the_second():
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert len(blocks) == 2
    serve, test = blocks
    assert "catalogue init" in serve and "catalogue demo" in serve and "catalogue serve" in serve
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci


def test_setup_cfg_declares_the_console_script_and_test_extra():
    setup = (ROOT / "setup.cfg").read_text()
    assert "catalogue = cite.cli:main" in setup
    assert re.search(r"^test =", setup, re.M)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "[project]" not in pyproject, "pyproject.toml may only name the build system"


def test_every_thesaurus_check_code_is_in_the_checks_table():
    from thesaurus.skos.findings import CODES

    section = README.split("### Thesaurus checks", 1)[1].split("\n### ", 1)[0]
    table = {line.split("|")[1].strip(" `"): line.split("|")[2].strip()
             for line in section.splitlines() if line.startswith("| `") and "Severity" not in line}
    assert table == {code: severity for code, (severity, _) in CODES.items()}


def test_the_readme_table_of_proposal_states_is_the_code_s():
    """acquisitions/workflow.py is the one table of moves; the README shows it, with who may."""
    from accounts.permissions import roles_with
    from acquisitions.workflow import MOVES

    section = README.split("### The states of a proposal", 1)[1].split("\n### ", 1)[0]
    documented = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.split("|")]
            documented[(cells[1].strip("`"), cells[2].strip("`"))] = cells[3]
    expected = {(move.source.value, move.target.value): "its proposer" if move.proposer_only else
                ", ".join(role.value for role in roles_with(move.permission) if role.value != "administrator")
                for move in MOVES}
    assert documented == expected
