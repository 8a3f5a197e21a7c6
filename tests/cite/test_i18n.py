"""Translations: the French catalogue is complete, current and compiled, and
the interface and the API follow the visitor's language (French first)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.support.factories import login, make_token, make_user, record_data

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "cite" / "translations"
# Every package with user-facing text, from the ground floor up (README, "Translations").
PACKAGES = ["core", "accounts", "catalogue", "thesaurus", "importers", "search", "acquisitions", "weeding", "cite"]
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo"

EN = {"Accept-Language": "en"}


def _read_po(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="fr" if path == PO else None)


def _key(message) -> tuple[str | None, str]:
    context = message.context
    if isinstance(context, bytes):  # read_mo leaves contexts undecoded
        context = context.decode("utf-8")
    msgid = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
    return (context, msgid)


def _forms(value) -> tuple[str, ...]:
    """A translation's forms: one for plain messages, one per plural form."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _ids(catalog) -> set[tuple[str | None, str]]:
    return {_key(m) for m in catalog if m.id}


def _label(key) -> str:
    context, msgid = key
    return f"[{context}] {msgid!r}" if context else repr(msgid)


# --- the catalogue files -----------------------------------------------------

def test_every_message_has_a_french_translation():
    catalog = _read_po(PO)
    assert str(catalog.locale) == "fr"
    assert len(catalog) > 100
    untranslated = [_label(_key(m)) for m in catalog if m.id and not all(_forms(m.string))]
    fuzzy = [_label(_key(m)) for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated messages: {untranslated}"
    assert not fuzzy, f"fuzzy messages: {fuzzy}"
    assert not catalog.obsolete, f"obsolete messages left in the .po: {list(catalog.obsolete)}"


def test_translations_keep_their_placeholders():
    # ours, %(name)s; click's, {name} and {name!r} (core/click_messages.py)
    placeholder = re.compile(r"%\((\w+)\)s|(\{\w+(?:![rsa])?\})")
    for message in _read_po(PO):
        if message.id:
            expected = sorted(placeholder.findall(_forms(message.id)[-1]))
            for form in _forms(message.string):
                assert sorted(placeholder.findall(form)) == expected, _label(_key(message))


def test_template_and_catalogue_are_up_to_date(tmp_path):
    """Extracting again, with the README's command, finds nothing new or gone."""
    fresh = tmp_path / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "N_", "-k", "_l", "-o", str(fresh), *PACKAGES],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    extracted = _ids(_read_po(fresh))
    assert len(extracted) > 100
    assert (None, EN_HOME) in extracted and ("verb", "Record") in extracted  # templates were read

    in_pot = _ids(_read_po(POT))
    in_po = _ids(_read_po(PO))
    hint = (f"run: pybabel extract -F babel.cfg -k N_ -k _l -o cite/translations/messages.pot {' '.join(PACKAGES)} "
            "&& pybabel update -i cite/translations/messages.pot -d cite/translations, "
            "translate, then pybabel compile -d cite/translations")
    assert not extracted - in_pot, f"missing from messages.pot: {sorted(map(_label, extracted - in_pot))}; {hint}"
    assert not in_pot - extracted, f"stale in messages.pot: {sorted(map(_label, in_pot - extracted))}; {hint}"
    assert not extracted - in_po, f"missing from the French .po: {sorted(map(_label, extracted - in_po))}; {hint}"


def test_compiled_catalogue_matches_the_po():
    with MO.open("rb") as f:
        compiled = {_key(m): _forms(m.string) for m in read_mo(f) if m.id}
    source = {_key(m): _forms(m.string) for m in _read_po(PO) if m.id and m.string and not m.fuzzy}
    assert compiled == source, "messages.mo is stale: run pybabel compile -d cite/translations"


# --- the interface -----------------------------------------------------------

FR_HOME = "Quelle question vous posez-vous sur votre vie professionnelle ?"
EN_HOME = "What is your question about your working life?"


def _page(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_home_is_french_by_default(client):
    html = _page(client.get("/"))
    assert '<html lang="fr"' in html
    assert FR_HOME in html
    assert "Choisir son orientation" in html
    assert "Créer son activité" in html
    assert EN_HOME not in html


@pytest.mark.parametrize("accept", ["de", "es-ES,es;q=0.9", "fr-FR,fr;q=0.9,en;q=0.5"])
def test_home_is_french_when_the_browser_asks_for_another_language(client, accept):
    html = _page(client.get("/", headers={"Accept-Language": accept}))
    assert '<html lang="fr"' in html
    assert FR_HOME in html


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9,fr;q=0.5"])
def test_home_is_english_when_the_browser_asks_for_it(client, accept):
    html = _page(client.get("/", headers={"Accept-Language": accept}))
    assert '<html lang="en"' in html
    assert EN_HOME in html
    assert "Choose a career path" in html
    assert FR_HOME not in html


def test_lang_parameter_switches_for_visitors_without_a_cookie(client):
    response = client.get("/?lang=en")
    html = _page(response)
    assert '<html lang="en"' in html and EN_HOME in html
    assert response.headers.getlist("Set-Cookie") == []
    assert FR_HOME in _page(client.get("/"))  # nothing remembered: French again, as the browser asks nothing


def test_staff_keep_their_language_in_their_session(client, db):
    make_user(db, "conseil", role="counsellor", pole="job_search")
    login(client, "conseil")
    assert '<html lang="en"' in _page(client.get("/staff/records?lang=en"))
    assert '<html lang="en"' in _page(client.get("/staff/records"))
    assert '<html lang="fr"' in _page(client.get("/staff/records?lang=fr"))
    assert '<html lang="fr"' in _page(client.get("/staff/records"))


def test_unknown_lang_parameter_is_ignored(client):
    response = client.get("/?lang=xx")
    assert FR_HOME in _page(response)
    assert not any(c.startswith("lang=") for c in response.headers.getlist("Set-Cookie"))


def test_staff_pages_are_translated(client, db):
    make_user(db, "conseil", role="counsellor", pole="job_search")
    login(client, "conseil")
    html = _page(client.get("/staff/uses"))
    assert "Compter les consultations sur place" in html
    assert ">Enregistrer</button>" in html
    assert ">Historique</a>" in html  # the staff menu's short label of the audit trail
    assert "Code-barres" in html
    html = _page(client.get("/staff/uses", headers=EN))
    assert "Count in-house uses" in html
    assert ">Record</button>" in html
    assert ">History</a>" in html


# --- the API -----------------------------------------------------------------

def test_api_error_follows_the_language(client):
    response = client.get("/api/v1/records")
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized"
    assert error["message"] == ("Authentification requise : envoyez un jeton d'API dans l'en-tête "
                                "'Authorization: Bearer <token>'.")

    response = client.get("/api/v1/records", headers=EN)
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized"
    assert error["message"] == "Authentication is required: send an API token as 'Authorization: Bearer <token>'."


def test_api_field_errors_follow_the_language(client, db):
    make_user(db)
    headers = {"Authorization": f"Bearer {make_token(db, 'doc')}"}
    data = record_data(isbn="9782070360247")  # wrong check digit

    error = client.post("/api/v1/records", json=data, headers=headers).get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["message"] == "Certains champs ne sont pas valides."
    assert error["fields"]["isbn"] == ["La clé de contrôle de cet ISBN est fausse : "
                                       "vérifiez que le numéro ne contient pas de faute de frappe."]

    error = client.post("/api/v1/records", json=data, headers={**headers, **EN}).get_json()["error"]
    assert error["message"] == "Some fields are invalid."
    assert error["fields"]["isbn"] == ["This ISBN's check digit is wrong: check the number for a typing error."]
