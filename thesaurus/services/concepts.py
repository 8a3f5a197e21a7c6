"""Editing concepts: create, rename, entry terms, hierarchy, status, merge.

Every edit is checked first (thesaurus.services.rules) and refused whole with
ThesaurusRuleViolation when it would break the thesaurus; it is written in a
savepoint, audited ("concept.<action>", entity_type "concept", with the
fields that changed), and the records whose search document it changes are
queued for re-indexing (thesaurus.indexing).
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core.audit import AuditEvent, diff
from core.config import SETTINGS
from core.db import paginate, utcnow
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service
from core.text import fold
from thesaurus import indexing
from thesaurus.models import Concept, ConceptLabel, ConceptScheme, HeadingMapping
from thesaurus.services import rules
from thesaurus.services.concept_input import (
    clean_concept,
    concept_fields,
    concept_snapshot,
    label_text,
    relations_of,
)
from thesaurus.services.concept_writes import (
    add_related,
    denormalise,
    pref_in,
    remove_related,
    set_broader,
    set_labels,
    set_notes,
)
from thesaurus.services.merge import merge_concepts
from thesaurus.vocab import ConceptStatus, LabelKind, RelationKind

DEFAULT_BASE_URI = next(s.default for s in SETTINGS if s.name == "CATALOGUE_THESAURUS_BASE_URI")
LABEL_FIELDS = {"pref_labels": LabelKind.PREF, "alt_labels": LabelKind.ALT, "hidden_labels": LabelKind.HIDDEN}
# Fields of concept_fields() that appear in records' search documents.
INDEXED = {"pref_labels", "alt_labels", "hidden_labels", "status", "replaced_by"}


class ConceptService(Service):
    def __init__(self, session, actor=None, clock=utcnow, *, base_uri: str | None = None):
        super().__init__(session, actor, clock)
        self.base_uri = base_uri or DEFAULT_BASE_URI

    # Reading -----------------------------------------------------------------
    def get(self, concept_id: int) -> Concept:
        concept = self.session.get(Concept, concept_id)
        if concept is None:
            raise NotFound(N_("There is no concept number %(id)s."), id=concept_id)
        return concept

    def get_by_uri(self, uri: str) -> Concept:
        concept = self.session.scalar(select(Concept).where(Concept.uri == uri))
        if concept is None:
            raise NotFound(N_("There is no concept %(uri)s."), uri=uri)
        return concept

    def history(self, concept_id: int, *, page: int = 1, size: int = 50) -> tuple[list[AuditEvent], int]:
        """Who changed the concept and when, most recent first."""
        query = select(AuditEvent).where(AuditEvent.entity_type == "concept", AuditEvent.entity_id == concept_id)
        return paginate(self.session, query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
                        page=page, size=size)

    # Creating ----------------------------------------------------------------
    def create(self, data: dict) -> Concept:
        """A new concept. ``data``: pref_labels {language: text} (French
        required), alt_labels and hidden_labels [{language, text}], notes
        [{kind, language, text}], notation, status (candidate or approved),
        broader and related [concept ids], scheme_id (default: the first
        scheme, created if there is none), uri (default: minted from
        ``base_uri``), top_concept (default: true when no broader)."""
        clean = clean_concept(data, partial=False)
        scheme_id = self._scheme_id(clean.get("scheme_id"))
        uri = clean.get("uri") or f"{self.base_uri}{uuid.uuid4().hex[:16]}"
        if self.session.scalar(select(Concept.id).where(Concept.uri == uri)):
            raise ValidationFailed({"uri": [N_("Another concept already has this URI.")]})
        self._require(clean["broader"] + clean["related"], "broader")
        labels = clean["pref_labels"] + clean["alt_labels"] + clean["hidden_labels"]
        rules.refuse_errors(rules.label_findings(self.session, rules.Proposed(
            None, uri, pref_in(labels, "fr") or "?", scheme_id, False, tuple(labels))))
        now = self.clock()
        concept = Concept(uri=uri, scheme_id=scheme_id, notation=clean["notation"],
                          status=ConceptStatus(clean["status"]),
                          top_concept=clean.get("top_concept", not clean["broader"]),
                          created_at=now, updated_at=now, created_by_id=self.actor_id, updated_by_id=self.actor_id)
        with self._writing(concept, data):
            set_labels(concept, labels)
            set_notes(concept, clean["notes"])
            self.session.add(concept)
            self.session.flush()
            set_broader(self.session, concept.id, set(clean["broader"]))
            for other in clean["related"]:
                self._relate(concept, self.get(other))
            self.session.flush()
        self.audit.log("concept.create", "concept", concept.id, record_id=None, label=concept.pref_label_fr,
                       changes=diff({}, concept_fields(self.session, concept)))
        return concept

    # Editing -----------------------------------------------------------------
    def update(self, concept_id: int, data: dict, *, version: int) -> Concept:
        """Change the keys present in ``data`` (the keys of ``create``; a list
        given replaces the stored one: ``alt_labels`` are all the entry terms).
        A stale ``version`` raises VersionConflict and changes nothing."""
        concept = self.get(concept_id)
        clean = clean_concept(data, partial=True)
        self._check_version(concept, version, data)
        if "status" in clean and concept.status is ConceptStatus.DEPRECATED:
            clean.pop("status")  # a deprecated concept comes back only through set_status
        if clean.get("uri", concept.uri) != concept.uri:
            raise ValidationFailed({"uri": [N_("A concept keeps its URI: links elsewhere point to it.")]})
        if "scheme_id" in clean:
            clean["scheme_id"] = self._scheme_id(clean["scheme_id"])
        labels = [(label.kind, label.language, label.text) for label in concept.labels]
        for field, kind in LABEL_FIELDS.items():
            if field in clean:
                labels = [row for row in labels if row[0] != kind.value] + clean[field]

        def apply():
            self._check_labels(concept, labels, scheme_id=clean.get("scheme_id", concept.scheme_id))
            set_labels(concept, labels)
            if "notes" in clean:
                set_notes(concept, clean["notes"])
            for name in ("notation", "scheme_id", "top_concept"):
                if name in clean:
                    setattr(concept, name, clean[name])
            if "status" in clean:
                concept.status = ConceptStatus(clean["status"])
            if "broader" in clean:
                self._move(concept, clean["broader"], top=clean.get("top_concept"))
            if "related" in clean:
                self._require(clean["related"], "related")
                wanted = set(clean["related"])
                for other in set(relations_of(self.session, concept.id, RelationKind.RELATED)) - wanted:
                    remove_related(self.session, concept.id, other)
                for other in wanted:
                    self._relate(concept, self.get(other))
        return self._edit(concept, "concept.update", data, apply)

    def add_label(self, concept_id: int, kind: str, language: str, text: str, *,
                  version: int | None = None) -> Concept:
        """Add a label (usually an entry term, kind "alt"); the new label is
        the last of ``concept.labels``."""
        concept = self.get(concept_id)
        if kind not in LabelKind.values():
            raise ValidationFailed({"kind": [N_("This value is not one of the allowed choices.")]})
        self._check_version(concept, version, {"kind": kind, "language": language, "text": text})
        row = (kind, (language or "").strip(), label_text(text or ""))
        labels = [(label.kind, label.language, label.text) for label in concept.labels] + [row]

        def apply():
            self._check_labels(concept, labels)
            concept.labels.append(ConceptLabel(kind=row[0], language=row[1], text=row[2], key=fold(row[2])))
            denormalise(concept)
        return self._edit(concept, "concept.add_label", {"label": list(row)}, apply)

    def remove_label(self, concept_id: int, label_id: int, *, version: int | None = None) -> Concept:
        concept = self.get(concept_id)
        label = next((label for label in concept.labels if label.id == label_id), None)
        if label is None:
            raise NotFound(N_("This concept has no label number %(id)s."), id=label_id)
        self._check_version(concept, version, {"label_id": label_id})
        labels = [(lb.kind, lb.language, lb.text) for lb in concept.labels if lb is not label]

        def apply():
            self._check_labels(concept, labels)
            concept.labels.remove(label)
            denormalise(concept)
        return self._edit(concept, "concept.remove_label", {"label_id": label_id}, apply)

    def move(self, concept_id: int, broader_ids, *, version: int | None = None) -> Concept:
        """Give the concept exactly ``broader_ids`` as broader concepts (none: a top concept)."""
        concept = self.get(concept_id)
        self._check_version(concept, version, {"broader": list(broader_ids)})
        return self._edit(concept, "concept.move", {"broader": list(broader_ids)},
                          lambda: self._move(concept, list(broader_ids)))

    def relate(self, concept_id: int, other_id: int, *, version: int | None = None) -> Concept:
        concept, other = self.get(concept_id), self.get(other_id)
        self._check_version(concept, version, {"related": other_id})
        return self._edit(concept, "concept.relate", {"related": other_id},
                          lambda: self._relate(concept, other), others=[other])

    def unrelate(self, concept_id: int, other_id: int, *, version: int | None = None) -> Concept:
        concept, other = self.get(concept_id), self.get(other_id)
        self._check_version(concept, version, {"related": other_id})
        return self._edit(concept, "concept.unrelate", {"related": other_id},
                          lambda: remove_related(self.session, concept.id, other.id), others=[other])

    def deprecate(self, concept_id: int, replaced_by_id: int | None = None, *,
                  version: int | None = None) -> Concept:
        """Retire a concept; ``replaced_by_id`` is the concept to use instead.
        Records keep it until re-indexed; headings mapped to it now give the
        replacement to the records imported later."""
        concept = self.get(concept_id)
        self._check_version(concept, version, {"replaced_by": replaced_by_id})
        replacement = self._replacement(concept, replaced_by_id)

        def apply():
            concept.status = ConceptStatus.DEPRECATED
            concept.replaced_by_id = replacement.id if replacement else None
            if replacement is not None:
                self.session.execute(HeadingMapping.__table__.update()
                                     .where(HeadingMapping.concept_id == concept.id)
                                     .values(concept_id=replacement.id))
        return self._edit(concept, "concept.deprecate", {"replaced_by": replaced_by_id}, apply)

    def set_status(self, concept_id: int, status: str, *, version: int | None = None) -> Concept:
        """candidate, approved, or deprecated (without replacement: see deprecate)."""
        if status == ConceptStatus.DEPRECATED.value:
            return self.deprecate(concept_id, version=version)
        if status not in ConceptStatus.values():
            raise ValidationFailed({"status": [N_("This value is not one of the allowed choices.")]})
        concept = self.get(concept_id)
        self._check_version(concept, version, {"status": status})

        def apply():
            if concept.status is ConceptStatus.DEPRECATED:  # back in use: its labels must not clash
                self._check_labels(concept, [(lb.kind, lb.language, lb.text) for lb in concept.labels],
                                   deprecated=False)
            concept.status, concept.replaced_by_id = ConceptStatus(status), None
        return self._edit(concept, "concept.status", {"status": status}, apply)

    def merge(self, loser_id: int, survivor_id: int, *, version: int | None = None) -> Concept:
        """Merge ``loser_id`` into ``survivor_id`` and return the survivor (see
        thesaurus.services.merge)."""
        loser, survivor = self.get(loser_id), self.get(survivor_id)
        self._check_version(loser, version, {"into": survivor_id})
        return merge_concepts(self, loser, survivor)

    # Helpers -----------------------------------------------------------------
    def _edit(self, concept: Concept, action: str, submitted: dict, apply, *, others=()) -> Concept:
        """Apply an edit in a savepoint; audit it and mark records if anything changed."""
        touched = (concept, *others)
        before = [concept_fields(self.session, c) for c in touched]
        with self._writing(concept, submitted):
            # One UPDATE of the concept row per edit, so its version goes up by
            # one: no flush until the change is known and stamped.
            with self.session.no_autoflush:
                apply()
                changes = [diff(old, concept_fields(self.session, c)) for old, c in zip(before, touched)]
                if changes[0]:
                    for c in touched:
                        c.updated_at, c.updated_by_id = self.clock(), self.actor_id
            self.session.flush()
        for c, changed in zip(touched, changes):
            if changed:
                self.audit.log(action, "concept", c.id, record_id=None, label=c.pref_label_fr, changes=changed)
        changes = changes[0]
        if not changes:
            return concept
        if "broader" in changes:
            indexing.mark_records(self.session, [concept.id], "concept.hierarchy", with_narrower=True)
        elif INDEXED & set(changes):
            indexing.mark_records(self.session, [concept.id], "concept.labels")
        return concept

    @contextmanager
    def _writing(self, concept: Concept, submitted: dict):
        try:
            with self.session.begin_nested():
                yield
        except StaleDataError:
            # Another transaction committed a change of this concept meanwhile.
            self.session.refresh(concept)
            raise self._conflict(concept, submitted) from None

    def _check_version(self, concept: Concept, version: int | None, submitted: dict) -> None:
        if version is not None and concept.version != version:
            raise self._conflict(concept, submitted)

    def _conflict(self, concept: Concept, submitted: dict) -> VersionConflict:
        return VersionConflict(
            N_("Someone else changed this concept (version %(version)s) while you were editing it. "
               "Nothing was overwritten: look at the current version, then make your change again."),
            version=concept.version, current=concept_snapshot(self.session, concept), submitted=submitted)

    def _check_labels(self, concept: Concept, labels: list, *, scheme_id=None, deprecated=None, ignore=()):
        deprecated = concept.status is ConceptStatus.DEPRECATED if deprecated is None else deprecated
        rules.refuse_errors(rules.label_findings(self.session, rules.Proposed(
            concept.id, concept.uri, pref_in(labels, "fr") or concept.pref_label_fr,
            scheme_id if scheme_id is not None else concept.scheme_id, deprecated, tuple(labels)), ignore=ignore))

    def _move(self, concept: Concept, broader_ids: list[int], *, top: bool | None = None) -> None:
        self._require(broader_ids, "broader")
        rules.refuse_errors(rules.hierarchy_findings(self.session, concept, set(broader_ids)))
        set_broader(self.session, concept.id, set(broader_ids))
        concept.top_concept = (not broader_ids) if top is None else top

    def _relate(self, concept: Concept, other: Concept) -> None:
        rules.refuse_errors(rules.related_findings(self.session, concept, other))
        add_related(self.session, concept.id, other.id)

    def _require(self, ids, field: str) -> None:
        ids = set(ids)
        found = set(self.session.scalars(select(Concept.id).where(Concept.id.in_(ids)))) if ids else set()
        if ids - found:
            raise ValidationFailed({field: [N_("There is no concept with this number.")]})

    def _replacement(self, concept: Concept, replaced_by_id: int | None) -> Concept | None:
        if replaced_by_id is None:
            return None
        if replaced_by_id == concept.id:
            rules.refuse_errors([rules.finding("reflexive_relation", [concept.uri],
                                               concept=rules.quoted(concept.pref_label_fr), relation="replaced by")])
        try:
            replacement = self.get(replaced_by_id)
        except NotFound:
            raise ValidationFailed({"replaced_by": [N_("There is no concept with this number.")]}) from None
        if replacement.status is ConceptStatus.DEPRECATED:
            raise ValidationFailed({"replaced_by": [N_("This concept is deprecated too: choose a concept in use.")]})
        return replacement

    def _scheme_id(self, scheme_id: int | None) -> int:
        if scheme_id is not None:
            if self.session.get(ConceptScheme, scheme_id) is None:
                raise ValidationFailed({"scheme_id": [N_("There is no such thesaurus.")]})
            return scheme_id
        scheme = self.session.scalar(select(ConceptScheme).order_by(ConceptScheme.id).limit(1))
        if scheme is None:  # the first concept of an empty thesaurus
            scheme = ConceptScheme(uri=f"{self.base_uri}scheme", title="Thésaurus",
                                   titles={"fr": "Thésaurus", "en": "Thesaurus"})
            self.session.add(scheme)
            self.session.flush()
        return scheme.id

