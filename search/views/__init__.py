"""Search pages: the visitors' catalogue (results with facets, record pages,
thematic portals, kiosk mode) and the staff pages that configure portals.

Kiosk mode is a state carried in the address (``kiosk=1``, and the portal),
never in a cookie: a kiosk terminal is shared by strangers, so nothing may
follow one visitor to the next. Every link of these pages is built with
``link()``, which keeps that state, and the language only when the visitor
chose one (``lang=``), since no ``lang`` cookie remembers it in a kiosk.
"""
from __future__ import annotations

from flask import Blueprint, g, request, url_for
from flask_babel import get_locale, gettext

from search.engine import FACETS
from search.labels import FACET_TITLES, SORT_LABELS, value_label

bp = Blueprint("search", __name__, template_folder="../templates")


@bp.app_template_global("is_kiosk")
def kiosk() -> bool:
    return bool(g.get("kiosk")) or request.args.get("kiosk") == "1"


def link(endpoint: str, **values) -> str:
    """url_for that keeps kiosk mode, the chosen language in a kiosk, and the
    portal the visitor came through (pass ``portail=None`` to leave it)."""
    if kiosk():
        values.setdefault("kiosk", 1)
        if request.args.get("lang"):
            values.setdefault("lang", request.args["lang"])
    portal = g.get("portal")
    if portal is not None and "slug" not in values:
        values.setdefault("portail", portal.slug)
    return url_for(endpoint, **{k: v for k, v in values.items() if v is not None})


@bp.before_request
def _kiosk_state():
    # The lang cookie is the only one public pages may set; a kiosk sets none
    # (core.web.locale reads this flag).
    if kiosk():
        g.no_cookie = True


@bp.context_processor
def _helpers():
    return {
        "link": link,
        "kiosk": kiosk(),
        "layout": "search/kiosk_layout.html" if kiosk() else "base.html",
        "portal": g.get("portal"),
        "facet_title": lambda facet: gettext(FACET_TITLES.get(facet, facet)),
        "facet_value": lambda facet, value: value_label(facet, value, gettext),
        "facet_names": list(FACETS),
        "sort_labels": SORT_LABELS,
        "localized": localized,
    }


@bp.app_template_global()
def localized(portal, name: str) -> str:
    """A portal's title or description in the page's language, French when
    there is no English text."""
    if str(get_locale()) == "en" and getattr(portal, f"{name}_en", None):
        return getattr(portal, f"{name}_en")
    return getattr(portal, f"{name}_fr") or ""


from search.views import gaps, goals, goals_staff, home, portals, public, records, staff  # noqa: E402,F401,I001  (routes register on bp)
