"""The reports as the staff meet them: the pages (every staff member reads,
librarians run and schedule), a run's rows as a table and as CSV, and the
JSON API."""
from __future__ import annotations

import csv
import io
import re

from core import reporting
from tests.support.factories import PASSWORD, csrf_token, login
from tests.weeding.support import years_ago

NAMES = ["proposals-waiting", "stale-items", "past-age", "periodicals-beyond-retention", "missing-items",
         "items-in-processing"]
HUGE = "99999999999999999999999"


def fields_in_error(html: str) -> set[str]:
    return set(re.findall(r'id="([\w-]+)-errors"', html))


def test_staff_read_the_reports_and_librarians_run_them(client, db, staff, shelf):
    forgotten = shelf.copy(title="Le CV en 10 leçons", uses=[years_ago(5)])
    staff.create("claire")
    staff.create("lise")
    login(client, "claire", PASSWORD)
    listing = client.get("/staff/reports?lang=en").get_data(as_text=True)
    for name in NAMES:
        assert f'id="report-{name}"' in listing
    assert "Stale items" in listing and "0 7 * * 1" in listing and "never" in listing
    page = client.get("/staff/reports/stale-items").get_data(as_text=True)
    assert 'id="run-now"' not in page and 'id="schedule-form"' not in page
    token = csrf_token(client, "/staff/reports")
    assert client.post("/staff/reports/stale-items/runs", data={"csrf_token": token}).status_code == 403

    client.post("/logout", data={"csrf_token": token})
    login(client, "lise", PASSWORD)
    page = client.get("/staff/reports/stale-items").get_data(as_text=True)
    assert 'id="run-now"' in page and 'id="schedule-form"' in page
    assert client.post("/staff/reports/stale-items/runs", data={}).status_code == 400  # no CSRF token
    done = client.post("/staff/reports/stale-items/runs", data={"csrf_token": csrf_token(client, "/staff/reports")})
    assert done.status_code == 302
    run_page = done.headers["Location"]
    run_id = int(run_page.rsplit("/", 1)[1])
    table = client.get(run_page + "?lang=en").get_data(as_text=True)
    assert "<th scope=\"col\">Barcode</th>" in table and f"<td>{forgotten.barcode}</td>" in table
    assert "<td>Le CV en 10 leçons</td>" in table

    download = client.get(f"/staff/reports/runs/{run_id}.csv")
    assert download.status_code == 200 and download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data().decode("utf-8"))))
    assert rows[0] == ["item_id", "barcode", "title", "call_number", "poles", "last_use", "acquired_on", "uses"]
    assert rows[1][:3] == [str(forgotten.id), forgotten.barcode, "Le CV en 10 leçons"] and rows[1][7] == "1"
    assert len(rows) == 2

    listing = client.get("/staff/reports?lang=en").get_data(as_text=True)
    assert f'href="/staff/reports/runs/{run_id}"' in listing and "1 row" in listing
    for path in ("/staff/reports/nope", f"/staff/reports/runs/{HUGE}", f"/staff/reports/runs/{HUGE}.csv",
                 "/staff/reports/runs/0"):
        assert client.get(path).status_code == 404, path


def test_runs_are_listed_newest_first_a_page_at_a_time(client, db, staff):
    staff.create("claire")
    with db.transaction() as session:
        ids = [reporting.run(session, "missing-items").id for _ in range(27)]
    login(client, "claire", PASSWORD)
    first = client.get("/staff/reports/missing-items?lang=en").get_data(as_text=True)
    assert first.index(f"/staff/reports/runs/{ids[-1]}\"") < first.index(f"/staff/reports/runs/{ids[-2]}\"")
    assert f"/staff/reports/runs/{ids[1]}\"" not in first and "27 runs" in first
    second = client.get("/staff/reports/missing-items?page=2").get_data(as_text=True)
    assert f"/staff/reports/runs/{ids[0]}\"" in second and f"/staff/reports/runs/{ids[-1]}\"" not in second


