"""A proposal as the staff meet it: found in the lists by words of the title
whatever their accents and case, or by an ISBN whatever its hyphens; its
amounts in either language; comments added on its page."""
from __future__ import annotations

import re

from tests.acquisitions.support import PASSWORD, propose
from tests.support.factories import login


def test_words_and_isbns_find_proposals_as_typed(client, staff):
    headers = staff.headers("claire")
    metiers = propose(client, headers, title="Les Métiers de l'Écologie", isbn="978-2-07-036024-6")
    propose(client, headers, title="Réussir son entretien", isbn=None)

    def found(q: str) -> list[int]:
        answer = client.get("/api/v1/proposals", query_string={"q": q}, headers=headers).get_json()
        return [item["id"] for item in answer["items"]]

    for typed in ("metiers", "ÉCOLOGIE", "métiers de l'ecologie", "978-2-07-036024", "9782070360246"):
        assert found(typed) == [metiers["id"]], typed
    assert found("boulangerie") == []


def test_pages_write_amounts_as_the_readers_language_does(client, staff):
    headers = staff.headers("claire")
    proposal = propose(client, headers, estimated_price="1234.50", quantity=2)
    page = f"/staff/acquisitions/proposals/{proposal['id']}"
    login(client, "claire", PASSWORD)
    french = client.get(page).get_data(as_text=True)
    assert "2 × 1\u202f234,50\xa0€ = 2\u202f469,00\xa0€" in french
    english = client.get(page, query_string={"lang": "en"}).get_data(as_text=True)
    assert "2 × €1,234.50 = €2,469.00" in english


def test_a_comment_is_added_on_the_page_and_an_empty_one_is_refused_on_its_field(client, staff):
    proposal = propose(client, staff.headers("claire"))
    page = f"/staff/acquisitions/proposals/{proposal['id']}"
    login(client, "claire", PASSWORD)

    def token() -> str:
        html = client.get(page).get_data(as_text=True)
        return re.search(r'id="comment-csrf_token" name="comment-csrf_token" type="hidden" value="([^"]+)"',
                         html).group(1)

    refused = client.post(f"{page}/comment", data={"comment-csrf_token": token(), "comment-text": "  "})
    assert refused.status_code == 422
    field = refused.get_data(as_text=True)
    field = field[field.index('id="comments"'):]
    assert "Écrivez votre commentaire." in field and "Aucun commentaire pour l" in field
    added = client.post(f"{page}/comment", data={"comment-csrf_token": token(),
                                                 "comment-text": "Demandé trois fois cette semaine."})
    assert added.status_code == 302 and added.headers["Location"].endswith("#comments")
    shown = client.get(page).get_data(as_text=True)
    assert "Demandé trois fois cette semaine." in shown[shown.index('id="comments"'):]
    # Without the form's token, nothing is written.
    assert client.post(f"{page}/comment", data={"comment-text": "Sans jeton"}).status_code == 400
    assert "Sans jeton" not in client.get(page).get_data(as_text=True)
