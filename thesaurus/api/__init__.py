"""The concept API under /api/v1: concepts, autocomplete and checks.
Documented in the same OpenAPI document as the rest of the API, with the
same bearer tokens and error shape; an edit that would break the thesaurus
answers 422 ``thesaurus_rule`` with ``findings``."""
