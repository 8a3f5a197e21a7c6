"""`catalogue thesaurus import / export / check`, as an administrator runs them."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cite.cli import main
from tests.support.french import french, french_n
from tests.thesaurus.skos_samples import VERSION_1, VERSION_2, WITH_CYCLE, WITH_ENTITY
from thesaurus.skos.checks import check
from thesaurus.skos.read import normalise, read


@pytest.fixture
def cli(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args, locale="en"):
        return runner.invoke(main, ["thesaurus", *map(str, args)],
                             env={**env, "CATALOGUE_DEFAULT_LOCALE": locale}, catch_exceptions=False)
    return invoke


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("v1.ttl", VERSION_1), ("v2.ttl", VERSION_2), ("cycle.ttl", WITH_CYCLE)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    paths["entity.rdf"] = tmp_path / "entity.rdf"
    paths["entity.rdf"].write_bytes(WITH_ENTITY)
    return paths


def test_import_prints_what_changed(cli, files, db):
    result = cli("import", files["v1.ttl"])
    assert result.exit_code == 0, result.output
    assert "v1.ttl: 6 added, 0 changed, 0 deprecated, 0 unchanged; 0 stored concepts absent" in result.output
    result = cli("import", files["v2.ttl"])
    assert result.exit_code == 0, result.output
    assert "v2.ttl: 1 added, 2 changed, 1 deprecated, 2 unchanged; 1 stored concepts absent" in result.output
    assert "Dropped: http://example.org/thesaurus/metier" in result.output


def test_import_json_counts_and_uris(cli, files, db):
    cli("import", files["v1.ttl"])
    report = json.loads(cli("import", "--json", files["v2.ttl"]).stdout)
    assert report["applied"] and not report["dry_run"]
    assert report["counts"] == {"added": 1, "changed": 2, "deprecated": 1, "unchanged": 2, "dropped": 1}
    assert report["dropped"] == ["http://example.org/thesaurus/metier"]
    assert {"code", "severity", "concepts", "message"} <= set(report["findings"][0])


def test_dry_run_writes_nothing(cli, files, db):
    result = cli("import", "--dry-run", files["v1.ttl"])
    assert result.exit_code == 0 and "dry run, nothing written" in result.output
    again = json.loads(cli("import", "--json", files["v1.ttl"]).stdout)
    assert again["counts"]["added"] == 6


def test_a_refused_import_exits_2_and_names_the_loop(cli, files, db):
    result = cli("import", files["cycle.ttl"])
    assert result.exit_code == 2
    assert "hierarchy_cycle" in result.output and "Emploi" in result.output
    assert "import refused, nothing was changed" in result.output
    refused = json.loads(cli("import", "--json", files["cycle.ttl"]).stdout)
    assert refused["refused"] and not refused["applied"]
    assert refused["findings"][0]["message"]["en"].startswith("The hierarchy loops back on itself")
    assert json.loads(cli("import", "--json", files["v1.ttl"]).stdout)["counts"]["added"] == 6


def test_an_unreadable_file_exits_2_with_the_reason(cli, files, db):
    result = cli("import", files["entity.rdf"])
    assert result.exit_code == 2 and "entities" in result.output


def test_export_to_stdout_and_to_a_file_in_both_formats(cli, files, db, tmp_path):
    cli("import", files["v1.ttl"])
    result = cli("export")
    assert result.exit_code == 0 and "Salaire minimum" in result.stdout
    assert "6 concepts exported." in result.stderr
    target = tmp_path / "out.rdf"
    result = cli("export", "--format", "rdfxml", "--output", target, "--scheme", "http://example.org/thesaurus/scheme")
    assert result.exit_code == 0 and target.read_bytes().startswith(b"<?xml")
    assert json.loads(cli("import", "--json", target).stdout)["counts"]["unchanged"] == 6


def test_check_a_file_and_the_stored_thesaurus(cli, files, db):
    result = cli("check", files["cycle.ttl"])
    assert result.exit_code == 2 and "hierarchy_cycle" in result.output
    report = json.loads(cli("check", "--json", files["cycle.ttl"]).stdout)
    assert report["errors"] >= 1 and report["findings"][0]["code"] == "hierarchy_cycle"
    assert cli("check", files["v1.ttl"]).exit_code == 0
    cli("import", files["v1.ttl"])
    result = cli("check")
    assert result.exit_code == 0 and "The stored thesaurus: 0 errors" in result.output
    assert json.loads(cli("check", "--json").stdout)["errors"] == 0


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_command_speaks_one_language_the_default_locale(cli, files, db, locale):
    """Findings and the command's own words both follow CATALOGUE_DEFAULT_LOCALE
    (French by default): no French finding inside English sentences, nor the reverse."""
    say = french if locale == "fr" else (lambda message, **params: message % params if params else message)
    say_n = french_n if locale == "fr" else (
        lambda one, many, n, **params: (one if n == 1 else many) % {"num": n, **params})
    graph = normalise(read(files["cycle.ttl"]))
    findings = check(graph)
    errors = sum(f.is_error for f in findings)
    result = cli("check", files["cycle.ttl"], locale=locale)
    assert result.exit_code == 2
    first = findings[0]
    assert f"{say('error')} {first.code}: {first.text(locale)}" in result.output
    where = say_n("%(file)s (%(num)s concept)", "%(file)s (%(num)s concepts)", len(graph.concepts),
                  file="cycle.ttl")
    summary = say("%(where)s: %(errors)s, %(warnings)s.", where=where,
                  errors=say_n("%(num)s error", "%(num)s errors", errors),
                  warnings=say_n("%(num)s warning", "%(num)s warnings", len(findings) - errors))
    assert summary in result.output
    if locale == "fr":
        assert first.text("fr") != first.text("en")  # the French catalogue names the finding in French
        assert first.text("en") not in result.output
