"""Concept input checked for shape, and concepts as plain data.

``clean_concept`` answers ValidationFailed (field by field, like records) for
input that is malformed: a label that is not text, an unknown note kind or
status, an id that is not a number. Whether the result keeps the thesaurus
sound (a French preferred label, no clash, no cycle) is the rules' job
(thesaurus.services.rules), answered with findings.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationFailed
from core.i18n import N_
from thesaurus.models import Concept, ConceptRelation
from thesaurus.vocab import ConceptStatus, LabelKind, NoteKind, RelationKind

MAX_LABEL = 500
KEYS = ("pref_labels", "alt_labels", "hidden_labels", "notes", "notation", "status", "broader", "related",
        "scheme_id", "uri", "top_concept")


def label_text(text) -> str:
    """Labels are stored trimmed, with single spaces (as imports store them)."""
    return " ".join(str(text).split())


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def clean_concept(data: dict, *, partial: bool) -> dict:
    """Only the keys present are returned when ``partial`` (an update)."""
    errors = _Errors()
    clean = {}
    unknown = set(data) - set(KEYS)
    for name in sorted(unknown):
        errors.add(name, N_("This field is not a field of a concept."))
    if "pref_labels" in data or not partial:
        prefs = data.get("pref_labels") or {}
        if not isinstance(prefs, dict):
            errors.add("pref_labels", N_("Give the preferred labels by language."))
            prefs = {}
        clean["pref_labels"] = [(LabelKind.PREF.value, str(lang).strip(), label_text(text))
                                for lang, text in prefs.items() if text is not None and label_text(text)]
    for name, kind in (("alt_labels", LabelKind.ALT), ("hidden_labels", LabelKind.HIDDEN)):
        if name in data or not partial:
            clean[name] = [(kind.value, language, text)
                           for language, text in _rows(errors, name, data.get(name), ("language", "text"))]
    if "notes" in data or not partial:
        notes = []
        for index, (kind, language, text) in enumerate(
                _rows(errors, "notes", data.get("notes"), ("kind", "language", "text"))):
            if kind not in NoteKind.values():
                errors.add(f"notes.{index}.kind", N_("This value is not one of the allowed choices."))
            notes.append((kind, language, str(text).strip()))
        clean["notes"] = notes
    for name in ("broader", "related"):
        if name in data or not partial:
            clean[name] = _ids(errors, name, data.get(name))
    if "notation" in data or not partial:
        clean["notation"] = label_text(data.get("notation") or "") or None
    if "status" in data or not partial:
        status = data.get("status") or ConceptStatus.APPROVED.value
        if status not in (ConceptStatus.CANDIDATE.value, ConceptStatus.APPROVED.value):
            errors.add("status", N_("A concept is candidate or approved; deprecate it to retire it."))
        clean["status"] = status
    if data.get("scheme_id") is not None:
        ids = _ids(errors, "scheme_id", [data["scheme_id"]])
        clean["scheme_id"] = ids[0] if ids else None
    if data.get("uri"):
        clean["uri"] = str(data["uri"]).strip()
    if "top_concept" in data and data["top_concept"] is not None:
        clean["top_concept"] = bool(data["top_concept"])
    for field in ("pref_labels", "alt_labels", "hidden_labels"):
        if any(len(text) > MAX_LABEL for _, _, text in clean.get(field, ())):
            errors.add(field, N_("This field is too long."))
    if errors:
        raise ValidationFailed(dict(errors))
    return clean


def _rows(errors: _Errors, field: str, rows, names: tuple[str, ...]) -> list[tuple]:
    """Rows as tuples of ``names``; blank rows (a form's spare lines) are skipped."""
    result = []
    if rows is None:
        return result
    if not isinstance(rows, list):
        errors.add(field, N_("Give a list."))
        return result
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not all(isinstance(row.get(n, ""), str) for n in names):
            errors.add(f"{field}.{index}", N_("Give the language and the text."))
            continue
        values = tuple((row.get(n) or "").strip() for n in names)
        if not values[-1]:
            continue
        if field != "notes":
            values = (*values[:-1], label_text(values[-1]))
        result.append(values)
    return result


def _ids(errors: _Errors, field: str, values) -> list[int]:
    ids = []
    for value in values or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors.add(field, N_("Give concept numbers."))
            continue
        if number not in ids:
            ids.append(number)
    return ids


def relations_of(session: Session, concept_id: int, kind: RelationKind) -> list[int]:
    return sorted(session.scalars(select(ConceptRelation.target_id).where(
        ConceptRelation.source_id == concept_id, ConceptRelation.kind == kind.value)))


def concept_fields(session: Session, concept: Concept) -> dict:
    """The editable parts of a concept as plain data: the audit trail diffs
    them and a version conflict shows them."""
    labels = {kind.value: [] for kind in LabelKind}
    for label in concept.labels:
        labels[label.kind].append([label.language, label.text])
    return {
        "uri": concept.uri, "notation": concept.notation, "status": concept.status.value,
        "replaced_by": concept.replaced_by_id, "top_concept": concept.top_concept,
        "scheme_id": concept.scheme_id,
        "pref_labels": dict(sorted(labels["pref"])), "alt_labels": sorted(labels["alt"]),
        "hidden_labels": sorted(labels["hidden"]),
        "notes": sorted([n.kind, n.language, n.text] for n in concept.notes),
        "broader": relations_of(session, concept.id, RelationKind.BROADER),
        "related": relations_of(session, concept.id, RelationKind.RELATED),
    }


def concept_snapshot(session: Session, concept: Concept) -> dict:
    return {"id": concept.id, "version": concept.version, **concept_fields(session, concept)}
