"""Finding proposals in the lists: words of the title whatever their accents
and case, an ISBN whatever its hyphens."""
from __future__ import annotations

from tests.acquisitions.support import propose


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
