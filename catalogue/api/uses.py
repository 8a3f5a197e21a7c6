from __future__ import annotations

from accounts.permissions import RECORD_USE
from catalogue.api import schemas
from catalogue.services import UseService
from core.web.api import api_user, blueprint, db_session, documented, require_api
from core.web.errors import translate

blp = blueprint("uses", "In-house use, counted by scanning barcodes.")


@blp.route("/uses", methods=["POST"])
@require_api(RECORD_USE)
@blp.arguments(schemas.UsesIn)
@blp.response(200, schemas.UsesOut)
@documented(blp, 401, 403, 422)
def record_uses(data):
    """Record one in-house use per barcode. Unknown and withdrawn barcodes are
    reported in ``results`` with ``ok: false``; the others are counted."""
    results = UseService(db_session(), api_user()).record(data["barcodes"])
    out = []
    for result in results:
        row = result.as_dict()
        row["message"] = translate(row["message"])
        out.append(row)
    recorded = sum(1 for r in results if r.ok)
    return {"recorded": recorded, "failed": len(results) - recorded, "results": out}
