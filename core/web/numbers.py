"""Numbers from the outside world, kept within what the database can hold.

A row number in an address, a page or a body beyond a 64-bit integer is not
an id of anything: an address answers 404 (the ``int`` converter refuses
it, so no view ever sees it), a query argument or a body 422 (the API's
schemas bound them, see ``core.web.api``), and anything that still reaches
the database that way answers 422 instead of the driver's overflow.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

BIGGEST = 2 ** 63 - 1  # the largest id SQLite and PostgreSQL's bigint hold
# No list is that long: a page beyond it is a mistake (the API answers 422,
# the pages show the last one they can).
MAX_PAGE = 100_000


class BoundedInteger(IntegerConverter):
    """Flask's ``<int:...>``, refusing numbers no row can have."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's own argument name
        kwargs.setdefault("max", BIGGEST)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    # Before any blueprint: rules pick their converter when they are added.
    app.url_map.converters["int"] = BoundedInteger
