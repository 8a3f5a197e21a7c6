"""The use statistics page: consultations by month, pole, document type and
portal over a period, and the collection's age profile, each an SVG chart
with its table beside it and a CSV download of the same figures."""
from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, render_template, request
from flask_babel import format_date, format_decimal, gettext
from sqlalchemy import select

from accounts.permissions import VIEW_STAFF
from catalogue.vocab import DocumentType
from core.db import utcnow
from core.errors import ValidationFailed
from core.vocab import Pole
from core.web.auth import require
from core.web.errors import translate
from core.web.transaction import db_session
from search.models import Portal
from search.views import localized
from weeding.services import statistics
from weeding.views import bp

CHARTS = statistics.BY + statistics.PROFILES
RECENT_YEARS = 20  # the age profile shows years one by one from the decade this many years back
OLDEST_DECADE = 1900  # and all before it together
WIDTH, HEIGHT, GUTTER = 720, 200, 4


def value_label(by: str, value, portals: dict) -> str:
    """A tallied value in the reader's language."""
    if by == "month":
        return format_date(value, "MMM y")
    if by == "pole":
        return gettext(Pole(value).label) if value in Pole.values() else gettext("No pole")
    if by == "document_type":
        return gettext(DocumentType(value).label) if value in DocumentType.values() else value
    return localized(portals[value], "title") if value in portals else value


def portals_by_slug() -> dict:
    return {portal.slug: portal for portal in db_session().scalars(select(Portal))}


def current_consultations(first, last, kinds=statistics.BY) -> dict:
    """kind -> statistics.Consultations, on tallies folded up to the last scan."""
    def read(session):
        return {by: statistics.consultations(session, by=by, start=first, end=last, fold=False)
                for by in kinds}
    return statistics.read_current(current_app.extensions["catalogue.db"], db_session(), read)


def _period() -> tuple:
    """(first month, last month, field errors): the default period when the
    one asked for is not a period."""
    today = utcnow().date()
    try:
        first, last = statistics.period(request.args.get("from"), request.args.get("to"), today)
        return first, last, {}
    except ValidationFailed as error:
        first, last = statistics.period(None, None, today)
        return first, last, {name: [translate(message) for message in messages]
                             for name, messages in error.fields.items()}


@bp.route("/staff/statistics", endpoint="statistics")
@require(VIEW_STAFF)
def statistics_page():
    first, last, errors = _period()
    figures = current_consultations(first, last)
    portals = portals_by_slug()
    sections = []
    titles = {"month": (gettext("Consultations by month"), gettext("Month"), ""),
              "pole": (gettext("Consultations by pole"), gettext("Pole"),
                       gettext("A work of two poles counts in both.")),
              "document_type": (gettext("Consultations by document type"), gettext("Document type"), ""),
              "portal": (gettext("Consultations by portal"), gettext("Portal"),
                         gettext("A scan counts in every portal whose base filter admits the work."))}
    for by, (title, heading, note) in titles.items():
        rows = [(value_label(by, value, portals), uses) for value, uses in figures[by].rows]
        sections.append(_section(by, title, (heading, gettext("Consultations")), rows, columns=by == "month",
                                 note=note))
    for by, title in (("publication", gettext("Copies held by year of publication")),
                      ("acquisition", gettext("Copies held by year of acquisition"))):
        rows = grouped_profile(statistics.age_profile(db_session(), by=by), utcnow().year)
        sections.append(_section(by, title, (gettext("Year"), gettext("Copies")), rows, columns=True))
    html = render_template("weeding/statistics.html", sections=sections, errors=errors, number=format_decimal,
                           first=first, last=last, total=figures["month"].total,
                           period=(format_date(first, "MMMM y"), format_date(last, "MMMM y")))
    return html, 422 if errors else 200


def grouped_profile(rows: list[tuple], this_year: int) -> list[tuple[str, int]]:
    """The age profile for display: recent years one by one, older ones by
    decade, those before OLDEST_DECADE together, the unknown last."""
    recent = (this_year - RECENT_YEARS) // 10 * 10
    groups: dict[str, int] = {}
    for year, copies in rows:
        if year is None:
            label = gettext("Unknown")
        elif year >= recent:
            label = str(year)
        elif year < OLDEST_DECADE:
            label = gettext("Before %(year)s", year=OLDEST_DECADE)
        else:
            start = year - year % 10
            label = f"{start}–{start + 9}"
        groups[label] = groups.get(label, 0) + copies
    return list(groups.items())


def _section(key: str, title: str, headings: tuple[str, str], rows: list[tuple[str, int]], *, columns: bool,
             note: str = "") -> dict:
    """A chart's geometry (in SVG units) with its rows: vertical columns for
    a time line, horizontal bars for categories."""
    peak = max([uses for _, uses in rows] + [1])
    if columns:
        step = max(8.0, WIDTH / max(len(rows), 1))
        every = max(1, round(len(rows) / 12))  # at most a dozen axis labels
        bars = [{"x": round(n * step, 1), "width": round(step - GUTTER, 1),
                 "y": round(HEIGHT - uses / peak * HEIGHT, 1), "height": round(uses / peak * HEIGHT, 1),
                 "label": label, "value": uses, "tick": n % every == 0}
                for n, (label, uses) in enumerate(rows)]
        size = (round(max(WIDTH, step * len(rows))), HEIGHT + 40)
    else:
        bars = [{"y": n * 28, "width": round(uses / peak * (WIDTH - 320), 1), "label": label, "value": uses}
                for n, (label, uses) in enumerate(rows)]
        size = (WIDTH, max(28, 28 * len(rows)))
    return {"key": key, "title": title, "headings": headings, "note": note, "rows": rows, "bars": bars,
            "columns": columns, "width": size[0], "height": size[1], "plot": HEIGHT,
            "peak": peak if rows else 0, "total": sum(uses for _, uses in rows)}


@bp.route("/staff/statistics/<chart>.csv", endpoint="statistics_csv")
@require(VIEW_STAFF)
def statistics_csv(chart: str):
    """One chart's figures: the chosen period's consultations, or the age
    profile year by year (ungrouped), UTF-8 with a header line."""
    if chart not in CHARTS:
        abort(404)
    output = io.StringIO()
    writer = csv.writer(output)
    if chart in statistics.PROFILES:
        writer.writerow(["year", "copies"])
        writer.writerows(("" if year is None else year, copies)
                         for year, copies in statistics.age_profile(db_session(), by=chart))
        name = f"age-{chart}.csv"
    else:
        first, last, errors = _period()
        if errors:
            return Response(" ".join(m for messages in errors.values() for m in messages) + "\n", status=422,
                            mimetype="text/plain")
        figures = current_consultations(first, last, kinds=(chart,))[chart]
        portals = portals_by_slug()
        writer.writerow([chart, "label", "uses"] if chart != "month" else ["month", "uses"])
        for value, uses in figures.rows:
            writer.writerow([f"{value:%Y-%m}", uses] if chart == "month"
                            else [value, value_label(chart, value, portals), uses])
        name = f"consultations-{chart}-{first:%Y-%m}-{last:%Y-%m}.csv"
    return Response(output.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})