def test_the_schedule_form_checks_each_field_and_refuses_a_stale_version(client, staff):
    staff.create("lise")
    login(client, "lise", PASSWORD)
    url = "/staff/reports/stale-items"
    token = csrf_token(client, url)

    def save(version="0", **fields):
        data = {"csrf_token": token, "cron": "0 7 * * 1", "recipients": "", "param_years": "3", "active": "y",
                "version": version, **fields}
        return client.post(f"{url}/schedule", data=data)

    bad = save(cron="tous les lundis", recipients="lise@", param_years="zéro")
    assert bad.status_code == 422
    assert fields_in_error(bad.get_data(as_text=True)) == {"cron", "recipients", "param_years"}
    saved = save(cron="30 6 * * 1-5", recipients="lise@cdm.example, paul@cdm.example", param_years="4")
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "30 6 * * 1-5" in page and "lise@cdm.example, paul@cdm.example" in page
    assert 'name="version" type="hidden" value="1"' in page

    stale = save(cron="0 8 * * 1")  # the form read before the save above
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert 'id="conflict"' in html and "30 6 * * 1-5" in html and 'name="version" type="hidden" value="1"' in html
    assert save(version="1", active="").status_code == 302  # unticked: switched off
    assert "0 7 * * 1" in client.get(url).get_data(as_text=True)


def test_the_api_lists_runs_and_schedules_reports(client, staff, shelf):
    shelf.copy(uses=[years_ago(5)])
    reader, librarian = staff.headers("claire"), staff.headers("lise")

    listed = client.get("/api/v1/reports", headers=reader)
    assert listed.status_code == 200
    items = {item["name"]: item for item in listed.get_json()["items"]}
    assert list(items) == NAMES
    stale = items["stale-items"]
    assert stale["schedule"] == {"name": "stale-items", "cron": "0 7 * * 1", "recipients": [],
                                 "params": {"years": 3}, "active": True, "version": 0}
    assert stale["last_run"] is None and stale["params"][0]["name"] == "years"
    assert [c["key"] for c in stale["columns"]][:2] == ["item_id", "barcode"]

    assert client.post("/api/v1/reports/stale-items/runs", headers=reader, json={}).status_code == 403
    assert client.post("/api/v1/reports/nope/runs", headers=librarian, json={}).status_code == 404
    refused = client.post("/api/v1/reports/stale-items/runs", headers=librarian, json={"params": {"years": "x"}})
    assert refused.status_code == 422 and "params.years" in refused.get_json()["error"]["fields"]
    created = client.post("/api/v1/reports/stale-items/runs", headers=librarian, json={})
    assert created.status_code == 201
    body = created.get_json()
    assert body["row_count"] == 1 and body["trigger"] == "manual" and "rows" not in body
    empty = client.post("/api/v1/reports/stale-items/runs", headers=librarian, json={"params": {"years": 20}})
    assert empty.get_json()["row_count"] == 0 and empty.get_json()["params"] == {"years": 20}

    run = client.get(f"/api/v1/reports/runs/{body['id']}", headers=reader).get_json()
    assert run["rows"][0][1] == "W000001" and run["columns"][1] == "barcode"
    for path in (f"/api/v1/reports/runs/{HUGE}", "/api/v1/reports/runs/0", "/api/v1/reports/nope",
                 "/api/v1/reports/nope/runs"):
        assert client.get(path, headers=reader).status_code == 404, path
    runs = client.get("/api/v1/reports/stale-items/runs?size=1", headers=reader).get_json()
    assert runs["total"] == 2 and [r["id"] for r in runs["items"]] == [empty.get_json()["id"]]
    assert client.get("/api/v1/reports/stale-items", headers=reader).get_json()["last_run"]["row_count"] == 0

    patch = "/api/v1/reports/stale-items/schedule"
    assert client.patch(patch, headers=reader, json={"version": 0}).status_code == 403
    bad = client.patch(patch, headers=librarian, json={"version": 0, "cron": "* *", "recipients": ["x"]})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"cron", "recipients"}
    saved = client.patch(patch, headers=librarian, json={"version": 0, "recipients": ["lise@cdm.example"]})
    assert saved.status_code == 200 and saved.get_json()["version"] == 1
    assert client.patch(patch, headers=librarian, json={"version": 0, "active": False}).status_code == 409

    spec = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/api/v1/reports", "/api/v1/reports/{name}/runs", "/api/v1/reports/runs/{run_id}"):
        assert path in spec
    assert "201" in spec["/api/v1/reports/{name}/runs"]["post"]["responses"]
