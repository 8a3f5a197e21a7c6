"""`catalogue search`, `catalogue reindex`, and every command leaving the
index current (imports, the demo)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pymarc import Field, Indicators, Subfield
from pymarc import Record as Marc

from cite.cli import main
from core.outbox import waiting
from tests.support.factories import make_record


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args):
        return runner.invoke(main, list(map(str, args)), env=env, catch_exceptions=False)
    return invoke


def search(run, *args) -> dict:
    result = run("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_demo_is_searchable_as_soon_as_it_is_loaded(run):
    assert run("demo", "--no-accounts").exit_code == 0
    body = search(run, "VAE", "--size", "50")
    assert "Rédiger son dossier de validation" in [hit["title"] for hit in body["hits"]]
    assert body["concepts"][0]["label"] == "Validation des acquis de l'expérience"
    text = run("search", "formations").output
    assert "works found." in text and "Financer sa formation" in text


def test_filters_sort_and_pages(run, db):
    for title, kind in (("Guide des formations", "book"), ("Annuaire des formations", "periodical"),
                        ("Formations en ligne", "website")):
        make_record(db, title=title, document_type=kind, isbn=None,
                    url="https://example.org" if kind == "website" else None)
    assert run("reindex").exit_code == 0
    body = search(run, "formation", "--filter", "document_type=book", "--filter", "document_type=periodical",
                  "--sort", "title")
    assert [hit["title"] for hit in body["hits"]] == ["Annuaire des formations", "Guide des formations"]
    body = search(run, "formation", "--sort", "title", "--size", "1", "--page", "3")
    assert body["total"] == 3 and [hit["title"] for hit in body["hits"]] == ["Guide des formations"]


def test_a_typing_mistake_finds_the_work_marked_as_a_close_spelling(run, db):
    make_record(db, title="Réussir son entretien d'embauche", isbn=None)
    assert run("reindex").exit_code == 0
    body = search(run, "entretein", "d'embauche")
    assert [(hit["title"], hit["approximate"]) for hit in body["hits"]] == [("Réussir son entretien d'embauche", True)]
    assert body["approximate"] == 1 and body["suggestion"] == "entretien d'embauche"
    text = run("search", "entretein", "d'embauche").output
    assert "found through a close spelling" in text and "~ Réussir son entretien d'embauche" in text


def test_a_bad_filter_is_refused_with_the_facet_names(run):
    result = run("search", "x", "--filter", "colour=blue")
    assert result.exit_code == 2 and "document_type" in result.output


def test_reindex_reports_the_count_and_empties_the_outbox(run, db):
    make_record(db, title="Un métier d'avenir", isbn=None)
    assert waiting(db) == 1
    result = run("reindex")
    assert result.exit_code == 0 and "1 works" in result.output
    assert waiting(db) == 0
    assert search(run, "avenir")["total"] == 1


def test_imported_records_are_searchable_when_the_import_ends(run, db, tmp_path):
    marc = Marc(force_utf8=True)
    marc.leader = marc.leader[:6] + "am" + marc.leader[8:]
    marc.add_field(Field("001", data="imp-1"))
    marc.add_field(Field("245", Indicators("1", "0"), [Subfield("a", "Le métier de soudeur")]))
    path = tmp_path / "one.mrc"
    path.write_bytes(marc.as_marc())
    assert run("import", path, "--json").exit_code == 0
    assert waiting(db) == 0
    assert [hit["title"] for hit in search(run, "soudeurs")["hits"]] == ["Le métier de soudeur"]
