"""``catalogue acquisitions``: the year roll-over and the CSV exports, run
as the command line runs them, against the test database."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from acquisitions.cli import PROPOSAL_COLUMNS, SPENDING_COLUMNS
from cite.cli import main
from tests.acquisitions.support import budget, moved, open_fund, propose, read


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args):
        result = runner.invoke(main, ["acquisitions", *args], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result
    return invoke


def rows(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def accepted(client, staff, fund_id: int, *, supporters=(), **overrides) -> dict:
    proposal = propose(client, staff.headers("claire"), **overrides)
    for name in supporters:
        response = client.post(f"/api/v1/proposals/{proposal['id']}/supports", headers=staff.headers(name), json={})
        assert response.status_code == 201, response.get_data(as_text=True)
    moved(client, staff.headers("doc"), proposal["id"], "under_review")
    return moved(client, staff.headers("lise"), proposal["id"], "accepted", fund_id=fund_id)


def test_rollover_opens_next_years_funds_and_carries_accepted_proposals_once(client, db, staff, run):
    """2026's funds (1500 € and 800 €) open 2027's at 110 %, holders and
    thresholds kept; the accepted proposal not yet ordered moves to 2027's
    fund, the ordered one stays in 2026. A second run changes nothing."""
    holder = staff.create("karim")
    job = open_fund(db, 2026, "job_search", "1500", warning_percent=70, holder_id=holder)
    open_fund(db, 2026, "general", "800")
    waiting = accepted(client, staff, job, estimated_price="30")
    bought = accepted(client, staff, job, isbn="9782350300023", title="Le CV par l'exemple", estimated_price="20")
    moved(client, staff.headers("lise"), bought["id"], "ordered")

    result = run("rollover", "--from", "2026", "--to", "2027", "--percent", "110")
    assert "Funds 2027: 2 opened (general, job_search), 0 already open. 1 accepted proposals carried over." in (
        result.output)
    lise = staff.headers("lise")
    new = budget(client, lise, 2027)
    assert {code: (f["allocated"], f["committed"]) for code, f in new.items()} == {
        "general": ("880.00", "0.00"), "job_search": ("1650.00", "30.00")}
    assert new["job_search"]["warning_percent"] == 70
    assert read(client, lise, waiting["id"])["fund_id"] == new["job_search"]["fund_id"]
    assert read(client, lise, bought["id"])["fund_id"] == job
    assert budget(client, lise, 2026)["job_search"]["committed"] == "20.00"

    again = run("rollover", "--from", "2026", "--to", "2027", "--percent", "150", "--json")
    assert '"opened": [], "kept": ["general", "job_search"], "moved": 0' in again.output
    assert budget(client, lise, 2027) == new


def test_rollover_without_funds_says_so(run):
    result = run("rollover", "--from", "2030", "--to", "2031")
    assert "No fund is open for 2030: nothing to roll over." in result.output


def test_export_proposals_prints_csv_with_a_header(client, db, staff, run):
    fund = open_fund(db, 2026, "job_search", "500")
    first = accepted(client, staff, fund, estimated_price="12,40", quantity=3, supporters=("karim",),
                     title="Le guide du bilan de compétences ; 2e édition")
    propose(client, staff.headers("nadia"), isbn="9782350300023", title="Le CV par l'exemple", estimated_price=None)

    result = run("export", "proposals")
    header, found = rows(result.stdout)
    assert tuple(header) == PROPOSAL_COLUMNS
    assert [(r["id"], r["status"], r["title"]) for r in found] == [
        (str(first["id"]), "accepted", "Le guide du bilan de compétences ; 2e édition"),
        (str(first["id"] + 1), "proposed", "Le CV par l'exemple")]
    assert (found[0]["estimated_price"], found[0]["estimated_total"], found[0]["fund"]) == ("12.40", "37.20",
                                                                                           "job_search 2026")
    assert (found[0]["proposed_by"], found[0]["supporters"], found[0]["isbn"]) == ("claire", "1", "9782350300016")
    assert (found[1]["estimated_price"], found[1]["fund"]) == ("", "")
    assert "2 proposals exported." in result.stderr

    _, only = rows(run("export", "proposals", "--status", "proposed").stdout)
    assert [r["title"] for r in only] == ["Le CV par l'exemple"]


def test_export_spending_prints_each_funds_figures(client, db, staff, run):
    fund = open_fund(db, 2026, "job_search", "1500")
    open_fund(db, 2026, "general", "250.5")
    open_fund(db, 2027, "general", "99")
    proposal = accepted(client, staff, fund, estimated_price="20", quantity=2)
    moved(client, staff.headers("lise"), proposal["id"], "ordered", unit_price="19.95")
    moved(client, staff.headers("doc"), proposal["id"], "received", quantity=1)

    header, found = rows(run("export", "spending", "--year", "2026").stdout)
    assert tuple(header) == SPENDING_COLUMNS
    assert found == [
        {"year": "2026", "fund": "general", "allocated": "250.50", "committed": "0.00", "spent": "0.00",
         "remaining": "250.50"},
        {"year": "2026", "fund": "job_search", "allocated": "1500.00", "committed": "19.95", "spent": "19.95",
         "remaining": "1460.10"}]
    _, every_year = rows(run("export", "spending").stdout)
    assert [(r["year"], r["fund"]) for r in every_year] == [("2026", "general"), ("2026", "job_search"),
                                                            ("2027", "general")]


def test_export_writes_a_file_when_asked(client, db, staff, run, tmp_path):
    propose(client, staff.headers("claire"))
    target = tmp_path / "propositions.csv"
    run("export", "proposals", "--output", str(target))
    header, found = rows(target.read_text(encoding="utf-8"))
    assert tuple(header) == PROPOSAL_COLUMNS and len(found) == 1
