"""The concept API under /api/v1: concepts, autocomplete, checks and the
alignment of incoming headings. Documented in the same OpenAPI document as
the rest of the API, with the same bearer tokens and error shape; an edit
that would break the thesaurus answers 422 ``thesaurus_rule`` with
``findings``."""
from __future__ import annotations


def init_app(api, csrf) -> None:
    from . import concepts, headings

    for module in (concepts, headings):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
