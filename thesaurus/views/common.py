"""What the thesaurus views share: the services bound to the request, the
interface language, and how a refused edit is told."""
from __future__ import annotations

from flask import current_app
from flask_babel import get_locale, gettext
from flask_login import current_user

from core.errors import ValidationFailed
from core.i18n import N_
from core.web.transaction import db_session
from thesaurus.services import browse
from thesaurus.services.concepts import ConceptService
from thesaurus.services.lookup import autocomplete as lookup


def locale() -> str:
    return str(get_locale() or "fr")


def concept_service():
    return ConceptService(db_session(), current_user._get_current_object(),
                          base_uri=current_app.config["THESAURUS_BASE_URI"])


def finding_messages(error) -> list[str]:
    """A ThesaurusRuleViolation's findings in the reader's language (each names
    the concepts involved, a cycle its whole chain)."""
    return [finding.text(locale()) for finding in error.findings] or [gettext(error.message)]


def match_json(match) -> dict:
    """An autocomplete match for the widgets: an entry term shows the concept
    it leads to ("VAE → Validation des acquis de l'expérience")."""
    status = getattr(match.status, "value", match.status)
    kind = getattr(match.kind, "value", match.kind)
    leads = kind != "pref" and match.label != match.pref_label
    display = f"{match.label} → {match.pref_label}" if leads else match.label
    return {"id": match.concept_id, "uri": match.uri, "label": match.label, "kind": kind,
            "language": match.language, "pref_label": match.pref_label, "status": status, "display": display}


def autocomplete(text: str, limit: int = 10, include_deprecated: bool = False) -> list[dict]:
    if not (text or "").strip():
        return []
    return [match_json(m) for m in lookup(db_session(), text, limit=limit, include_deprecated=include_deprecated)]


def picked_ids(field, query_field) -> list[int]:
    """Ids of a multi-picker, plus the concept of a term typed without the
    autocomplete (no JavaScript). A typed term that names no single concept
    is an error on the typed field; returns the ids picked so far."""
    ids = list(dict.fromkeys(field.data or []))
    typed = (query_field.data or "").strip()
    if typed:
        concept = browse.concept_for_term(db_session(), typed)
        if concept is None:
            query_field.errors = list(query_field.errors or []) + [
                gettext("No single concept has the term “%(term)s”: pick one among the suggestions.", term=typed)]
        elif concept.id not in ids:
            ids.append(concept.id)
            query_field.data = ""
    return ids


def picked_id(form) -> int | None:
    """The concept of a single picker (hidden id, or the typed term)."""
    if form.picked() is not None:
        return form.picked()
    typed = (form.concept_label.data or "").strip()
    concept = browse.concept_for_term(db_session(), typed) if typed else None
    if concept is None:
        message = (gettext("No single concept has the term “%(term)s”: pick one among the suggestions.",
                           term=typed) if typed else gettext("Choose a concept."))
        form.concept_label.errors = list(form.concept_label.errors or []) + [message]
        return None
    return concept.id


def require_french(form) -> None:
    """Said next to the field, before the rules would say it about the concept."""
    if not form.pref_labels()["fr"]:
        raise ValidationFailed({"pref_label_fr": [N_("A concept needs a French preferred term.")]})
