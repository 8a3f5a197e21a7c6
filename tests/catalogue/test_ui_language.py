"""The staff cataloguing pages speak French, not codes (issue 16, item 6):
the audit trail and version conflicts name fields and values, the record
page names languages, and the use counter words its total in the plural
forms of the page's language. Compared with the French catalogue (or the
English source until it has the message), as the server shows them."""
from __future__ import annotations

import html as htmllib
import re

from catalogue.models import Record
from tests.support.factories import csrf_token, login, make_item, make_record, make_user
from tests.support.french import french, french_n
from tests.thesaurus.support import make_concept

FR = {"Accept-Language": "fr"}


def text_of(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def changes_of(body: str) -> str:
    """The text of the audit table's "changes" cells only."""
    return text_of(" ".join(re.findall(r'<ul class="changes">(.*?)</ul>', body, re.S)))


def _work(db):
    concept = make_concept(db, "Entretien d'embauche", en="Job interview")
    record = make_record(db, descriptors=[concept], document_type="website", url="https://www.onisep.fr",
                         poles=["job_search"], isbn=None,
                         languages=["fre"], contributors=[{"name": "Martin, Léa", "role": "aut"}])
    make_item(db, record.id, condition="new")
    return record


def test_the_audit_trail_shows_labels_and_names_not_codes(client, db):
    make_user(db)
    record = _work(db)
    login(client)
    for url in ("/staff/audit?lang=fr", f"/staff/records/{record.id}?lang=fr"):
        changes = changes_of(client.get(url).get_data(as_text=True))
        for label in ("Descriptors", "Languages", "Contributors", "Document type", "Advice poles", "Status",
                      "Condition", "Library"):
            assert f"{french(label)} :" in changes, label
        assert f"{french('Status')} : ∅ → {french('Available')}" in changes
        assert f"→ {french('New')}" in changes
        assert f"→ {french('Cité des métiers')}" in changes
        assert f"→ {french('Website')}" in changes
        assert f"→ {french('Find a job')}" in changes
        assert f"{french('Languages')} : ∅ → {french('French')}" in changes
        assert f"Martin, Léa ({french('Author')})" in changes
        assert f"{french('Descriptors')} : ∅ → Entretien d'embauche" in changes
        for raw in ("available", "website", "job_search", "'fre'", "{'name'", "descriptors", " cite"):
            assert raw not in changes, raw


def test_the_audit_trail_shows_unknown_values_as_stored(client, db):
    make_user(db)
    record = make_record(db, languages=["bre"])
    login(client)
    changes = changes_of(client.get(f"/staff/records/{record.id}?lang=fr").get_data(as_text=True))
    assert f"{french('Languages')} : ∅ → bre" in changes


def test_a_version_conflict_names_values(client, db):
    make_user(db)
    record = make_record(db, languages=["fre"])
    login(client)
    token = csrf_token(client, f"/staff/records/{record.id}/edit")
    with db.transaction() as session:  # someone else saved meanwhile
        session.get(Record, record.id).languages = ["eng"]
    response = client.post(f"/staff/records/{record.id}/edit?lang=fr", data={
        "csrf_token": token, "version": "1", "title": record.title, "document_type": "book",
        "languages": "spa", "contributors-0-name": "", "contributors-0-role": "aut"})
    assert response.status_code == 409
    conflict = text_of(re.search(r'<div class="conflict".*?</table>', response.get_data(as_text=True), re.S)[0])
    assert f"{french('Languages')} {french('English')} {french('Spanish')}" in conflict


def test_the_record_page_names_its_languages(client, db):
    make_user(db)
    record = make_record(db, languages=["fre", "eng", "bre"])
    login(client)
    page = text_of(client.get(f"/staff/records/{record.id}?lang=fr").get_data(as_text=True))
    assert f"{french('Languages')} {french('French')}, {french('English')}, bre" in page


def test_the_use_counter_has_a_template_per_plural_form(client, db):
    make_user(db)
    login(client)
    body = client.get("/staff/uses?lang=fr").get_data(as_text=True)
    total = re.search(r'<p id="scan-total"[^>]*>', body)[0]
    templates = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', total))
    assert templates == {
        "ok-one": french_n("%(count)s use recorded", "%(count)s uses recorded", 1, count="__N__"),
        "ok-other": french_n("%(count)s use recorded", "%(count)s uses recorded", 2, count="__N__"),
        "failed-one": french_n("%(count)s not recorded", "%(count)s not recorded", 1, count="__N__"),
        "failed-other": french_n("%(count)s not recorded", "%(count)s not recorded", 2, count="__N__"),
    }
