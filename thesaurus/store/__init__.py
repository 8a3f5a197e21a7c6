"""The stored thesaurus, read as a ``SkosGraph`` (``load``, ``load_graph``)
and written back in bulk by imports (``apply``)."""
from .load import Stored, as_utc, load, load_graph
from .write import apply

__all__ = ["Stored", "apply", "as_utc", "load", "load_graph"]
