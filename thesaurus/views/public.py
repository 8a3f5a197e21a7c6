"""The visitors' thesaurus: tree, concept pages, alphabetical index, search.

No login, and nothing here touches the session or renders a CSRF token, so
visitors get no cookie (the ``lang`` cookie only when they ask for ?lang=).
Only works' titles, years and call numbers are shown: enough to find them on
the shelves, and no partner organisation is named.
"""
from __future__ import annotations

from flask import abort, jsonify, render_template, request
from flask_login import current_user

from accounts.permissions import EDIT_THESAURUS
from core.web.auth import can
from core.web.helpers import page_args, pagination
from core.web.transaction import db_session
from thesaurus.forms import PoleForm
from thesaurus.services import browse, index
from thesaurus.views import bp
from thesaurus.views.common import autocomplete, locale

LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + ["#"]


@bp.route("/thesaurus/")
def home():
    """The tree of one scheme at a time: the shared thesaurus and, say, a
    vocabulary loaded for a project would make one unreadable list."""
    session = db_session()
    schemes = browse.schemes(session)
    chosen = request.args.get("scheme", type=int)
    scheme = next((s for s in schemes if s.id == chosen), schemes[0] if schemes else None)
    scheme_id = scheme.id if scheme else None
    return render_template("thesaurus/home.html", nodes=browse.children(session, scheme_id=scheme_id),
                           collections=browse.collections(session, scheme_id=scheme_id),
                           schemes=schemes, scheme=scheme, lang=locale())


@bp.route("/thesaurus/tree")
def tree():
    """One level of the tree, for lazy expansion: an HTML fragment, or JSON
    when asked for (``Accept: application/json`` or ``format=json``)."""
    try:
        parent = int(request.args["parent"]) if request.args.get("parent") else None
    except ValueError:
        abort(404)
    if parent is not None:
        browse.get_concept(db_session(), parent)
    nodes = browse.children(db_session(), parent)
    lang = locale()
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify([{"id": n.concept.id, "uri": n.concept.uri, "label": n.concept.label(lang),
                         "has_children": n.has_children} for n in nodes])
    return render_template("thesaurus/_tree.html", nodes=nodes, lang=lang)


@bp.route("/thesaurus/concepts/<int:concept_id>")
def concept(concept_id):
    session = db_session()
    page_data = browse.concept_page(session, concept_id)
    page, size = page_args(25)
    records, total = browse.records_of(session, concept_id, page=page, size=size)
    return render_template("thesaurus/concept.html", page=page_data, records=records,
                           paging=pagination(total, page, size), lang=locale())


@bp.route("/thesaurus/collections/<int:collection_id>")
def collection(collection_id):
    group, members = browse.collection_members(db_session(), collection_id)
    # Only staff who may edit get the form, so visitors still get no cookie.
    pole_form = PoleForm(formdata=None, data={"pole": group.pole.value if group.pole else ""}) \
        if can(current_user, EDIT_THESAURUS) else None
    return render_template("thesaurus/collection.html", collection=group, members=members, pole_form=pole_form,
                           lang=locale())


@bp.route("/thesaurus/index")
def alphabetical():
    letter = (request.args.get("letter") or "").strip().upper()[:1] or "A"
    if letter not in LETTERS:
        letter = "A"
    page, size = page_args(100)
    lang = locale()
    entries, total, letters = index.alphabetical(db_session(), letter=letter, language=lang,
                                                 page=page, size=size)
    return render_template("thesaurus/index.html", entries=entries, letter=letter, letters=LETTERS,
                           present=set(letters), paging=pagination(total, page, size), lang=lang)


@bp.route("/thesaurus/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    matches = autocomplete(q, limit=50, include_deprecated=True) if q else []
    return render_template("thesaurus/search.html", q=q, matches=matches, lang=locale())


@bp.route("/thesaurus/autocomplete")
def public_autocomplete():
    """Suggestions for the public search box (JSON)."""
    q = (request.args.get("q") or "").strip()[:200]
    return jsonify({"q": q, "matches": autocomplete(q, limit=10)})
