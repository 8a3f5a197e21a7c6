"""Changes as a documentalist reads them: the audit trail and version
conflicts store field names and plain values (codes, concept ids,
contributors as ``{"name", "role"}``); this module names the fields and gives
each value its label, in the reader's language.

Every package whose services write to the audit trail describes its
entities here (``describe``, from its ``init_app``): their name, their
fields' labels and the vocabularies of their coded fields. Works and copies
are described below, and the thesaurus's entities too (the floor below
cannot reach this one). A value nobody describes (a code added since, a
field of an undescribed entity) is shown as it is stored: better raw than hidden.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.vocab import (
    FIELD_LABELS,
    Audience,
    Condition,
    ContributorRole,
    Disposal,
    DocumentType,
    ItemStatus,
    Library,
    Origin,
    Pole,
    SubscriptionStatus,
    Vocabulary,
    language_label,
)
from core.i18n import N_
from thesaurus.models import Concept
from thesaurus.vocab import ConceptStatus

EMPTY = "∅"
# Fields holding concept ids, shown as the concepts' preferred labels.
CONCEPT_FIELDS = ("descriptors", "concept_id", "concept_ids", "broader", "related", "replaced_by",
                  "concept")  # the last, a portal's filter by subject: ids as text
BOOLEANS = {True: N_("yes"), False: N_("no")}


@dataclass(frozen=True)
class Entity:
    """What the audit trail says of one entity type. ``codes``: field -> code
    -> label (message ids). ``summary``: its changes are figures of an
    operation (an import's counts), not ``[old, new]`` pairs."""

    label: str
    fields: Mapping[str, str] = field(default_factory=dict)
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    summary: bool = False


ENTITIES: dict[str, Entity] = {}
ACTIONS: dict[str, str] = {}


def describe(entity_type: str, label: str, *, fields: Mapping[str, str] | None = None,
             codes: Mapping[str, type[Vocabulary] | Mapping[str, str]] | None = None,
             actions: Mapping[str, str] | None = None, summary: bool = False) -> None:
    """Name ``entity_type``, its fields and the labels of its coded fields
    (a Vocabulary or a code -> message id mapping), and the actions it is logged
    under. Message ids, marked ``N_``; translated when a page is shown."""
    ENTITIES[entity_type] = Entity(label, dict(fields or {}),
                                   {name: _labels(vocabulary) for name, vocabulary in (codes or {}).items()},
                                   summary)
    ACTIONS.update(actions or {})


def _labels(vocabulary) -> dict[str, str]:
    if isinstance(vocabulary, type) and issubclass(vocabulary, Vocabulary):
        return {member.value: member.label for member in vocabulary}
    return dict(vocabulary)


class ChangeText:
    """Labels of actions, entities, fields and values for one page.
    ``translate`` is the edge's gettext; ``concepts`` maps concept ids to
    their preferred label in the page's language (see ``concept_labels``)."""

    def __init__(self, translate: Callable[[str], str], concepts: dict[int, str] | None = None):
        self.translate = translate
        self.concepts = concepts or {}

    def action(self, action: str) -> str:
        return self.translate(ACTIONS[action]) if action in ACTIONS else action

    def entity(self, entity_type: str) -> str:
        return self.translate(ENTITIES[entity_type].label) if entity_type in ENTITIES else entity_type

    def field(self, name: str, entity_type: str = "record") -> str:
        entity = ENTITIES.get(entity_type)
        label = (entity.fields.get(name) if entity else None) or FIELD_LABELS.get(name)
        return self.translate(label) if label else name

    def change(self, name: str, values, entity_type: str = "record") -> str:
        """One line of an event's changes: "old → new", or the figure of a summary."""
        entity = ENTITIES.get(entity_type)
        if isinstance(values, list) and len(values) == 2 and not (entity and entity.summary):
            return f"{self.value(name, values[0], entity_type)} → {self.value(name, values[1], entity_type)}"
        return self.value(name, values, entity_type)

    def value(self, name: str, value, entity_type: str = "record") -> str:
        """``value`` of field ``name`` as text; "∅" when empty."""
        if value is None or value == "" or value == [] or value == {}:
            return EMPTY
        if isinstance(value, list):
            separator = " ; " if name == "contributors" else ", "
            return separator.join(self._one(name, v, entity_type) for v in value)
        return self._one(name, value, entity_type)

    def _one(self, name: str, value, entity_type: str) -> str:
        if isinstance(value, bool):
            return self.translate(BOOLEANS[value])
        if isinstance(value, dict) and name != "contributors":  # facet -> values (a portal's filter)
            return " ; ".join(f"{self.field(key, entity_type)} : {self.value(key, values, entity_type)}"
                              for key, values in value.items())
        if name == "contributors" and isinstance(value, dict) and "name" in value:
            role = value.get("role")
            return f"{value['name']} ({self._code(entity_type, 'role', role)})" if role else str(value["name"])
        if name in ("languages", "language") and isinstance(value, str):
            return language_label(value, self.translate)
        concept_id = _concept_id(name, value)
        if concept_id is not None:
            return self.concepts.get(concept_id, str(value))
        if isinstance(value, str):
            return self._code(entity_type, name, value)
        return str(value)

    def _code(self, entity_type: str, name: str, code: str) -> str:
        entity = ENTITIES.get(entity_type)
        labels = entity.codes.get(name, {}) if entity else {}
        return self.translate(labels[code]) if code in labels else code


def descriptor_ids(changes: Iterable[dict]) -> set[int]:
    """The concept ids named in ``changes`` (field -> [old, new]), under the
    fields that hold concept ids, at any depth (a portal's filter holds them
    under its ``concept`` facet)."""
    return {concept_id for change in changes for concept_id in _ids_in(None, change or {})}


def _ids_in(name: str | None, value) -> Iterable[int]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _ids_in(key, inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _ids_in(name, inner)
    elif (concept_id := _concept_id(name, value)) is not None:
        yield concept_id


def _concept_id(name: str | None, value) -> int | None:
    """The concept id ``value`` holds under field ``name``, if it holds one."""
    if name not in CONCEPT_FIELDS or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def concept_labels(session: Session, ids: Iterable[int], locale: str) -> dict[int, str]:
    """Concept id -> preferred label in ``locale`` (French when the concept has
    no English label). A deleted concept is left out, and shows as its id."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = session.execute(select(Concept.id, Concept.pref_label_fr, Concept.pref_label_en)
                           .where(Concept.id.in_(ids)))
    return {row.id: (row.pref_label_en or row.pref_label_fr) if locale == "en" else row.pref_label_fr
            for row in rows}


_WORK_CODES = {"document_type": DocumentType, "subscription_status": SubscriptionStatus, "origin": Origin,
               "audiences": Audience, "poles": Pole, "role": ContributorRole}
_RECORD_ACTIONS = {"create": N_("Created"), "update": N_("Changed"), "delete": N_("Deleted"),
                   "use": N_("Use recorded"),
                   # Written by the importers on the records they hold for review.
                   "import.held.apply": N_("Held update applied"), "import.held.reject": N_("Held update rejected")}
describe("record", N_("work"), fields=FIELD_LABELS, codes=_WORK_CODES, actions=_RECORD_ACTIONS)
describe("item", N_("item"), fields=FIELD_LABELS, codes={"status": ItemStatus, "condition": Condition,
                                                         "library": Library, "disposal": Disposal})
_CONCEPT_FIELDS = {
    "uri": N_("URI"), "notation": N_("Notation"), "status": N_("Status"), "replaced_by": N_("Replaced by"),
    "top_concept": N_("Top concept"), "scheme_id": N_("Concept scheme"), "pref_labels": N_("Preferred labels"),
    "alt_labels": N_("Entry terms"), "hidden_labels": N_("Hidden labels"), "notes": N_("Notes"),
    "broader": N_("Broader concepts"), "related": N_("Related concepts"),
}
_CONCEPT_ACTIONS = {
    "concept.create": N_("Created"), "concept.update": N_("Changed"), "concept.add_label": N_("Changed"),
    "concept.remove_label": N_("Changed"), "concept.move": N_("Moved"), "concept.relate": N_("Changed"),
    "concept.unrelate": N_("Changed"), "concept.deprecate": N_("Deprecated"), "concept.status": N_("Changed"),
    "concept.merge": N_("Merged"),
}
describe("concept", N_("Concept"), fields=_CONCEPT_FIELDS, codes={"status": ConceptStatus}, actions=_CONCEPT_ACTIONS)
describe("collection", N_("Collection"), fields={"pole": N_("Pole")}, codes={"pole": Pole},
         actions={"collection.pole": N_("Changed")})
describe("scheme", N_("Thesaurus"), summary=True, actions={"thesaurus.import": N_("Imported")},
         fields={"added": N_("Added"), "changed": N_("Changed"), "deprecated": N_("Deprecated"),
                 "unchanged": N_("Unchanged"), "dropped": N_("Dropped"), "scheme": N_("Concept scheme")})
