"""Every file-level check of a thesaurus, in one call.

``check`` is pure: it reads a ``SkosGraph`` (a parsed file, the stored
thesaurus, or the stored one overlaid with a file) and returns findings;
deciding what an error blocks is the caller's business. Checks that need the
database (a deprecated concept still indexing records) live with the store.

Why the UNESCO thesaurus passes with warnings only: its faults are the kind a
documentalist fixes over time (related concepts sharing a parent, a broader
link also implied by a chain, a few one-way related links, which normalise()
completes), never one that breaks the model (a loop, two preferred labels in
a language, a missing French label, a label clash in the scheme).
"""
from __future__ import annotations

from thesaurus.skos.checks_labels import label_clashes, label_problems, name
from thesaurus.skos.checks_links import identifier_problems, mapping_problems, omitted_inverses
from thesaurus.skos.checks_structure import (
    Hierarchy,
    disconnected_clusters,
    hierarchy_cycles,
    relation_problems,
    scheme_problems,
)
from thesaurus.skos.findings import ERROR, Finding, finding
from thesaurus.skos.graph import SkosGraph


def check(graph: SkosGraph, *, focus: set[str] | None = None) -> list[Finding]:
    """All findings on ``graph``, errors first, then by code and concepts.

    ``focus``: only findings involving at least one of these concept URIs
    (an edit or an import checks the whole thesaurus but reports on what it
    touches). Whole-file findings (no concept, a scheme without top concept)
    are reported only without focus.
    """
    hierarchy = Hierarchy(graph)
    findings = [
        *graph.reader_findings,
        *identifier_problems(graph),
        *label_problems(graph),
        *label_clashes(graph),
        *hierarchy_cycles(graph, hierarchy),
        *relation_problems(graph, hierarchy),
        *scheme_problems(graph, hierarchy),
        *omitted_inverses(graph),
        *mapping_problems(graph),
        *disconnected_clusters(graph, hierarchy),
    ]
    if focus is not None:
        focus = set(focus)
        findings = [f for f in findings if focus.intersection(f.concepts)]
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.code, f.concepts))


def dropped_concepts(previous: SkosGraph, current: SkosGraph) -> list[Finding]:
    """Concepts of ``previous`` that ``current`` no longer has. A concept may
    index records and be cited by URI elsewhere, so a new version should
    deprecate it, not delete it (ScoLOMFR's "conservation des concepts")."""
    return [finding("concept_dropped", [uri], concept=name(previous, uri))
            for uri in sorted(previous.concepts.keys() - current.concepts.keys())
            if previous.concepts[uri].typed]
