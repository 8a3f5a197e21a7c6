"""The staff HTML pages: login, roles, CSRF, field errors and conflicts."""
from __future__ import annotations

import re

from catalogue.models import Record, RecordDeletion
from tests.support.factories import csrf_token, login, make_item, make_record, make_user

EN = {"Accept-Language": "en"}


def _errors_for(html: str, field_id: str) -> list[str]:
    block = re.search(rf'<ul class="errors" id="{re.escape(field_id)}-errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def test_staff_pages_redirect_visitors_to_login(client):
    for url in ("/staff/records", "/staff/records/new", "/staff/uses", "/staff/audit"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_visitor_home_sets_no_cookie(client, db):
    make_record(db)
    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_login_rejects_wrong_password_and_unknown_user(client, db):
    make_user(db)
    token = csrf_token(client, "/login")
    for username, password in (("doc", "wrong password"), ("nobody", "whatever it is")):
        response = client.post("/login", data={"csrf_token": token, "username": username, "password": password},
                               headers=EN)
        assert response.status_code == 401
        assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, db):
    make_user(db)
    response = client.post("/login", data={"username": "doc", "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/staff/records").status_code == 302


def test_login_never_redirects_off_site(client, db):
    make_user(db)
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "username": "doc",
                                           "password": "correct horse battery", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/staff/"


def test_session_cookie_is_httponly_and_lax(app, client, db):
    make_user(db)
    response = login(client)
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and "catalogue_session" in v)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_default_config_makes_the_session_cookie_secure():
    from core import config

    assert config.load({"CATALOGUE_INSTANCE_DIR": "/tmp/catalogue-config-test"})["SESSION_COOKIE_SECURE"] is True


def test_create_record_through_the_form(client, db):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/records/new")
    response = client.post("/staff/records/new", data={
        "csrf_token": token, "title": "Devenir électricien", "year": "2022", "isbn": "2070360245",
        "document_type": "job_sheet", "poles": ["orientation", "career_change"], "audiences": ["pupil"],
        "languages": "fre, eng", "contributors-0-name": "Roux, Anne", "contributors-0-role": "aut",
        "contributors-1-name": "", "contributors-1-role": "aut",
    })
    assert response.status_code == 302, re.findall(r'class="errors"[^>]*>(.*?)</ul>', response.get_data(as_text=True), re.S)
    with db.session() as session:
        record = session.query(Record).one()
        assert record.isbn == "9782070360246"
        assert sorted(p.value for p in record.poles) == ["career_change", "orientation"]
        assert record.languages == ["fre", "eng"]
        assert [(c.name, c.role.value) for c in record.contributors] == [("Roux, Anne", "aut")]
        assert record.created_by_id is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "978-2-07-036024-6" in page


def test_invalid_form_shows_errors_field_by_field_and_keeps_values(client, db):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/records/new")
    response = client.post("/staff/records/new", headers=EN, data={
        "csrf_token": token, "title": "  ", "year": "2999", "isbn": "2070360249", "document_type": "book",
        "subtitle": "kept",
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _errors_for(html, "title") == ["A work needs a title."]
    assert _errors_for(html, "year") == ["The year cannot be in the future."]
    assert "check digit" in _errors_for(html, "isbn")[0]
    assert 'value="kept"' in html and 'value="2070360249"' in html
    assert 'aria-invalid="true"' in html
    with db.session() as session:
        assert session.query(Record).count() == 0


def test_form_without_csrf_token_changes_nothing(client, db):
    make_user(db)
    login(client)
    response = client.post("/staff/records/new", data={"title": "Sans jeton"})
    assert response.status_code == 400
    with db.session() as session:
        assert session.query(Record).count() == 0


def test_edit_conflict_shows_both_versions_and_overwrites_nothing(client, db):
    make_user(db)
    record = make_record(db, title="Titre d'origine")
    login(client)
    edit = client.get(f"/staff/records/{record.id}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', edit).group(1)
    # Someone else saves first.
    from catalogue.services import RecordService
    from catalogue.services.snapshots import record_fields

    with db.transaction() as session:
        data = record_fields(RecordService(session).get(record.id))
        data["title"] = "Titre de l'autre"
        RecordService(session).update(record.id, data, expected_version=record.version)

    response = client.post(f"/staff/records/{record.id}/edit", headers=EN, data={
        "csrf_token": token, "version": str(record.version), "title": "Mon titre", "document_type": "book",
    })
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Titre de l&#39;autre" in html and "Mon titre" in html
    with db.session() as session:
        stored = session.get(Record, record.id)
        assert stored.title == "Titre de l'autre"
        assert stored.version == record.version + 1
    # The form is now armed with the stored version: saving again is deliberate and works.
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert int(new_version) == record.version + 1
    response = client.post(f"/staff/records/{record.id}/edit", data={
        "csrf_token": token, "version": new_version, "title": "Mon titre", "document_type": "book"})
    assert response.status_code == 302


def test_duplicate_barcode_in_the_item_form_is_a_conflict(client, db):
    make_user(db)
    record = make_record(db)
    make_item(db, record.id, barcode="CM0000042")
    login(client)
    token = csrf_token(client, f"/staff/records/{record.id}/items/new")
    response = client.post(f"/staff/records/{record.id}/items/new", headers=EN, data={
        "csrf_token": token, "barcode": "CM0000042", "library": "cite", "status": "available"})
    assert response.status_code == 409
    assert _errors_for(response.get_data(as_text=True), "barcode") == ["This barcode is already used by another item."]


def test_counsellor_cannot_edit_or_delete(client, db):
    make_user(db, "conseil", role="counsellor", pole="job_search")
    record = make_record(db)
    login(client, "conseil")
    page = client.get(f"/staff/records/{record.id}").get_data(as_text=True)
    assert f"/staff/records/{record.id}/edit" not in page
    assert f"/staff/records/{record.id}/delete" not in page
    token = csrf_token(client, "/staff/uses")
    assert client.post(f"/staff/records/{record.id}/delete", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/staff/records/{record.id}/edit").status_code == 403
    assert client.get("/staff/records/new").status_code == 403
    with db.session() as session:
        assert session.get(Record, record.id) is not None


def test_deleting_a_record_with_items_is_refused_then_allowed(client, db):
    make_user(db)
    record = make_record(db)
    item = make_item(db, record.id)
    login(client)
    token = csrf_token(client, f"/staff/records/{record.id}")
    response = client.post(f"/staff/records/{record.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    with db.session() as session:
        assert session.get(Record, record.id) is not None
    assert client.post(f"/staff/items/{item.id}/delete", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/staff/records/{record.id}/delete", data={"csrf_token": token}).status_code == 302
    with db.session() as session:
        assert session.get(Record, record.id) is None
        tombstone = session.query(RecordDeletion).one()  # OAI-PMH reports deletions from these
        assert tombstone.record_id == record.id and tombstone.deleted_by_id is not None
    audit = client.get("/staff/audit", headers=EN).get_data(as_text=True)
    assert audit.count("Deleted") >= 2


def test_unknown_record_is_a_404_page(client, db):
    make_user(db)
    login(client)
    assert client.get("/staff/records/999999").status_code == 404
    assert client.get("/staff/items/999999/edit").status_code == 404


def test_scanning_without_javascript_counts_and_reports(client, db):
    make_user(db)
    record = make_record(db)
    make_item(db, record.id, barcode="CM0000007")
    login(client)
    token = csrf_token(client, "/staff/uses")
    for _ in range(2):
        response = client.post("/staff/uses", data={"csrf_token": token, "barcode": "CM0000007"}, headers=EN)
        assert response.status_code == 302
    page = client.get("/staff/uses", headers=EN).get_data(as_text=True)
    assert "(2 uses)" in page, re.findall(r"<li class=\"flash.*?</li>", page)
    response = client.post("/staff/uses", data={"csrf_token": token, "barcode": "NOPE"},
                           headers={"Accept": "application/json", **EN})
    assert response.get_json()["results"][0]["ok"] is False


def test_logout_ends_the_session(client, db):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/records")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/records").status_code == 302


def test_password_change_ends_open_sessions(client, db):
    from accounts.services import AccountService

    make_user(db)
    login(client)
    assert client.get("/staff/records").status_code == 200
    with db.transaction() as session:
        AccountService(session).set_password("doc", "a brand new password")
    assert client.get("/staff/records").status_code == 302


def test_staff_list_filters_by_text_with_wildcards_taken_literally(client, db):
    make_user(db)
    make_record(db, title="Réussir à 100% son CV", isbn=None)
    make_record(db, title="Le guide du CV", isbn=None)
    login(client)
    page = client.get("/staff/records?q=100%25", headers=EN).get_data(as_text=True)
    assert "Réussir à 100% son CV" in page and "Le guide du CV" not in page
    page = client.get("/staff/records?q=_", headers=EN).get_data(as_text=True)
    assert "0 works found" in page
    page = client.get("/staff/records?q=cv", headers=EN).get_data(as_text=True)
    assert "2 works found" in page


def test_five_failed_logins_lock_the_account_until_a_reset(client, db):
    from accounts.services import AccountService

    make_user(db)
    token = csrf_token(client, "/login")
    for _ in range(5):
        response = client.post("/login", data={"csrf_token": token, "username": "doc", "password": "guess"})
        assert response.status_code == 401
    # Even the right password waits now.
    response = client.post("/login", headers=EN, data={
        "csrf_token": token, "username": "doc", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "locked" in response.get_data(as_text=True)
    with db.transaction() as session:
        AccountService(session).set_password("doc", "correct horse battery")
    assert login(client).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, db):
    from accounts.models import User

    make_user(db)
    token = csrf_token(client, "/login")
    for _ in range(4):
        client.post("/login", data={"csrf_token": token, "username": "doc", "password": "guess"})
    login(client)
    with db.session() as session:
        user = session.query(User).one()
        assert (user.failed_logins, user.locked_until) == (0, None)
