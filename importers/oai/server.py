"""The catalogue's OAI-PMH 2.0 repository at /oai: open data, no login.

Verbs Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords
and GetRecord, by GET or POST. Resumption tokens are stateless: they carry
the request's filters and the (datestamp, id) of the last item sent, signed
with the app's secret key so that a tampered token is refused.

Error texts are protocol diagnostics for harvesting software, in English like
the specification's own examples, so they are not translated.
"""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import force_locale, gettext
from lxml import etree

from core.db import utcnow
from core.web.numbers import BIGGEST
from importers.export.fields import xml_safe
from importers.oai import (
    DAYS,
    OAI_IDENTIFIER_NS,
    OAI_IDENTIFIER_SCHEMA,
    OAI_NS,
    OAI_SCHEMA,
    SECONDS,
    XSI_NS,
    format_datestamp,
    parse_datestamp,
)
from importers.oai.formats import FORMATS, metadata
from importers.oai.repository import OaiRepository, Selection, all_sets, known_set, set_specs
from importers.oai.tokens import Tokens

bp = Blueprint("oai", __name__)

LIST_VERBS = ("ListIdentifiers", "ListRecords")
# verb -> (required arguments, optional arguments); resumptionToken is apart.
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
TOKEN_VERBS = {"ListSets", *LIST_VERBS}
DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def E(parent, name: str, text=None, **attributes):  # noqa: N802 - element builder
    """An element of the response. Everything in it may echo what a client
    sent, so characters XML 1.0 cannot carry are dropped, not refused."""
    element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}",
                               {k: xml_safe(str(v)) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_safe(str(text))
    return element


@bp.route("/oai", methods=["GET", "POST"])
def endpoint():
    now = utcnow()
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    E(root, "responseDate", format_datestamp(now))
    requested = E(root, "request", url_for(".endpoint", _external=True))
    session = current_app.extensions["catalogue.db"].session()
    try:
        verb, args = _arguments(request.values)
        # The request is echoed as attributes, except for badVerb and badArgument (the spec says so).
        # A value XML cannot carry is left out of the echo (the error names it, escaped).
        requested.attrib.update({name: value for name, value in {"verb": verb, **args}.items()
                                 if xml_safe(value) == value})
        root.append(VERBS[verb](Handler(session, args, now)))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            requested.attrib.clear()
        E(root, "error", error.message, code=error.code)
    finally:
        session.close()
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Response(body, content_type="application/xml; charset=utf-8")


def _arguments(values) -> tuple[str, dict[str, str]]:
    verbs = values.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb."
                       if len(verbs) != 1 else f"{verbs[0]!r} is not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional = ARGUMENTS[verb]
    args: dict[str, str] = {}
    for name in values.keys():
        if name == "verb":
            continue
        found = values.getlist(name)
        if name not in required | optional and not (name == "resumptionToken" and verb in TOKEN_VERBS):
            raise OaiError("badArgument", f"{name!r} is not an argument of {verb}.")
        if len(found) != 1:
            raise OaiError("badArgument", f"The argument {name!r} is repeated.")
        if not found[0].strip():
            raise OaiError("badArgument", f"The argument {name!r} is empty.")
        args[name] = found[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument: send it alone with the verb.")
        return verb, args
    missing = sorted(required - set(args))
    if missing:
        raise OaiError("badArgument", f"{verb} requires {', '.join(missing)}.")
    return verb, args


class Handler:
    """One legal request: its arguments, the database and the settings."""

    def __init__(self, session, args: dict[str, str], now: dt.datetime):
        self.args = args
        self.now = now
        self.repo = OaiRepository(session)
        self.config = current_app.config
        self.prefix_id = f"oai:{self.config['OAI_REPOSITORY_ID']}:record/"
        self.tokens = Tokens(current_app.secret_key)

    def identifier(self, record_id: int) -> str:
        return f"{self.prefix_id}{record_id}"

    def record_id(self, identifier: str) -> int:
        local = identifier[len(self.prefix_id):] if identifier.startswith(self.prefix_id) else ""
        if not (local.isascii() and local.isdigit()) or int(local) > BIGGEST:
            raise OaiError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository.")
        return int(local)

    def entry(self, identifier: str):
        entry = self.repo.entry(self.record_id(identifier))
        if entry is None:
            raise OaiError("idDoesNotExist", f"There is no item {identifier!r} in this repository.")
        return entry

    def metadata_prefix(self, prefix: str) -> str:
        if prefix not in FORMATS:
            raise OaiError("cannotDisseminateFormat",
                           f"{prefix!r} is not a metadata format of this repository ({', '.join(FORMATS)}).")
        return prefix

    def header(self, parent, entry, record) -> None:
        header = E(parent, "header", **({"status": "deleted"} if entry.deleted else {}))
        E(header, "identifier", self.identifier(entry.id))
        E(header, "datestamp", format_datestamp(entry.stamp))
        for spec in set_specs(record) if record is not None else ():
            E(header, "setSpec", spec)

    def record(self, parent, entry, record, prefix: str, descriptors: list[str]) -> None:
        element = E(parent, "record")
        self.header(element, entry, record)
        if not entry.deleted:
            E(element, "metadata").append(metadata(prefix, record, label=french, descriptors=descriptors))


def french(value) -> str:
    """Set names and type labels are French, whatever the client's language."""
    with force_locale("fr"):
        return gettext(getattr(value, "label", value))


def identify(h: Handler):
    element = etree.Element(f"{{{OAI_NS}}}Identify")
    E(element, "repositoryName", h.config["OAI_REPOSITORY_NAME"])
    E(element, "baseURL", url_for(".endpoint", _external=True))
    E(element, "protocolVersion", "2.0")
    E(element, "adminEmail", h.config["OAI_ADMIN_EMAIL"])
    E(element, "earliestDatestamp", format_datestamp(h.repo.earliest() or h.now))
    E(element, "deletedRecord", "persistent")
    E(element, "granularity", SECONDS)
    repository_id = h.config["OAI_REPOSITORY_ID"]
    if DOMAIN.match(repository_id):  # the oai-identifier scheme wants a domain name
        description = E(element, "description")
        scheme = etree.SubElement(description, f"{{{OAI_IDENTIFIER_NS}}}oai-identifier",
                                  nsmap={None: OAI_IDENTIFIER_NS})
        scheme.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
        for name, text in (("scheme", "oai"), ("repositoryIdentifier", repository_id),
                           ("delimiter", ":"), ("sampleIdentifier", h.identifier(1))):
            etree.SubElement(scheme, f"{{{OAI_IDENTIFIER_NS}}}{name}").text = text
    return element


def list_metadata_formats(h: Handler):
    if "identifier" in h.args:
        h.entry(h.args["identifier"])  # every item is available in every format
    element = etree.Element(f"{{{OAI_NS}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = E(element, "metadataFormat")
        E(fmt, "metadataPrefix", prefix)
        E(fmt, "schema", schema)
        E(fmt, "metadataNamespace", namespace)
    return element


def list_sets(h: Handler):
    if "resumptionToken" in h.args:
        raise OaiError("badResumptionToken", "ListSets is never split: this token was not issued here.")
    element = etree.Element(f"{{{OAI_NS}}}ListSets")
    for spec, value in all_sets():
        entry = E(element, "set")
        E(entry, "setSpec", spec)
        E(entry, "setName", french(value))
    return element


def get_record(h: Handler):
    prefix = h.metadata_prefix(h.args["metadataPrefix"])
    entry = h.entry(h.args["identifier"])
    records = h.repo.records([entry.id], full=True) if not entry.deleted else {}
    element = etree.Element(f"{{{OAI_NS}}}GetRecord")
    h.record(element, entry, records.get(entry.id), prefix, h.repo.descriptor_labels([entry.id]).get(entry.id, []))
    return element


def list_items(verb: str):
    def handler(h: Handler):
        if "resumptionToken" in h.args:
            state = _resume(h, verb)
        else:
            state = _first_request(h)
        prefix, selection = state["prefix"], state["selection"]
        size = h.config["OAI_PAGE_SIZE"]
        entries = h.repo.page(selection, after=state["after"], limit=size + 1)
        more, entries = len(entries) > size, entries[:size]
        if not entries:
            raise OaiError("noRecordsMatch", "No item matches these arguments.")
        ids = [e.id for e in entries if not e.deleted]
        records = h.repo.records(ids, full=verb == "ListRecords")
        descriptors = h.repo.descriptor_labels(ids) if verb == "ListRecords" and prefix == "oai_dc" else {}
        element = etree.Element(f"{{{OAI_NS}}}{verb}")
        for entry in entries:
            record = records.get(entry.id)
            if not entry.deleted and record is None:
                continue  # deleted between the two queries: listed as deleted next time
            if verb == "ListRecords":
                h.record(element, entry, record, prefix, descriptors.get(entry.id, []))
            else:
                h.header(element, entry, record)
        cursor = state["cursor"]
        if more or cursor:
            total = max(state["total"], cursor + len(entries) + (1 if more else 0))
            last = entries[-1]
            token = h.tokens.dump(verb, state, (last.stamp, last.id), cursor + len(entries), total) if more else None
            E(element, "resumptionToken", token, completeListSize=total, cursor=cursor)
        return element
    return handler


def _first_request(h: Handler) -> dict:
    prefix = h.metadata_prefix(h.args["metadataPrefix"])
    bounds = {}
    for name in ("from", "until"):
        if name in h.args:
            try:
                bounds[name] = parse_datestamp(h.args[name])
            except ValueError as error:
                raise OaiError("badArgument", str(error)) from None
    if len({granularity for _, granularity in bounds.values()}) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    since = bounds["from"][0] if "from" in bounds else None
    before = None
    if "until" in bounds:  # inclusive until the end of that day or second
        moment, granularity = bounds["until"]
        before = moment + (dt.timedelta(days=1) if granularity == DAYS else dt.timedelta(seconds=1))
    if since is not None and before is not None and since >= before:
        raise OaiError("badArgument", "from is later than until.")
    set_spec = h.args.get("set")
    if set_spec is not None and not known_set(set_spec):
        raise OaiError("noRecordsMatch", f"There is no set {set_spec!r} here (see ListSets).")
    selection = Selection(set_spec=set_spec, since=since, before=before)
    total = h.repo.count(selection)
    if not total:
        raise OaiError("noRecordsMatch", "No item matches these arguments.")
    return {"prefix": prefix, "selection": selection, "after": None, "cursor": 0, "total": total}


def _resume(h: Handler, verb: str) -> dict:
    try:
        state = h.tokens.load(h.args["resumptionToken"], verb)
    except ValueError:
        raise OaiError("badResumptionToken", "This resumption token is invalid, altered or not for this verb.") \
            from None
    if state["prefix"] not in FORMATS:
        raise OaiError("badResumptionToken", "This resumption token names an unknown format.")
    return state


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_items("ListIdentifiers"),
    "ListRecords": list_items("ListRecords"),
}
