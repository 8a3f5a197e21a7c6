"""Collections (micro-thesauri) and the advice pole each one serves.

SKOS has no term for our advice poles, so the pole is set here, by staff,
and imports never touch it.
"""
from __future__ import annotations

from core.errors import NotFound, ValidationFailed
from core.i18n import N_
from core.services import Service
from core.vocab import Pole
from thesaurus.models import ConceptCollection


class CollectionService(Service):
    def get(self, collection_id: int) -> ConceptCollection:
        collection = self.session.get(ConceptCollection, collection_id)
        if collection is None:
            raise NotFound(N_("There is no collection number %(id)s."), id=collection_id)
        return collection

    def set_pole(self, collection_id: int, pole: str | None) -> ConceptCollection:
        """Attach the micro-thesaurus to an advice pole (None: to none)."""
        if pole and pole not in Pole.values():
            raise ValidationFailed({"pole": [N_("Choose one of the advice poles.")]})
        collection = self.get(collection_id)
        before = collection.pole.value if collection.pole else None
        after = pole or None
        if before != after:
            collection.pole = Pole(after) if after else None
            self.session.flush()
            self.audit.log("collection.pole", "collection", collection.id, record_id=None,
                           label=collection.label_fr, changes={"pole": [before, after]})
        return collection
