"""Finding proposals in the lists: words of the title whatever their accents
and case, an ISBN whatever its hyphens. Reading their amounts in either language."""
from __future__ import annotations

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
