"""Edit-time checks: what one edit would break, found with a few indexed queries.

The file-level checks (thesaurus.skos.checks) read a whole graph; an edit
touches one or two concepts, so these checks look only at what the edit can
break: the concept's own labels, the labels equal to them (by folded key, an
indexed column), and the hierarchy above and below the concept (one query
per level). On the UNESCO thesaurus (~4,500 concepts) an edit is checked in
a few milliseconds.

Findings use the same codes and messages as the file-level checks
(thesaurus.skos.findings), so a refusal reads the same in the editor, the
API and the import report.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.outbox import chunks
from core.text import fold
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.indexing import descendants
from thesaurus.models import Concept, ConceptLabel, ConceptRelation
from thesaurus.skos.findings import CODES, Finding, errors_in, finding
from thesaurus.vocab import ConceptStatus, LabelKind, RelationKind

# BCP 47 (RFC 5646) well-formedness, without the registry: language, extlang,
# script, region, variants, extensions, private use; or private use alone.
LANGUAGE_TAG = re.compile(
    r"^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wy-z\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$"
    r"|^x(?:-[a-z\d]{1,8})+$", re.IGNORECASE)
MAX_FINDINGS = 20  # per check: enough to say why, short enough to read


@dataclass(frozen=True)
class Proposed:
    """A concept as it would be after the edit."""

    id: int | None
    uri: str
    name: str                   # its French preferred label, to name it in messages
    scheme_id: int | None
    deprecated: bool
    labels: tuple               # (kind, language, text) triples


def quoted(label: str | None) -> str:
    return f"“{label or '?'}”"


def refuse_errors(findings: Iterable[Finding]) -> None:
    """Raise ThesaurusRuleViolation if any finding is an error."""
    errors = errors_in(findings)
    if errors:
        raise ThesaurusRuleViolation(errors)


def _same_language(a: str, b: str) -> bool:
    # A label without a language clashes with a label in any language.
    return a.lower() == b.lower() or not a or not b


# Labels ----------------------------------------------------------------------
def label_findings(session: Session, concept: Proposed, *, ignore: Iterable[int] = ()) -> list[Finding]:
    """The concept's own label rules, then clashes with other concepts of its
    scheme (deprecated concepts, and ``ignore``, are exempt)."""
    me, uri = quoted(concept.name), concept.uri
    found = []
    prefs: dict[str, list[str]] = {}
    for kind, language, text in concept.labels:
        if not text.strip():
            found.append(finding("empty_label", [uri], concept=me))
        if language and not LANGUAGE_TAG.match(language):
            found.append(finding("invalid_language_tag", [uri], tag=quoted(language), concept=me))
        if kind == LabelKind.PREF.value:
            prefs.setdefault(language.lower(), []).append(text)
    for language, texts in prefs.items():
        if len(texts) > 1:
            found.append(finding("duplicate_pref_label", [uri], concept=me, language=language or "-",
                                 labels=", ".join(quoted(t) for t in texts)))
    if not any(lang == "fr" or lang.startswith("fr-") for lang in prefs):
        found.append(finding("missing_french_label", [uri], concept=me))
    keyed = [(kind, language, text, fold(text)) for kind, language, text in concept.labels if text.strip()]
    for kind, language, text, key in keyed:
        if kind != LabelKind.PREF.value and any(
                k == LabelKind.PREF.value and other_key == key and _same_language(lang, language)
                for k, lang, _, other_key in keyed):
            found.append(finding("disjoint_labels", [uri], label=quoted(text), concept=me))
    if not concept.deprecated:
        found += _clashes(session, concept, keyed, set(ignore))
    return found[:MAX_FINDINGS]


def _clashes(session: Session, concept: Proposed, keyed: list, ignore: set[int]) -> list[Finding]:
    mine = [(kind, language, text, key) for kind, language, text, key in keyed
            if kind in (LabelKind.PREF.value, LabelKind.ALT.value)]
    if not mine:
        return []
    query = (select(ConceptLabel.kind, ConceptLabel.language, ConceptLabel.text, ConceptLabel.key,
                    Concept.id, Concept.uri, Concept.pref_label_fr)
             .join(Concept, Concept.id == ConceptLabel.concept_id)
             .where(ConceptLabel.key.in_({key for *_, key in mine}),
                    ConceptLabel.kind.in_([LabelKind.PREF.value, LabelKind.ALT.value]),
                    Concept.status != ConceptStatus.DEPRECATED,
                    Concept.scheme_id.is_(None) if concept.scheme_id is None
                    else Concept.scheme_id == concept.scheme_id))
    if concept.id is not None:
        query = query.where(Concept.id != concept.id)
    found = []
    me = quoted(concept.name)
    for row in session.execute(query.order_by(Concept.id)):
        if row.id in ignore:
            continue
        other = quoted(row.pref_label_fr)
        for kind, language, text, key in mine:
            if key != row.key or not _same_language(language, row.language):
                continue
            pair = [concept.uri, row.uri]
            if kind == row.kind == LabelKind.PREF.value:
                found.append(_shared(pair, f"{me}, {other}", quoted(text), language or row.language or "-"))
            elif kind == LabelKind.PREF.value:
                found.append(finding("pref_alt_clash", pair, label=quoted(text), concept=me, other=other))
            elif row.kind == LabelKind.PREF.value:
                found.append(finding("pref_alt_clash", pair[::-1], label=quoted(row.text), concept=other,
                                     other=me))
    return found


def _shared(uris: list[str], names: str, label: str, language: str) -> Finding:
    # The message's %(concepts)s parameter has the name of finding()'s
    # positional argument, so it cannot be passed as a keyword there.
    severity, message = CODES["pref_label_shared"]
    return Finding("pref_label_shared", severity, tuple(uris), message,
                   {"concepts": names, "label": label, "language": language})


# Hierarchy -------------------------------------------------------------------
def hierarchy_findings(session: Session, concept: Concept, broader_ids: set[int]) -> list[Finding]:
    """What giving ``concept`` exactly ``broader_ids`` as broader concepts breaks:
    a link to itself, a cycle (named by its chain), related links between
    concepts that would then be in one hierarchy chain."""
    if concept.id in broader_ids:
        return [finding("reflexive_relation", [concept.uri], concept=quoted(concept.pref_label_fr),
                        relation="broader")]
    cycle = _path_up(session, broader_ids, concept.id)
    if cycle:
        # Top down: the concept, down to its new broader concept, then itself again.
        chain = [*reversed(cycle), concept.id]
        return [finding("hierarchy_cycle", _uris(session, chain), chain=_chain(session, chain))]
    above = broader_ids | _ancestors(session, broader_ids)
    below = {concept.id} | descendants(session, [concept.id])
    found = []
    override = {concept.id: broader_ids}
    for low, high in _related_pairs(session, below, above)[:MAX_FINDINGS]:
        path = _path_up(session, {low}, high, override)
        found.append(_related_finding(session, low, high, path))
    return found


def related_findings(session: Session, concept: Concept, other: Concept) -> list[Finding]:
    """What relating ``concept`` and ``other`` breaks: a link to itself, or a
    related link inside one hierarchy chain."""
    if concept.id == other.id:
        return [finding("reflexive_relation", [concept.uri], concept=quoted(concept.pref_label_fr),
                        relation="related")]
    for low, high in ((concept.id, other.id), (other.id, concept.id)):
        path = _path_up(session, {low}, high)
        if path:
            return [_related_finding(session, low, high, path)]
    return []


def _related_finding(session: Session, low: int, high: int, path: list[int] | None) -> Finding:
    chain = list(reversed(path or [low, high]))
    names = _names(session, {low, high})
    return finding("related_in_hierarchy", _uris(session, [low, high]), concept=quoted(names[low]),
                   other=quoted(names[high]), chain=_chain(session, chain))


def _related_pairs(session: Session, below: set[int], above: set[int]) -> list[tuple[int, int]]:
    pairs = []
    for part in chunks(below):
        pairs += session.execute(select(ConceptRelation.source_id, ConceptRelation.target_id).where(
            ConceptRelation.kind == RelationKind.RELATED.value, ConceptRelation.source_id.in_(part),
            ConceptRelation.target_id.in_(above))).all()
    return sorted(tuple(pair) for pair in pairs)


def _parents(session: Session, ids: set[int], override: dict[int, set[int]]) -> dict[int, set[int]]:
    found = {i: set(override[i]) for i in ids if i in override}
    asked = ids - set(found)
    for part in chunks(asked):
        for source, target in session.execute(select(ConceptRelation.source_id, ConceptRelation.target_id).where(
                ConceptRelation.kind == RelationKind.BROADER.value, ConceptRelation.source_id.in_(part))):
            found.setdefault(source, set()).add(target)
    return found


def _path_up(session: Session, starts: set[int], goal: int, override: dict | None = None) -> list[int] | None:
    """A shortest path [start, ..., goal] going up broader links, or None.
    ``override`` replaces some concepts' broader sets (the edit being checked)."""
    override = override or {}
    previous: dict[int, int | None] = {start: None for start in starts}
    frontier = set(starts)
    while frontier:
        if goal in frontier:
            path, node = [], goal
            while node is not None:
                path.append(node)
                node = previous[node]
            return path[::-1]
        following = set()
        for node, parents in sorted(_parents(session, frontier, override).items()):
            for parent in sorted(parents):
                if parent not in previous:
                    previous[parent] = node
                    following.add(parent)
        frontier = following
    return None


def _ancestors(session: Session, ids: set[int]) -> set[int]:
    seen, frontier = set(), set(ids)
    while frontier:
        frontier = {p for parents in _parents(session, frontier, {}).values() for p in parents} - seen
        seen |= frontier
    return seen


def _names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    return dict(session.execute(select(Concept.id, Concept.pref_label_fr).where(Concept.id.in_(set(ids)))).all())


def _uris(session: Session, ids: list[int]) -> list[str]:
    uris = dict(session.execute(select(Concept.id, Concept.uri).where(Concept.id.in_(set(ids)))).all())
    return [uris[i] for i in ids]


def _chain(session: Session, ids: list[int]) -> str:
    """"Emploi > Travail > Emploi": labels top down, as documentalists read a hierarchy."""
    names = _names(session, ids)
    return " > ".join(names.get(i) or "?" for i in ids)
