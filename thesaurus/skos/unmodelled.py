"""What a SKOS file says beyond the model, so that an export gives it back.

The model holds what the catalogue works with (labels, notes, hierarchy,
mappings, status, collections, scheme titles); a file says more: a scheme's
licence and rights holder, dates, iso-thes groups, skosxl labels, a second
notation, a self-related link the model drops... An import compares, per
resource, the file's triples with the ones the writer makes from what was
stored, as canonical N-Triples lines:

- ``kept``: stated by the file, not made by the model; written back as read;
- ``unstated``: made by the model, not stated by the file (the inverse of a
  one-way link, a type SKOS implies...); left out, so nothing is invented.

Triples about a blank node travel with the resource that points to it;
blank nodes nothing points to, and resources that are no concept, scheme or
collection (an unused skosxl:Label), are free-standing resources.
"""
from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict

from thesaurus.skos.graph import Unmodelled
from thesaurus.skos.terms import DCT, ISO_THES, OWL, SKOS, SKOSXL

# What the model says about a concept. Once the concept is edited here, the
# model is the authority on these: a kept triple with one of them (a label
# the model trimmed, the source's modification date) no longer travels.
MODELLED = frozenset(
    [SKOS + name for name in (
        "prefLabel", "altLabel", "hiddenLabel", "notation", "note", "changeNote", "definition", "editorialNote",
        "example", "historyNote", "scopeNote", "broader", "narrower", "related", "broaderTransitive",
        "narrowerTransitive", "semanticRelation", "exactMatch", "closeMatch", "broadMatch", "narrowMatch",
        "relatedMatch", "inScheme", "topConceptOf")]
    + [SKOSXL + name for name in ("prefLabel", "altLabel", "hiddenLabel")]
    + [DCT + "isReplacedBy", DCT + "modified", OWL + "deprecated", ISO_THES + "status"])

# Labels given here: stable across exports, so a re-import keeps them.
_OURS = re.compile(r"k[0-9a-f]{32}")
_BLANK = re.compile(r"_:\S+")


def _split(line: str) -> tuple[str, str, str]:
    """(subject, predicate, object) tokens of a canonical N-Triples line
    ("<s> <p> o ."): IRIs may hold spaces (read leniently), literals too."""
    end = line.index(">") + 1 if line.startswith("<") else line.index(" ")
    predicate_end = line.index(">", end + 2) + 1
    return line[:end], line[end + 1:predicate_end], line[predicate_end + 1:-2]


def subject_of(line: str) -> str:
    """The subject of a canonical N-Triples line: an IRI (without its angle
    brackets, as the graph names resources) or a blank node ("_:b0")."""
    if line.startswith("<"):
        return line[1:line.index(">")]
    return line[:line.index(" ")]


def predicate_of(line: str) -> str:
    return _split(line)[1][1:-1]


def by_subject(lines) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line:
            grouped[subject_of(line)].add(line)
    return grouped


def as_edited(unmodelled: Unmodelled) -> Unmodelled:
    """A concept edited here: the model is written whole, and only kept
    triples about what the model does not hold still travel."""
    return Unmodelled(frozenset(line for line in unmodelled.kept if predicate_of(line) not in MODELLED))


def separate(source: bytes, written: list[bytes], owners: set[str], excluded: set[str], scope: str = ""
             ) -> tuple[dict[str, Unmodelled], dict[str, frozenset[str]]]:
    """(owner -> Unmodelled, free-standing subject -> lines).

    ``source`` is the file as canonical N-Triples; ``written`` the model's
    lines for ``owners`` (the concepts, schemes and collections the import
    wrote), as ``write.model_lines`` makes them from the graph as stored.
    Triples about ``excluded`` resources (the file's, left out by the import)
    and the blank nodes below them are dropped. Blank nodes get labels that
    are unique to where they hang (``scope``: the scheme free-standing ones
    come with), so files that both say "_:b0" never meet.
    """
    # Most lines are the same on both sides: match them by hash and look
    # closer at the difference only. The file is streamed, not split whole:
    # UNESCO's 88,000 lines would cost 20 MB more at the import's peak.
    made, extra_lines = set(written), []
    for line in io.BytesIO(source):
        line = line.rstrip(b"\n")
        if line in made:
            made.discard(line)
        elif line:
            extra_lines.append(line.decode("utf-8"))
    extra = by_subject(extra_lines)
    missing = by_subject(line.decode("utf-8") for line in made)
    del made, extra_lines
    # A blank node only ever appears in the difference: the model makes none.
    referrers: dict[str, str] = {}
    for subject in sorted(extra):
        for line in extra[subject]:
            blank = _blank_object(line) if "_:" in line else None
            if blank and blank != subject:
                referrers[blank] = min(referrers.get(blank, subject), subject)
    groups: dict[str, set[str]] = defaultdict(set)
    for subject, lines in extra.items():
        groups[_root(subject, referrers, owners)] |= lines
    labels = _labels(extra.keys() | referrers.keys(), referrers, owners, groups, scope)

    parts = {owner: Unmodelled(frozenset(_relabel(groups.pop(owner, ()), labels)),
                               frozenset(missing.get(owner, ()))) for owner in owners}
    resources = {labels.get(root, root): frozenset(_relabel(lines, labels))
                 for root, lines in groups.items() if root not in excluded}
    return parts, resources


def _blank_object(line: str) -> str | None:
    obj = _split(line)[2]
    return obj if obj.startswith("_:") else None


def _root(subject: str, referrers: dict[str, str], owners: set[str]) -> str:
    """The resource a blank node hangs from: up through blank nodes to the
    first subject that is an owner or an IRI (or a blank node nothing names)."""
    seen = set()
    while subject.startswith("_:") and subject not in owners and subject in referrers and subject not in seen:
        seen.add(subject)
        subject = referrers[subject]
    return subject


def _labels(blanks, referrers, owners, groups, scope: str) -> dict[str, str]:
    """New labels for the file's blank nodes, unique to the resource each
    hangs from. A free-standing blank node (nothing names it) is labelled by
    what it says, so importing the same file again replaces it rather than
    adding a copy."""
    names, shapes = {}, defaultdict(list)
    for root, lines in groups.items():
        if root.startswith("_:") and root not in owners and not _OURS.fullmatch(root[2:]):
            shapes[_digest(scope, *sorted(_BLANK.sub("_:", line) for line in lines))].append(root)
    for shape, roots in shapes.items():
        # Identical free-standing blank nodes stay distinct, in any order.
        names.update((root, f"{shape}{n}") for n, root in enumerate(sorted(roots)))
    labels = {}
    for blank in blanks:
        if not blank.startswith("_:") or blank in owners or _OURS.fullmatch(blank[2:]):
            continue
        if blank in names:
            labels[blank] = f"_:k{_digest(scope, names[blank])}"
        else:
            root = _root(blank, referrers, owners)
            labels[blank] = f"_:k{_digest(scope, names.get(root, root), blank)}"
    return labels


def _digest(*parts: str) -> str:
    return hashlib.md5("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


def _relabel(lines, labels: dict[str, str]):
    if not labels:
        return lines
    return [_relabel_line(line, labels) if "_:" in line else line for line in lines]


def _relabel_line(line: str, labels: dict[str, str]) -> str:
    subject, predicate, obj = _split(line)
    return f"{labels.get(subject, subject)} {predicate} {labels.get(obj, obj)} ."
