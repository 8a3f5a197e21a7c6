"""What a check reports: a stable code, a severity, the concepts involved and
a message in French and English.

Codes are part of the interface (the CLI's --json, the API's ``findings``,
the README's table): add new ones, never rename. Errors block an import or an
edit; warnings are reported and let it through.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from babel.support import NullTranslations, Translations

from core.i18n import N_, TRANSLATIONS

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str                     # ERROR or WARNING
    concepts: tuple[str, ...]         # URIs involved, in a telling order (a cycle's chain)
    message: str                      # English msgid with %(name)s parameters, marked N_
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self, locale: str = "en") -> str:
        return _translations(locale).gettext(self.message) % self.params

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "concepts": list(self.concepts),
                "message": {"fr": self.text("fr"), "en": self.text("en")}}


@lru_cache(maxsize=4)
def _translations(locale: str):
    if locale == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [locale])


def errors_in(findings) -> list[Finding]:
    return [finding for finding in findings if finding.is_error]


def finding(code: str, concepts, /, **params) -> Finding:
    """A finding of a registered code, with its severity and message.

    ``code`` and ``concepts`` are positional-only so that a message may take
    a ``%(concepts)s`` parameter (pref_label_shared does)."""
    severity, message = CODES[code]
    return Finding(code, severity, tuple(concepts), message, params)


# code -> (severity, message). Parameters are plain strings, already formatted
# (a chain is "Emploi > Travail > Emploi", labels are quoted by the caller).
CODES: dict[str, tuple[str, str]] = {
    "hierarchy_cycle": (ERROR, N_("The hierarchy loops back on itself: %(chain)s.")),
    "reflexive_relation": (ERROR, N_("%(concept)s is linked to itself (%(relation)s).")),
    "duplicate_pref_label": (ERROR, N_("%(concept)s has more than one preferred label in %(language)s: "
                                       "%(labels)s.")),
    "pref_label_shared": (ERROR, N_("%(concepts)s share the preferred label %(label)s (%(language)s) "
                                    "in one scheme.")),
    "pref_alt_clash": (ERROR, N_("%(label)s is the preferred label of %(concept)s and an entry term "
                                 "of %(other)s.")),
    "disjoint_labels": (ERROR, N_("%(label)s is both a preferred and a non-preferred label of %(concept)s.")),
    "related_in_hierarchy": (ERROR, N_("%(concept)s and %(other)s are related, but one is in the other's "
                                       "hierarchy: %(chain)s.")),
    "missing_pref_label": (ERROR, N_("%(concept)s has no preferred label.")),
    "missing_french_label": (ERROR, N_("%(concept)s has no preferred label in French.")),
    "empty_label": (ERROR, N_("%(concept)s has an empty label.")),
    "invalid_language_tag": (ERROR, N_("%(tag)s, on a label of %(concept)s, is not a valid language tag.")),
    "deprecated_in_use": (WARNING, N_("%(concept)s is deprecated but still indexes %(count)s records.")),
    "orphan_concept": (WARNING, N_("%(concept)s is linked to no other concept and is not a top concept.")),
}

# Codes added with the SKOS reader and the file checks (issue 4). Why each
# severity: an error is something the thesaurus cannot hold or that breaks a
# SKOS integrity condition; a warning is a quality issue the import repairs
# (clean_label, normalise) or that a documentalist may fix later.
CODES.update({
    "invalid_uri": (ERROR, N_("%(uri)s is not a valid absolute URI.")),
    "non_http_uri": (WARNING, N_("%(uri)s is not an http(s) URI, so it cannot be looked up on the web.")),
    "unprintable_characters": (WARNING, N_("A label of %(concept)s contains unprintable characters: %(label)s. "
                                           "They are removed on import.")),
    "untidy_label": (WARNING, N_("A label of %(concept)s has stray spaces: %(label)s. They are removed on "
                                 "import.")),
    "top_concept_has_broader": (WARNING, N_("%(concept)s is a top concept but has a broader concept: %(other)s.")),
    "solely_transitive": (WARNING, N_("%(concept)s is linked to %(other)s by a transitive relation only; "
                                      "add the direct broader or narrower link.")),
    "mapping_clash": (ERROR, N_("%(concept)s and %(other)s are an exact match, and also linked by "
                                   "%(relation)s.")),
    "mapping_misuse": (WARNING, N_("%(concept)s and %(other)s are in the same scheme, so they should be linked "
                                   "by %(relation)s rather than by a mapping (%(mapping)s).")),
    "undefined_skos_term": (WARNING, N_("%(term)s is not a SKOS term; it is ignored.")),
    "hierarchical_redundancy": (WARNING, N_("%(concept)s has %(other)s as a broader concept both directly and "
                                            "through %(chain)s.")),
    "missing_top_concepts": (WARNING, N_("The scheme %(scheme)s has no top concept.")),
    "omitted_inverse": (WARNING, N_("%(concept)s has %(other)s as %(relation)s, but the inverse link is "
                                    "not stated; it is added on import.")),
    "related_siblings": (WARNING, N_("%(concept)s and %(other)s are related and share the broader concept "
                                     "%(parent)s.")),
    "ambiguous_notation": (WARNING, N_("%(concepts)s share the notation %(notation)s in one scheme.")),
    "scheme_without_title": (WARNING, N_("The scheme %(scheme)s has no title.")),
    "no_concepts": (WARNING, N_("The file defines no concept.")),
    "replacement_missing": (ERROR, N_("%(concept)s is replaced by %(other)s, which is not a concept.")),
    # The same clashes in a translation (neither French nor untagged): see
    # checks_labels._by_language for why they only warn.
    "pref_label_shared_translation": (WARNING, N_("%(concepts)s share the preferred label %(label)s "
                                                  "(%(language)s) in one scheme.")),
    "pref_alt_clash_translation": (WARNING, N_("%(label)s (%(language)s) is the preferred label of %(concept)s "
                                               "and an entry term of %(other)s.")),
    "disjoint_labels_translation": (WARNING, N_("%(label)s (%(language)s) is both a preferred and a "
                                                "non-preferred label of %(concept)s.")),
    # A concept related to itself says nothing and harms nothing: normalise()
    # drops the link. Broader or narrower than itself stays reflexive_relation.
    "self_related": (WARNING, N_("%(concept)s is related to itself; the link is dropped on import.")),
    "concept_dropped": (WARNING, N_("%(concept)s was in the previous version and is missing from this one; "
                                    "deprecate a concept rather than delete it.")),
    "disconnected_clusters": (WARNING, N_("%(count)s concepts, including %(concept)s, are not linked to the rest "
                                          "of the thesaurus.")),
})
