"""Translation markers usable outside Flask.

Services and models never import Flask, so they mark user-facing strings with
``N_`` (extracted by Babel, translated at the web or CLI edge with ``gettext``).
"""
from __future__ import annotations

from pathlib import Path

# The compiled catalogues ship with the application root (cite/), where
# Flask-Babel finds them; code that translates without Flask (thesaurus
# findings, given in both languages) reads them from here.
TRANSLATIONS = Path(__file__).resolve().parents[1] / "cite" / "translations"


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    return message


def render(message: str, params: dict | None, translate) -> str:
    """A message id with its parameters, in the language ``translate``
    (gettext) speaks. Parameters named ``*_label`` are message ids too (a
    vocabulary's label, say), translated before they are placed."""
    values = {name: translate(value) if name.endswith("_label") and isinstance(value, str) else value
              for name, value in (params or {}).items()}
    return translate(message) % values if values else translate(message)
