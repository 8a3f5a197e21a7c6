"""click's own words (usage, errors in the arguments, prompts) speak the
command line's language, CATALOGUE_DEFAULT_LOCALE, as its other messages do."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from babel.messages.extract import extract_from_dir
from click.testing import CliRunner

from cite.cli import main
from core import click_messages

ROOT = Path(__file__).resolve().parents[2]


def _invoke(tmp_path, locale: str | None, *args: str):
    env = {"CATALOGUE_INSTANCE_DIR": str(tmp_path), "CATALOGUE_LOG_LEVEL": "WARNING"}
    if locale:
        env["CATALOGUE_DEFAULT_LOCALE"] = locale
    return CliRunner().invoke(main, list(args), env=env, prog_name="catalogue")


def test_a_missing_argument_is_said_in_french_by_default(tmp_path):
    result = _invoke(tmp_path, None, "import")
    assert result.exit_code == 2
    assert "Utilisation : catalogue import [OPTIONS] FILES..." in result.output
    assert "Erreur : Argument manquant 'FILES...'." in result.output
    assert "Usage:" not in result.output and "Error:" not in result.output


def test_a_bad_choice_and_a_missing_file_in_french(tmp_path):
    result = _invoke(tmp_path, "fr", "import", "--format", "marc22", str(tmp_path / "absent.mrc"))
    assert result.exit_code == 2
    assert "Valeur non valide pour '--format' : 'marc22' n'est pas parmi 'auto', 'marc21', 'unimarc'." \
        in result.output
    result = _invoke(tmp_path, "fr", "import", str(tmp_path / "absent.mrc"))
    assert f"Fichier '{tmp_path / 'absent.mrc'}' n'existe pas." in result.output


def test_an_unknown_command_in_french_then_in_english(tmp_path):
    french = _invoke(tmp_path, "fr", "imprt")
    assert "Erreur : La commande 'imprt' n'existe pas." in french.output
    english = _invoke(tmp_path, "en", "imprt")
    assert "Error: No such command 'imprt'." in english.output


def test_the_language_is_put_back_after_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    assert "Erreur" in _invoke(tmp_path, "fr", "import").output
    assert os.environ["LANGUAGE"] == "en"
    # and click, outside a command, speaks as the process was told
    assert click.BadParameter("x").format_message().startswith("Invalid value")


def test_the_installed_command_says_it_in_french(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env.update({"CATALOGUE_INSTANCE_DIR": str(tmp_path), "LANG": "C.UTF-8", "LANGUAGE": ""})
    result = subprocess.run([str(Path(sys.executable).with_name("catalogue")), "--help"],
                            env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Utilisation : catalogue [OPTIONS] COMMAND [ARGS]...")
    assert "Afficher ce message et quitter." in result.stdout and "Commandes" in result.stdout


def test_every_message_click_can_show_a_user_is_in_the_catalogue():
    """An upgrade of click that adds a message fails here, until it is listed
    (core/click_messages.py) and translated."""
    found = set()
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
            os.path.dirname(click.__file__), method_map=[("**.py", "python")], keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    listed = set(click_messages.MESSAGES) | {singular for singular, _plural in click_messages.PLURALS}
    assert found - click_messages.FOR_DEVELOPERS == listed


def test_the_list_of_help_texts_is_current():
    """Babel reads the commands' help from cite/cli_help_texts.py: written from
    the commands themselves, it must still match them."""
    from cite import cli_help, cli_help_texts

    assert list(cli_help_texts.HELP) == cli_help.help_texts(), "run: python -m cite.cli_help, then translate"


def test_the_help_of_a_command_and_of_its_options_in_french_then_in_english(tmp_path):
    french = _invoke(tmp_path, "fr", "import", "--help")
    assert french.exit_code == 0
    assert "Import MARC records" not in french.output
    assert "Afficher ce message et quitter." in french.output
    english = _invoke(tmp_path, "en", "import", "--help")
    assert "Import MARC records (ISO 2709 or MARCXML, MARC21 or UNIMARC) from FILES." in english.output
    assert "Show this message and exit." in english.output
    # a group's subcommands too, listed with their short help
    listing = _invoke(tmp_path, "fr", "users", "--help")
    assert "Manage staff accounts" not in listing.output


def test_the_password_prompt_in_french(database_url, tmp_path):
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "fr"}
    result = CliRunner().invoke(main, ["users", "add", "marie", "--role", "documentalist"], env=env,
                                input="un mot de passe long\nautre chose\nun mot de passe long\nun mot de passe long\n",
                                prog_name="catalogue")
    assert result.exit_code == 0, result.output
    assert "Mot de passe: " in result.output and "Répétez pour confirmer: " in result.output
    assert "Erreur : les deux valeurs saisies ne correspondent pas." in result.output
    assert "Password" not in result.output and "Repeat" not in result.output
