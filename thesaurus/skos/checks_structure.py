"""Checks on the structure: hierarchy cycles and redundancy, related links
inside a hierarchy, top concepts, orphans, disconnected groups."""
from __future__ import annotations

from collections import defaultdict

from thesaurus.skos.checks_labels import name
from thesaurus.skos.findings import finding
from thesaurus.skos.graph import SkosGraph


class Hierarchy:
    """The graph's hierarchy read as normalise() would (narrower folded into
    broader, related symmetric), without changing the graph."""

    def __init__(self, graph: SkosGraph):
        self.parents = defaultdict(set)
        self.children = defaultdict(set)
        self.related = defaultdict(set)
        for concept in graph.concepts.values():
            for parent in concept.broader:
                self._link(concept.uri, parent)
            for child in concept.narrower:
                self._link(child, concept.uri)
            for other in concept.related:
                self.related[concept.uri].add(other)
                self.related[other].add(concept.uri)
        self._ancestors = {}

    def _link(self, child: str, parent: str) -> None:
        self.parents[child].add(parent)
        self.children[parent].add(child)

    def ancestors(self, uri: str) -> dict[str, str]:
        """Every ancestor -> the child through which it was first reached (to
        rebuild a chain); safe on cycles."""
        cached = self._ancestors.get(uri)
        if cached is None:
            cached, todo = {}, [uri]
            while todo:
                current = todo.pop()
                for parent in self.parents.get(current, ()):
                    if parent not in cached:
                        cached[parent] = current
                        todo.append(parent)
            self._ancestors[uri] = cached
        return cached

    def chain(self, lower: str, upper: str) -> list[str]:
        """lower, ..., upper along broader links (upper must be an ancestor)."""
        via, path = self.ancestors(lower), [upper]
        while path[-1] != lower and len(path) <= len(via) + 1:
            path.append(via[path[-1]])
        return path[::-1]


def hierarchy_cycles(graph: SkosGraph, hierarchy: Hierarchy) -> list:
    """One finding per loop (strongly connected set of concepts), naming one
    chain through it: "Emploi > Travail > Emploi"."""
    found = []
    for component in _strongly_connected(hierarchy.parents):
        start = min(component)
        path = _path_back(hierarchy.parents, start, component)
        chain = " > ".join(name(graph, uri) for uri in path)
        found.append(finding("hierarchy_cycle", path[:-1], chain=chain))
    return found


