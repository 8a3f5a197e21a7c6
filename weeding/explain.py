"""A candidate's reasons in plain words, in the reader's language: "publié
en 2014, il y a 12 ans (seuil : 5 ans) ; dernière consultation en mars 2022
(seuil : 3 ans)". The reasons are data (codes and figures); the words are
made at the edge, with the edge's gettext and locale."""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from catalogue.vocab import Condition
from core.i18n import N_

PHRASES = {
    "age": N_("published in %(year)s, %(age_years)s years ago (threshold: %(max_years)s years)"),
    "no_use": N_("last used in %(month)s (threshold: %(max_years)s years)"),
    "never_used": N_("never used since %(month)s (threshold: %(max_years)s years)"),
    "low_use": N_("%(uses)s uses in %(years)s years (threshold: %(min_uses)s)"),
    "superseded": N_("a newer edition (%(newer_year)s) is in the catalogue"),
    "periodical_retention": N_("issue received in %(month)s, beyond the %(keep_years)s years kept"),
    "condition": N_("condition: %(condition)s"),
    "manual": N_("added by hand"),
}


def explain(reasons: list[dict], translate, locale: str = "fr") -> str:
    """The reasons as one sentence, joined as the example of the issue is: " ; "."""
    return " ; ".join(phrase(reason, translate, locale) for reason in reasons)


def phrase(reason: dict, translate, locale: str = "fr") -> str:
    code = reason.get("code")
    values = dict(reason)
    if code == "no_use":
        when = reason.get("last_use") or reason.get("held_since")
        values["month"] = _month(when, locale)
        code = "no_use" if reason.get("last_use") else "never_used"
    elif code == "periodical_retention":
        values["month"] = _month(reason.get("received_on"), locale)
    elif code == "condition":
        label = next((c.label for c in Condition if c.value == reason.get("condition")), reason.get("condition"))
        values["condition"] = translate(label).lower()
    if code not in PHRASES:
        return str(code)
    text = translate(PHRASES[code]) % values
    if code == "manual" and reason.get("comment"):
        text += f" : {reason['comment']}" if locale.startswith("fr") else f": {reason['comment']}"
    return text


def _month(iso: str | None, locale: str) -> str:
    if not iso:
        return "?"
    return format_date(dt.date.fromisoformat(iso[:10]), "MMMM yyyy", locale=locale)
