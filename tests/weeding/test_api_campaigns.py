"""A campaign through the API, as the librarians and counsellors use it:
open it over a scope, read candidates with their reasons, vote, exclude,
add by hand."""
from __future__ import annotations

from tests.support.api import assert_error
from tests.weeding.support import NOW, rule, years_ago

URL = "/api/v1/weeding/campaigns"


def opened(client, staff, **body) -> dict:
    response = client.post(URL, json={"name": "Parcours 2026", "scope": {"pole": "pathway"}, **body},
                           headers=staff.headers("lise"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def candidates(client, staff, campaign_id, **args) -> list[dict]:
    response = client.get(f"{URL}/{campaign_id}/candidates", query_string={"size": 200, **args},
                          headers=staff.headers("lise"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_open_a_campaign_and_read_its_candidates_with_reasons_in_french(client, db, staff, shelf):
    rule(db, max_age_years=5, max_unused_years=3)
    old = shelf.copy(year=NOW.year - 12, uses=[years_ago(4.2)])
    shelf.copy(year=NOW.year - 1, uses=[years_ago(0.1)])
    shelf.copy(year=NOW.year - 12, poles=["job_search"])  # another pole

    campaign = opened(client, staff)

    assert campaign["candidates"] == 1 and campaign["status"] == "open" and campaign["poles"] == ["pathway"]
    [found] = candidates(client, staff, campaign["id"])
    assert found["item_id"] == old.id
    assert [r["code"] for r in found["reasons"]] == ["age", "no_use"]
    assert found["explanation"].startswith(f"publié en {NOW.year - 12}, il y a 12 ans (seuil : 5 ans) ; "
                                           "dernière consultation en ")
    assert "(seuil : 3 ans)" in found["explanation"]
    english = client.get(f"{URL}/{campaign['id']}/candidates", headers={**staff.headers("lise"),
                                                                         "Accept-Language": "en"})
    assert english.get_json()["items"][0]["explanation"].startswith(f"published in {NOW.year - 12}, 12 years ago")


def test_opening_needs_a_librarian_and_a_valid_scope(client, db, staff):
    assert_error(client.post(URL, json={"name": "x", "scope": {}}, headers=staff.headers("sophie")), 403,
                 "forbidden")
    error = assert_error(client.post(URL, json={"name": "x", "scope": {"pole": "nowhere", "floor": 3}},
                                     headers=staff.headers("lise")), 422, "validation_failed")
    assert set(error["fields"]) == {"scope.pole", "scope.floor"}
    error = assert_error(client.post(URL, json={"name": "", "scope": {}, "rules": [99999999999999999999]},
                                     headers=staff.headers("lise")), 422, "validation_failed")
    assert "name" in error["fields"]
    assert client.post(URL, json={"name": "x"}).status_code == 401
    assert_error(client.get(f"{URL}/99999999999999999999", headers=staff.headers("lise")), 404, "not_found")


def test_counsellors_of_the_scope_poles_vote_and_change_their_vote(client, db, staff, shelf):
    rule(db, max_age_years=5)
    item = shelf.copy(year=2000)
    other = shelf.copy(year=2000, poles=["job_search"])
    campaign = opened(client, staff)
    votes = f"{URL}/{campaign['id']}/votes"

    first = client.post(votes, json={"item_id": item.id, "vote": "withdraw", "flags": ["mustie:ugly"],
                                     "comment": "Couverture déchirée"}, headers=staff.headers("sophie"))
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["pole"] == "pathway" and first.get_json()["flags"] == ["mustie:ugly"]
    again = client.post(votes, json={"item_id": item.id, "vote": "keep", "version": first.get_json()["version"]},
                        headers=staff.headers("sophie"))
    assert again.status_code == 200 and again.get_json()["vote"] == "keep"
    # A page read before the change holds the old version: refused, not overwritten.
    assert_error(client.post(votes, json={"item_id": item.id, "vote": "replace", "version": 1},
                             headers=staff.headers("sophie")), 409, "version_conflict")

    assert_error(client.post(votes, json={"item_id": item.id, "vote": "keep"}, headers=staff.headers("claire")),
                 403, "forbidden")  # job_search is not this campaign's pole
    error = assert_error(client.post(votes, json={"item_id": item.id, "vote": "keep"},
                                     headers=staff.headers("doc")), 403, "forbidden")
    assert error["allowed_roles"] == ["counsellor"]
    assert_error(client.post(votes, json={"item_id": other.id, "vote": "keep"}, headers=staff.headers("marc")),
                 422, "not_in_campaign")
    assert_error(client.post(votes, json={"item_id": item.id, "vote": "burn"}, headers=staff.headers("marc")),
                 422, "validation_failed")
    assert_error(client.post(votes, json={"item_id": item.id, "vote": "keep", "flags": ["nope"]},
                             headers=staff.headers("marc")), 422, "validation_failed")

    [found] = candidates(client, staff, campaign["id"])
    assert [(v["user"], v["vote"]) for v in found["votes"]] == [("sophie", "keep")]
    detail = client.get(f"{URL}/{campaign['id']}", headers=staff.headers("lise")).get_json()
    [pathway] = detail["progress"]
    assert pathway["reviewed"] == 1 and pathway["candidates"] == 1
    assert pathway["missing"] == ["marc"]


def test_staff_add_copies_by_hand_and_exclude_candidates_with_a_reason(client, db, staff, shelf):
    rule(db, max_age_years=5)
    flagged = shelf.copy(year=2000)
    recent = shelf.copy(year=NOW.year)
    campaign = opened(client, staff)
    url = f"{URL}/{campaign['id']}"

    added = client.post(f"{url}/candidates", json={"item_id": recent.id, "comment": "Doublon"},
                        headers=staff.headers("doc"))
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["source"] == "manual" and added.get_json()["reasons"] == [
        {"code": "manual", "comment": "Doublon"}]
    assert_error(client.post(f"{url}/exclusions", json={"item_id": flagged.id, "reason": " "},
                             headers=staff.headers("doc")), 422, "validation_failed")
    excluded = client.post(f"{url}/exclusions", json={"item_id": flagged.id, "reason": "Ouvrage patrimonial"},
                           headers=staff.headers("doc"))
    assert excluded.status_code == 200 and excluded.get_json()["excluded"] is True
    assert [c["item_id"] for c in candidates(client, staff, campaign["id"])] == [recent.id]
    assert [c["exclusion_reason"] for c in candidates(client, staff, campaign["id"], state="excluded")] == [
        "Ouvrage patrimonial"]
    assert_error(client.post(f"{url}/candidates", json={"item_id": 10 ** 30}, headers=staff.headers("doc")),
                 422, "validation_failed")
