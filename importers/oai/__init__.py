"""OAI-PMH 2.0: the catalogue's own repository at /oai (``server``) and the
harvester of other repositories (``harvester``).

This module holds what both sides share and imports neither Flask nor the
database, so the harvester stays usable outside a web request.
"""
from __future__ import annotations

import datetime as dt
import re

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
MARCXCHANGE_NS = "info:lc/xmlns/marcxchange-v2"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

SECONDS = "YYYY-MM-DDThh:mm:ssZ"
DAYS = "YYYY-MM-DD"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def parse_datestamp(text: str) -> tuple[dt.datetime, str]:
    """A UTC datestamp and its granularity (``DAYS`` or ``SECONDS``).

    Raises ValueError for anything else: OAI-PMH allows exactly these two
    forms, and servers must refuse the others with badArgument.
    """
    text = (text or "").strip()
    if _DAY.match(text):
        return dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc), DAYS
    if _SECOND.match(text):
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc), SECONDS
    raise ValueError(f"{text!r} is not an OAI-PMH datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")


def format_datestamp(moment: dt.datetime, granularity: str = SECONDS) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d" if granularity == DAYS else "%Y-%m-%dT%H:%M:%SZ")
