"""``catalogue weeding`` and the default rules ``catalogue init`` installs,
run as the command line runs them, against the test database."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cite.cli import main
from tests.support.french import french_n
from tests.weeding.support import rule
from thesaurus.models import Concept
from weeding.defaults import DEFAULT_RULES


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "fr"}

    def invoke(*args, code=0):
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result
    return invoke


def test_init_installs_the_default_rules_once(run):
    # The command speaks CATALOGUE_DEFAULT_LOCALE, here French.
    installed = french_n("%(num)s default weeding rule installed (see `catalogue weeding rules`).",
                         "%(num)s default weeding rules installed (see `catalogue weeding rules`).", len(DEFAULT_RULES))
    assert installed in run("init").output
    assert installed not in run("init").output
    found = json.loads(run("weeding", "rules", "--json").output)
    assert [r["name"] for r in found] == [d["name"] for d in DEFAULT_RULES]
    # No thesaurus here: rules scoped by a concept wait, inactive, for a librarian to choose one.
    assert {r["name"] for r in found if not r["active"]} == {d["name"] for d in DEFAULT_RULES
                                                             if "concept_labels" in d}
    assert all(r["justification"] for r in found)


def test_defaults_waiting_for_their_concept_take_it_once_the_thesaurus_has_it(run, db):
    run("init")
    with db.transaction() as session:
        session.add(Concept(uri="http://example.org/c/concours", pref_label_fr="Concours"))
    run("weeding", "rules", "--install-defaults")
    found = {r["name"]: r for r in json.loads(run("weeding", "rules", "--json").output)}
    assert found["Concours : guides et annales"]["active"] is True
    assert found["Concours : guides et annales"]["concept_id"] is not None
    assert found["Droit du travail"]["active"] is False


def test_open_list_and_close_a_campaign(run, db, shelf):
    rule(db, max_age_years=5)
    old = shelf.copy(year=2001, title="Préparer le concours d'attaché")
    shelf.copy(year=2001, poles=["job_search"])

    opened = json.loads(run("weeding", "open", "Parcours", "--pole", "pathway", "--json").output)
    assert opened["candidates"] == 1

    [row] = json.loads(run("weeding", "candidates", str(opened["id"]), "--format", "json").output)
    assert row["item_id"] == old.id and row["explanation"].startswith("publié en 2001")
    assert "Préparer le concours d'attaché" in run("weeding", "candidates", str(opened["id"]), "--format",
                                                     "csv").output
    report = json.loads(run("weeding", "close", str(opened["id"])).output)
    assert report["status"] == "closed" and report["totals"] == {"pending": 1}
    assert "clos" in run("weeding", "close", str(opened["id"]), code=1).output.lower()


def test_bad_input_is_a_clear_error(run):
    assert "name:" in run("weeding", "open", "", "--json", code=2).output
    assert "999" in run("weeding", "candidates", "999", code=1).output
