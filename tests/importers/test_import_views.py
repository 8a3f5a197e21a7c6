"""Staff pages of import runs: counts, rejects with their reasons, the rejects file."""
from __future__ import annotations

from pymarc import Field, Indicators, Subfield
from pymarc import Record as Marc

from importers.marc.runner import import_file
from tests.support.factories import login, make_user


def _delivery(tmp_path):
    good = Marc(leader="00000nam a2200000 a 4500", force_utf8=True)
    good.add_field(Field(tag="001", data="G1"),
                   Field(tag="245", indicators=Indicators("0", "0"), subfields=[Subfield("a", "Bon titre")]))
    untitled = Marc(leader="00000nam a2200000 a 4500", force_utf8=True)
    untitled.add_field(Field(tag="001", data="U1"))
    path = tmp_path / "livraison.mrc"
    path.write_bytes(good.as_marc() + untitled.as_marc() + b"00100nam  2200037   4500garbage")
    return path


def test_runs_list_and_detail_with_rejects(app, client, db, tmp_path):
    report = import_file(db, _delivery(tmp_path), source="main-library", rejects_dir=tmp_path / "rejects")
    make_user(db, "conseil", "counsellor", pole="job_search")  # any staff role may look
    login(client, "conseil")

    page = client.get("/staff/imports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "livraison.mrc" in html and f"/staff/imports/{report.run}" in html
    assert "<h1>Importations</h1>" in html and "<th>Rejetées</th>" in html  # French first
    assert 'href="/staff/imports"' in client.get("/staff/records").get_data(as_text=True)  # in the menu

    detail = client.get(f"/staff/imports/{report.run}?lang=en")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert "<td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>2</td>" in html  # read ... held, rejected
    assert "The record has no title (245 $a, or 246 $a)." in html
    assert "truncated record at end of file" in html
    assert "Download the rejected records" in html

    download = client.get(f"/staff/imports/{report.run}/rejects")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    with open(report.rejects_file, "rb") as f:
        assert download.data == f.read()


def test_pages_need_a_staff_login_and_known_runs(client, db, tmp_path):
    assert client.get("/staff/imports").status_code == 302
    make_user(db)
    login(client)
    assert client.get("/staff/imports/999").status_code == 404
    assert client.get("/staff/imports/999/rejects").status_code == 404
    report = import_file(db, _delivery(tmp_path), source="main-library", rejects_dir=None)
    assert client.get(f"/staff/imports/{report.run}/rejects").status_code == 404  # no file kept


def test_long_reject_lists_are_paged(client, db, tmp_path):
    untitled = Marc(leader="00000nam a2200000 a 4500", force_utf8=True)
    untitled.add_field(Field(tag="001", data="U1"))
    path = tmp_path / "many.mrc"
    path.write_bytes(untitled.as_marc() * 60)
    report = import_file(db, path, source="main-library", rejects_dir=tmp_path)
    make_user(db)
    login(client)
    first = client.get(f"/staff/imports/{report.run}?lang=en").get_data(as_text=True)
    assert f'href="/staff/imports/{report.run}?lang=en&amp;page=2"' in first
    second = client.get(f"/staff/imports/{report.run}?page=2").get_data(as_text=True)
    assert "<td>60</td>" in second and "<td>1</td>" not in second
