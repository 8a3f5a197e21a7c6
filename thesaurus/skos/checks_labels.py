"""Checks on labels: presence, French, emptiness, spacing, language tags, and
clashes within a concept and across the concepts of a scheme."""
from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from thesaurus.skos.findings import finding
from thesaurus.skos.graph import SkosGraph

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_UNTIDY = re.compile(r"^\s|\s$|\s\s")


def name(graph: SkosGraph, uri: str) -> str:
    """How a concept is named in a message: its French preferred label, else
    any preferred label, else its URI."""
    concept = graph.concepts.get(uri)
    if concept is not None:
        label = concept.pref("fr") or next((lb.text for lb in sorted(concept.labels) if lb.kind == "pref"), None)
        if label and label.strip():
            return f"\u201c{label.strip()}\u201d"
    return f"<{uri}>"


def label_problems(graph: SkosGraph) -> list:
    """Problems each concept has on its own: missing, empty, untidy or
    unprintable labels, invalid language tags, two preferred labels in one
    language, a text both preferred and not preferred."""
    found = []
    valid_tags = {}
    for uri, concept in graph.concepts.items():
        prefs = {}            # language -> set of texts
        others = set()        # (language, text) of entry terms and hidden labels
        for label in concept.labels:
            text, language = label.text, label.language
            # C-speed tests find the rare label worth a closer look.
            if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " " or not text:
                found.extend(_text_problems(graph, uri, text))
                if not text.strip():
                    continue
            if language:
                valid = valid_tags.get(language)
                if valid is None:
                    valid = valid_tags[language] = valid_language_tag(language)
                if not valid:
                    found.append(finding("invalid_language_tag", [uri], concept=name(graph, uri), tag=language))
            if label.kind == "pref":
                prefs.setdefault(language, set()).add(text)
            else:
                others.add((language, text))
        if not prefs:
            found.append(finding("missing_pref_label", [uri], concept=name(graph, uri)))
        elif "fr" not in prefs and not any(_is_french(language) for language in prefs):
            found.append(finding("missing_french_label", [uri], concept=name(graph, uri)))
        for language, values in prefs.items():
            if len(values) > 1:
                found.append(finding("duplicate_pref_label", [uri], concept=name(graph, uri),
                                     language=language or "-",
                                     labels=", ".join(f"\u201c{v}\u201d" for v in sorted(values))))
            for text in values:
                if (language, text) in others:
                    found.append(finding(_by_language("disjoint_labels", language), [uri],
                                         concept=name(graph, uri), label=f"\u201c{text}\u201d",
                                         language=language or "-"))
        for note in concept.notes:
            if note.language and not valid_language_tag(note.language):
                found.append(finding("invalid_language_tag", [uri], concept=name(graph, uri), tag=note.language))
    return found


def _text_problems(graph: SkosGraph, uri: str, text: str) -> list:
    if not text.strip():
        return [finding("empty_label", [uri], concept=name(graph, uri))]
    if _CONTROL.search(text):
        return [finding("unprintable_characters", [uri], concept=name(graph, uri), label=repr(text))]
    if _UNTIDY.search(text):
        return [finding("untidy_label", [uri], concept=name(graph, uri), label=repr(text))]
    return []


def _by_language(code: str, language: str) -> str:
    """Clashes in French (or untagged) labels are errors: French is the
    catalogue's working language, and an ambiguous French term sends indexers
    and searchers to the wrong concept. In a translation they are warnings:
    UNESCO's Arabic, Russian and Spanish labels carry about 160 of them, and
    refusing those would refuse the thesaurus for labels we do not index with."""
    return code if not language or _is_french(language) else code + "_translation"


