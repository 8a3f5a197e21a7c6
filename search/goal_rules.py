"""The rules a goal's fields follow, checked before anything is written.
Pure functions: the service passes in what needs the database (is this
address taken? which concepts exist?)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from catalogue.vocab import Audience, DocumentType
from core.errors import ValidationFailed
from core.i18n import N_
from search.portal_rules import clean_integer, clean_text, lengths_checked, slug_checked
from search.vocab import Public

LIMITS = {"slug": 100, "label_fr": 255, "label_en": 255, "text": 200}
MAX_CONCEPTS = 50


def clean_goal(data: dict, *, slug_taken: Callable[[str], bool],
               known_concepts: Callable[[list[int]], set[int]]) -> dict:
    """The goal's fields, cleaned (``concept_ids`` a sorted list); raises
    ValidationFailed naming each bad field. A goal must search something:
    concepts, words or at least a document type."""
    errors: dict[str, list[str]] = {}
    clean = {name: clean_text(data.get(name)) for name in ("slug", "label_fr", "label_en", "text")}
    clean["slug"] = slug_checked(clean["slug"], slug_taken, errors, missing=N_(
        "Give the goal an address, for example etudes-diplomes-metiers."), malformed=N_(
        "Use only lower-case letters without accents, digits and hyphens, for example etudes-diplomes-metiers."),
        taken=N_("Another goal already has this address: choose another one."))
    if not clean["label_fr"]:
        errors["label_fr"] = [N_("A goal needs a French wording, as visitors would say it.")]
    lengths_checked(clean, LIMITS, errors)
    for name, vocabulary in (("publics", Public), ("document_types", DocumentType), ("audiences", Audience)):
        clean[name], bad = _values(data.get(name), vocabulary.values())
        if bad:
            errors[name] = [N_("Some values are not valid here: check them.")]
    if not clean["publics"] and "publics" not in errors:
        errors["publics"] = [N_("Choose at least one public: visitors reach a goal through who they are.")]
    clean["concept_ids"], problem = _concepts(data.get("concept_ids"), known_concepts)
    if problem:
        errors["concept_ids"] = [problem]
    if not (clean["concept_ids"] or clean["text"] or clean["document_types"]) and not errors.get("concept_ids"):
        errors["concept_ids"] = [N_("A goal searches something: choose concepts, words or document types.")]
    clean["position"] = clean_integer(data.get("position"), 0)
    if clean["position"] is None:
        errors["position"] = [N_("Give a whole number.")]
    clean["published"] = bool(data.get("published", True))
    if errors:
        raise ValidationFailed(errors)
    return clean


def _values(raw, allowed: list[str]) -> tuple[list[str], list[str]]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    values = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    # Kept in the vocabulary's order, so that two equal choices compare equal.
    return [v for v in allowed if v in values], [v for v in values if v not in allowed]


def _concepts(raw, known: Callable[[list[int]], set[int]]) -> tuple[list[int], str | None]:
    values = [raw] if isinstance(raw, (str, int)) else list(raw or [])
    try:
        ids = sorted({int(v) for v in values if str(v).strip()})
    except (TypeError, ValueError):
        return [], N_("Choose concepts of the thesaurus.")
    if len(ids) > MAX_CONCEPTS:
        return [], N_("Choose at most 50 concepts: a goal that broad helps no visitor.")
    missing = set(ids) - known(ids) if ids else set()
    if missing:
        return [], N_("Some of these concepts are no longer in the thesaurus: choose them again.")
    return ids, None


def offered_to(goals: Iterable, public: str) -> list:
    """The goals offered to ``public``, in the documentalists' order."""
    return [goal for goal in goals if public in (goal.publics or [])]
