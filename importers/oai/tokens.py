"""Stateless OAI-PMH resumption tokens.

A token carries everything the next page needs: the verb, the format, the
set and time window, the (datestamp, id) of the last item sent, the cursor
and the list size. It is signed (itsdangerous, with the app's secret key),
so a harvester cannot forge one, and it never expires: paging by cursor
stays right whatever changes between two requests.
"""
from __future__ import annotations

import datetime as dt

from itsdangerous import BadData, URLSafeSerializer

from importers.oai.repository import Selection


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("naive datetime in token")
    return moment


class Tokens:
    def __init__(self, secret_key: str):
        self.serializer = URLSafeSerializer(secret_key, salt="oai-pmh-resumption-token")

    def dump(self, verb: str, state: dict, after: tuple[dt.datetime, int], cursor: int, total: int) -> str:
        selection = state["selection"]
        return self.serializer.dumps({
            "v": verb, "m": state["prefix"], "s": selection.set_spec, "f": _iso(selection.since),
            "u": _iso(selection.before), "a": [_iso(after[0]), after[1]], "n": cursor, "t": total,
        })

    def load(self, token: str, verb: str) -> dict:
        """The state a token carries; ValueError if it is forged, broken or for another verb."""
        try:
            data = self.serializer.loads(token)
            if data["v"] != verb:
                raise ValueError("token of another verb")
            stamp, last_id = data["a"]
            return {
                "prefix": data["m"],
                "selection": Selection(set_spec=data["s"], since=_moment(data["f"]), before=_moment(data["u"])),
                "after": (_moment(stamp), int(last_id)), "cursor": int(data["n"]), "total": int(data["t"]),
            }
        except (BadData, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"bad resumption token: {error}") from None
