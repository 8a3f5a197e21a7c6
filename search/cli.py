"""``catalogue reindex`` and ``catalogue search`` (registered by ``search.init_app``)."""
from __future__ import annotations

import json
import time

import click

from core.cli import Context, pass_context, require_schema
from search.engine import FACETS, SORTS
from search.indexer import rebuild
from search.services import SearchService


@click.command()
@pass_context
def reindex(ctx: Context):
    """Rebuild the whole search index from the database, swapped in at once."""
    with ctx.app.app_context():
        require_schema(ctx)
    engine = ctx.app.extensions["catalogue.search"]
    started = time.perf_counter()
    count = rebuild(ctx.database, engine)
    click.echo(ctx.gettext("Search index rebuilt (%(engine)s): %(count)s works in %(seconds).1f s.", engine=engine.name,
                           count=count, seconds=time.perf_counter() - started))


def _filter(ctx, param, values: tuple[str, ...]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for value in values:
        name, equals, chosen = value.partition("=")
        if not equals or name not in FACETS or not chosen:
            raise click.BadParameter(f"{value!r}: write NAME=VALUE, NAME among {', '.join(FACETS)}")
        filters.setdefault(name, []).append(chosen)
    return filters


@click.command()
@click.argument("query", nargs=-1)
@click.option("--filter", "filters", multiple=True, callback=_filter, metavar="NAME=VALUE",
              help=f"Keep works with this facet value; repeat (OR within a facet, AND across). "
                   f"Names: {', '.join(FACETS)}.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--size", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the answer of GET /api/v1/search.")
@pass_context
def search(ctx: Context, query: tuple[str, ...], filters, sort: str, page: int, size: int, as_json: bool):
    """Search the catalogue as visitors do (not counted in the observatory)."""
    with ctx.app.app_context():
        require_schema(ctx)
    session = ctx.database.session()
    try:
        found = SearchService(session, ctx.app.extensions["catalogue.search"]).search(
            " ".join(query), filters=filters, sort=sort, page=page, size=size, record_stats=False)
    finally:
        session.close()
    result = found.result
    if as_json:
        click.echo(json.dumps({
            "total": result.total, "page": found.page, "size": found.size,
            "hits": [{"id": h.id, "title": h.title, "highlight": h.highlight, "approximate": h.fuzzy}
                     for h in result.hits],
            "facets": {name: [{"value": v.value, "count": v.count} for v in values]
                       for name, values in result.facets.items()},
            "suggestion": found.suggestion,
            "approximate": found.approximate,
            "concepts": [{"id": c.id, "label": c.label} for c in found.concepts],
        }, ensure_ascii=False))
        return
    click.echo(ctx.ngettext("%(num)s work found.", "%(num)s works found.", result.total))
    if found.concepts:
        click.echo(ctx.gettext("Including the works indexed with: %(concepts)s",
                               concepts="; ".join(c.label for c in found.concepts)))
    if found.approximate:
        click.echo(ctx.ngettext("%(num)s of them found through a close spelling of the words (marked ~).",
                                "%(num)s of them found through a close spelling of the words (marked ~).",
                                found.approximate))
    for hit in result.hits:
        click.echo(f"{hit.id:>8}{'~' if hit.fuzzy else ' '} {hit.title}")
    if found.suggestion:
        click.echo(ctx.gettext("Did you mean: %(suggestion)s", suggestion=found.suggestion))
    for name, values in result.facets.items():
        if values:
            click.echo(f"{name}: " + ", ".join(f"{v.value} ({v.count})" for v in values))