def _strongly_connected(edges) -> list[set[str]]:
    """Tarjan's algorithm, iterative (deep hierarchies would overflow the stack);
    only components of two or more nodes (a self-loop is a reflexive relation)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], 0
    for root in list(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(component)
    return sorted(result, key=min)


def _path_back(edges, start: str, within: set[str]) -> list[str]:
    """Shortest path start -> ... -> start inside one loop (breadth first)."""
    previous, frontier = {}, [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(edges.get(node, ())):
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *path[::-1][1:], start] if len(path) > 1 else [start, node, start]
                if successor in within and successor not in previous:
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    return [start, start]


def relation_problems(graph: SkosGraph, hierarchy: Hierarchy) -> list:
    """Reflexive links, related concepts in one hierarchy chain or sharing a
    parent, broader links that a longer chain already implies."""
    found = []
    for uri, concept in graph.concepts.items():
        for relation, targets in (("broader", concept.broader), ("narrower", concept.narrower)):
            if uri in targets:
                found.append(finding("reflexive_relation", [uri], concept=name(graph, uri), relation=relation))
        if uri in concept.related:
            found.append(finding("self_related", [uri], concept=name(graph, uri)))
        for kind, target in concept.mappings:
            if target == uri:
                found.append(finding("reflexive_relation", [uri], concept=name(graph, uri), relation=kind))
    for uri in sorted(hierarchy.related):
        for other in sorted(hierarchy.related[uri]):
            if other <= uri:
                continue
            for lower, upper in ((uri, other), (other, uri)):
                if upper in hierarchy.ancestors(lower):
                    chain = " > ".join(name(graph, step) for step in hierarchy.chain(lower, upper))
                    found.append(finding("related_in_hierarchy", [uri, other], concept=name(graph, uri),
                                         other=name(graph, other), chain=chain))
                    break
            else:
                shared = hierarchy.parents.get(uri, set()) & hierarchy.parents.get(other, set())
                if shared:
                    found.append(finding("related_siblings", [uri, other], concept=name(graph, uri),
                                         other=name(graph, other), parent=name(graph, min(shared))))
    for uri in sorted(hierarchy.parents):
        parents = hierarchy.parents[uri] - {uri}
        for parent in sorted(parents):
            for other in sorted(parents - {parent}):
                if parent in hierarchy.ancestors(other) and other not in hierarchy.ancestors(parent):
                    chain = " > ".join(name(graph, step) for step in [uri, *hierarchy.chain(other, parent)])
                    found.append(finding("hierarchical_redundancy", [uri, parent], concept=name(graph, uri),
                                         other=name(graph, parent), chain=chain))
                    break
    return found


def scheme_problems(graph: SkosGraph, hierarchy: Hierarchy) -> list:
    """Top concepts with a broader concept, schemes without top concept or
    title, concepts linked to nothing, a file with no concept at all."""
    found = []
    if not graph.concepts:
        found.append(finding("no_concepts", []))
    tops = defaultdict(set)
    for scheme in graph.schemes.values():
        tops[scheme.uri] |= scheme.top_concepts
    for concept in graph.concepts.values():
        for scheme in concept.top_of:
            tops[scheme].add(concept.uri)
    top_concepts = set().union(*tops.values()) if tops else set()
    for uri in sorted(graph.schemes):
        if not tops[uri]:
            found.append(finding("missing_top_concepts", [uri], scheme=f"<{uri}>"))
        if not graph.schemes[uri].titles:
            found.append(finding("scheme_without_title", [uri], scheme=f"<{uri}>"))
    for uri in sorted(top_concepts):
        parents = hierarchy.parents.get(uri)
        if parents:
            found.append(finding("top_concept_has_broader", [uri], concept=name(graph, uri),
                                 other=name(graph, min(parents))))
    for uri, concept in graph.concepts.items():
        if concept.typed and uri not in top_concepts and not hierarchy.parents.get(uri) \
                and not hierarchy.children.get(uri) and not hierarchy.related.get(uri):
            found.append(finding("orphan_concept", [uri], concept=name(graph, uri)))
        if concept.replaced_by and concept.replaced_by not in graph.concepts:
            found.append(finding("replacement_missing", [uri, concept.replaced_by], concept=name(graph, uri),
                                 other=f"<{concept.replaced_by}>"))
    return found


def disconnected_clusters(graph: SkosGraph, hierarchy: Hierarchy) -> list:
    """Groups of concepts linked (broader, narrower or related) to each other
    but not to the largest group: often a branch whose link to the rest was
    lost. One finding per group; a lone concept is one too (UNESCO has three
    such groups besides its 4,480 linked concepts)."""
    group = {}

    def root(uri):
        while group.get(uri, uri) != uri:
            group[uri] = uri = group.get(group[uri], group[uri])
        return uri

    for uri in graph.concepts:
        for other in (*hierarchy.parents.get(uri, ()), *hierarchy.related.get(uri, ())):
            a, b = root(uri), root(other)
            if a != b:
                group[max(a, b)] = min(a, b)
    clusters = defaultdict(list)
    for uri in graph.concepts:
        clusters[root(uri)].append(uri)
    if len(clusters) < 2:
        return []
    ordered = sorted(clusters.values(), key=lambda members: (-len(members), min(members)))
    return [finding("disconnected_clusters", sorted(members), count=str(len(members)),
                    concept=name(graph, min(members)))
            for members in ordered[1:]]