def label_clashes(graph: SkosGraph) -> list:
    """Labels that would make a search term lead to two concepts of one scheme:
    a shared preferred label, or one concept's preferred label used as another's
    entry term. Compared with ``clash_key``, language by language. Deprecated concepts are left out: their labels stay findable."""
    # (scheme, language, key) -> a URI, or a set of URIs once two concepts
    # share it: the set is built only for the rare clash (44k labels in UNESCO).
    prefs, alts = {}, {}
    for uri, concept in graph.concepts.items():
        if concept.status == "deprecated":
            continue
        schemes = concept.schemes or {""}
        for label in concept.labels:
            if label.kind == "hidden":
                continue
            key = " ".join(label.text.casefold().split())   # clash_key, inlined
            if not key:
                continue
            index = prefs if label.kind == "pref" else alts
            for scheme in schemes:
                entry = (scheme, label.language, key)
                held = index.get(entry)
                if held is None:
                    index[entry] = uri
                elif held.__class__ is str:
                    if held != uri:
                        index[entry] = {held, uri}
                else:
                    held.add(uri)
    found, seen = [], set()
    for (scheme, language, key), uris in sorted(item for item in prefs.items() if item[1].__class__ is set):
        if (language, key, frozenset(uris)) not in seen:
            seen.add((language, key, frozenset(uris)))
            ordered = sorted(uris)
            found.append(finding(_by_language("pref_label_shared", language), ordered,
                                 label=f"\u201c{_text(graph, ordered[0], key)}\u201d",
                                 language=language or "-",
                                 concepts=", ".join(name(graph, uri) for uri in ordered)))
    for entry in sorted(prefs.keys() & alts.keys()):
        scheme, language, key = entry
        pref_uris, alt_uris = prefs[entry], alts[entry]
        pref_uris = {pref_uris} if pref_uris.__class__ is str else pref_uris
        alt_uris = {alt_uris} if alt_uris.__class__ is str else alt_uris
        for other in sorted(alt_uris):
            for uri in sorted(pref_uris - {other}):
                if (uri, other, key) not in seen:
                    seen.add((uri, other, key))
                    found.append(finding(_by_language("pref_alt_clash", language), [uri, other],
                                         concept=name(graph, uri), other=name(graph, other),
                                         language=language or "-",
                                         label=f"\u201c{_text(graph, uri, key)}\u201d"))
    return found


def clash_key(text: str) -> str:
    """Labels clash when equal ignoring case and spacing, but not accents:
    "Diplôme" (diploma) and "Diplômé" (graduate) are two French terms, where
    fold() would make them one for autocomplete."""
    return " ".join(text.casefold().split())


def _text(graph: SkosGraph, uri: str, key: str) -> str:
    return next((label.text.strip() for label in graph.concepts[uri].labels if clash_key(label.text) == key), key)


def _is_french(language: str) -> bool:
    return language == "fr" or language.startswith("fr-")


@lru_cache(maxsize=None)
def _registry():
    english = Locale("en")
    return (frozenset(code.lower() for code in english.languages), frozenset(s.lower() for s in english.scripts),
            frozenset(t.lower() for t in english.territories), frozenset(v.lower() for v in english.variants))


@lru_cache(maxsize=1024)
def valid_language_tag(tag: str) -> bool:
    """A BCP 47 tag whose language, script, region and variants are known
    (Unicode CLDR's lists, through Babel): "fr", "mn-Cyrl-MN", "sl-rozaj" pass;
    "xy", "blubb", "cz", "x-other" (private use alone) do not."""
    languages, scripts, regions, variants = _registry()
    parts = tag.lower().split("-")
    if parts[0] not in languages:
        return False
    rest = parts[1:]
    if rest and len(rest[0]) == 4 and rest[0].isalpha():
        if rest.pop(0) not in scripts:
            return False
    if rest and (len(rest[0]) == 2 and rest[0].isalpha() or len(rest[0]) == 3 and rest[0].isdigit()):
        if rest.pop(0) not in regions:
            return False
    while rest and rest[0] != "x":
        if rest.pop(0) not in variants:
            return False
    return not rest or len(rest) > 1   # "-x-" must be followed by a private subtag
