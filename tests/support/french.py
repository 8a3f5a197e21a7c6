"""What the French interface shows for a message id: the compiled French
catalogue's translation, or the English source until the catalogue has it
(the server's own fallback). Tests compare pages with these, so they hold
before and after the translators' pass."""
from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

MO = Path(__file__).resolve().parents[2] / "cite" / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"


@cache
def _catalogue() -> gettext.NullTranslations:
    if MO.is_file():
        with MO.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.NullTranslations()


def french(message: str, **params) -> str:
    text = _catalogue().gettext(message)
    return text % params if params else text


def french_n(singular: str, plural: str, n: int, **params) -> str:
    """``ngettext`` in French (where 0 and 1 take the singular); ``num`` is ``n``."""
    return _catalogue().ngettext(singular, plural, n) % {"num": n, **params}
