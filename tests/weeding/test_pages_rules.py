"""The weeding rules' pages: every staff member reads them in judging
order, "—" where a criterion does not apply; librarians add and change
them, field by field, and a stale form shows both versions (409)."""
from __future__ import annotations

import re

from tests.support.factories import csrf_token
from tests.weeding.support import rule
from tests.weeding.test_pages import HUGE, errors_on, log_in
from weeding.services.rules import RuleService


def read_rule(db, rule_id: int):
    with db.session() as session:
        found = RuleService(session).get(rule_id)
        session.expunge(found)
        return found


def test_staff_read_the_rules_in_judging_order(client, db, staff):
    late = rule(db, name="Méthodes (CV, entretiens)", position=30, max_age_years=10,
                justification="Les méthodes vieillissent lentement.")
    early = rule(db, name="Droit du travail", position=10, max_age_years=3, max_unused_years=2, low_use_min=2,
                 low_use_years=5, superseded=True, conditions=["damaged"], pole="pathway",
                 call_number_prefix="DRO")
    log_in(client, staff, "claire")
    page = client.get("/staff/weeding/rules?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index(f'id="rule-{early}"') < html.index(f'id="rule-{late}"')
    first = html.split(f'id="rule-{early}"')[1].split("</tr>")[0]
    assert "fewer than 2 uses in 5 years" in first and "damaged" in first and "shelf DRO" in first
    assert "Organise one&#39;s career and training" in first
    second = html.split(f'id="rule-{late}"')[1].split("</tr>")[0]
    assert second.count("<td>—</td>") == 5 and "Les méthodes vieillissent lentement." in second
    assert "/edit" not in html and 'id="add-rule"' not in html  # reading only
    assert client.get("/staff/weeding/rules/new").status_code == 403
    assert client.get(f"/staff/weeding/rules/{early}/edit").status_code == 403


def test_a_librarian_adds_and_changes_rules_field_by_field(client, db, staff):
    log_in(client, staff, "lise")
    assert 'id="add-rule"' in client.get("/staff/weeding/rules").get_data(as_text=True)
    token = csrf_token(client, "/staff/weeding/rules/new")
    refused = client.post("/staff/weeding/rules/new", data={
        "csrf_token": token, "name": " ", "position": "first", "max_age_years": "500", "low_use_min": "2",
        "pole": "nowhere", "conditions": ["burnt"], "concept_id": HUGE})
    assert refused.status_code == 422
    assert errors_on(refused.get_data(as_text=True)) == {"name", "position", "max_age_years", "low_use_min", "pole",
                                                         "conditions", "concept_id"}
    made = client.post("/staff/weeding/rules/new", data={
        "csrf_token": token, "name": "Annuaires de formation", "position": "20", "active": "y",
        "max_age_years": "2", "document_type": "book", "justification": "Les dates changent chaque année."})
    assert made.status_code == 302
    rule_id = int(re.search(r"#rule-(\d+)$", made.headers["Location"]).group(1))
    saved = read_rule(db, rule_id)
    assert (saved.name, saved.max_age_years, saved.max_unused_years, saved.active) == (
        "Annuaires de formation", 2, None, True)

    edit = f"/staff/weeding/rules/{rule_id}/edit"
    form = client.get(edit).get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', form).group(1)
    assert 'value="Annuaires de formation"' in form and 'id="active" name="active" type="checkbox" value="y"' in form
    changed = client.post(edit, data={"csrf_token": token, "name": "Annuaires", "position": "20", "active": "y",
                                      "max_age_years": "3", "version": version})
    assert changed.status_code == 302 and read_rule(db, rule_id).max_age_years == 3
    stale = client.post(edit, data={"csrf_token": token, "name": "Annuaires", "position": "20", "active": "y",
                                    "max_age_years": "4", "version": version})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert 'id="conflict"' in html and '<td class="stored">3</td><td class="mine">4</td>' in html
    assert read_rule(db, rule_id).max_age_years == 3  # nothing overwritten
    assert client.post(edit, data={"name": "Sans jeton", "version": version}).status_code == 400
    assert client.get(f"/staff/weeding/rules/{HUGE}/edit").status_code == 404
