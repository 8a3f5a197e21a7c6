"""The stored thesaurus, read as a ``SkosGraph`` (``load``, ``load_graph``)
and written back in bulk by imports (``apply``)."""
from thesaurus.store.load import Stored, as_utc, load, load_graph
from thesaurus.store.write import apply

__all__ = ["Stored", "apply", "as_utc", "load", "load_graph"]
