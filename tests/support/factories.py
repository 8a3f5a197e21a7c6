"""Small builders for test data, going through the real services."""
from __future__ import annotations

import re

from accounts.services import AccountService
from catalogue.services import ItemService, RecordService

PASSWORD = "correct horse battery"


def make_user(db, username="doc", role="documentalist", pole=None):
    with db.transaction() as session:
        user = AccountService(session).create(username, PASSWORD, role, pole=pole,
                                              display_name=username.title())
    return user


def make_token(db, username):
    with db.transaction() as session:
        _, clear = AccountService(session).issue_token(username, "tests")
    return clear


def record_data(**overrides) -> dict:
    data = {
        "title": "Réussir son entretien d'embauche",
        "subtitle": "Méthodes et mises en situation",
        "contributors": [{"name": "Martin, Léa", "role": "aut"}],
        "publisher": "Éditions du Parcours", "place": "Lyon", "year": 2023,
        "isbn": "9782070360246", "languages": ["fre"],
        "document_type": "book", "audiences": ["job_seeker"], "poles": ["job_search"],
        "summary": "Préparer un entretien pas à pas.", "call_number": "EMP 2 MAR",
    }
    data.update(overrides)
    return data


def make_record(db, actor=None, **overrides):
    with db.transaction() as session:
        record = RecordService(session, actor).create(record_data(**overrides))
    return record


def make_item(db, record_id, barcode="CM0000001", actor=None, **overrides):
    data = {"barcode": barcode, "library": "cite", "location": "Espace emploi", "status": "available"}
    data.update(overrides)
    with db.transaction() as session:
        item = ItemService(session, actor).create(record_id, data)
    return item


CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    response = client.get(url)
    match = CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def login(client, username="doc", password=PASSWORD):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
