from __future__ import annotations

from accounts.permissions import DELETE_CATALOGUE, EDIT_CATALOGUE, VIEW_STAFF
from catalogue.api import schemas
from catalogue.services import ItemService
from catalogue.services.snapshots import item_snapshot
from core.web.api import api_user, blueprint, db_session, documented, page, require_api

blp = blueprint("items", "Items: the copies of works, with their in-house use counts.")


def _service() -> ItemService:
    return ItemService(db_session(), api_user())


@blp.route("/items", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.ItemListArgs, location="query")
@blp.response(200, schemas.ItemPage)
@documented(blp, 401, 403, 422)
def list_items(args):
    """List items, optionally by barcode or work."""
    items, total = _service().list(record_id=args.get("record_id"), barcode=args.get("barcode"),
                                   page=args["page"], size=args["size"])
    return page([item_snapshot(i) for i in items], total, args)


@blp.route("/items/<int:item_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.Item)
@documented(blp, 401, 403, 404)
def get_item(item_id):
    """Read one item."""
    return item_snapshot(_service().get(item_id))


@blp.route("/items/<int:item_id>", methods=["PUT"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.ItemUpdate)
@blp.response(200, schemas.Item)
@documented(blp, 401, 403, 404, 409, 422)
def update_item(data, item_id):
    """Replace an item's fields; send the ``version`` you read."""
    version = data.pop("version")
    return item_snapshot(_service().update(item_id, data, expected_version=version))


@blp.route("/items/<int:item_id>", methods=["DELETE"])
@require_api(DELETE_CATALOGUE)
@blp.arguments(schemas.VersionArgs, location="query")
@blp.response(204)
@documented(blp, 401, 403, 404, 409)
def delete_item(args, item_id):
    """Delete an item."""
    _service().delete(item_id, expected_version=args.get("version"))
