"""The rules a portal's settings and selection entries follow, checked
before anything is written. Pure functions: the service passes in what
needs the database (is this address taken? which work is this?)."""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from catalogue.vocab import Audience, DocumentType, Library
from core.errors import ValidationFailed
from core.i18n import N_
from core.vocab import Pole
from search.engine import FACETS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AVAILABILITY = ("available", "unavailable", "online", "none")
# Facets whose values are a closed list; language and year_range are checked by shape.
CLOSED = {"pole": Pole.values(), "document_type": DocumentType.values(), "audience": Audience.values(),
          "library": Library.values(), "availability": list(AVAILABILITY)}
SHAPES = {"language": re.compile(r"^[a-z]{3}$"), "year_range": re.compile(r"^(<\d{4}|\d{4}-\d{4})$")}
IDLE_RANGE = (10, 3600)  # seconds: under 10 a visitor cannot read a page; over an hour it never resets
TEXT_LIMITS = {"slug": 100, "title_fr": 255, "title_en": 255}


def clean_portal(data: dict, *, slug_taken: Callable[[str], bool],
                 find_concept: Callable[[str], int | None] = lambda text: None) -> dict:
    """The portal's fields, cleaned; raises ValidationFailed naming each bad
    field (``base_filter.<facet>`` for a facet's values). The base filter
    may also hold subjects (``concept``): each a concept's number or label,
    found by ``find_concept`` and kept as its number."""
    errors: dict[str, list[str]] = {}
    clean = {name: clean_text(data.get(name)) for name in ("slug", "title_fr", "title_en",
                                                      "description_fr", "description_en")}
    clean["slug"] = slug_checked(clean["slug"], slug_taken, errors, missing=N_(
        "Give the portal an address, for example creer-son-activite."), malformed=N_(
        "Use only lower-case letters without accents, digits and hyphens, for example creer-son-activite."),
        taken=N_("Another portal already has this address: choose another one."))
    if not clean["title_fr"]:
        errors["title_fr"] = [N_("A portal needs a French title.")]
    lengths_checked(clean, TEXT_LIMITS, errors)
    pole = clean_text(data.get("pole"))
    if pole and pole not in Pole.values():
        errors["pole"] = [N_("Choose one of the advice poles, or none.")]
    clean["pole"] = Pole(pole) if pole in Pole.values() else None
    for name in ("base_filter", "boost"):
        # subjects narrow a portal; ranking by them is not offered
        clean[name], problems = _facet_values(data.get(name) or {},
                                              find_concept if name == "base_filter" else None)
        for facet, messages in problems.items():
            errors[f"{name}.{facet}"] = messages
    idle = clean["kiosk_idle_seconds"] = clean_integer(data.get("kiosk_idle_seconds"), 120)
    if idle is None or not IDLE_RANGE[0] <= idle <= IDLE_RANGE[1]:
        errors["kiosk_idle_seconds"] = [N_("Give a number of seconds between 10 and 3600.")]
    clean["position"] = clean_integer(data.get("position"), 0)
    if clean["position"] is None:
        errors["position"] = [N_("Give a whole number.")]
    clean["published"] = bool(data.get("published", True))
    if errors:
        raise ValidationFailed(errors)
    return clean


def clean_selection(data: dict, *, find_record: Callable[[str], int | None]) -> dict:
    """A selection entry's fields: ``record_id`` (``work`` found by
    ``find_record``) or ``url`` and ``title``, and ``note``."""
    work, url, title, note = (clean_text(data.get(k)) for k in ("work", "url", "title", "note"))
    if work and url:
        raise ValidationFailed({"work": [N_("Give either a work or a website, not both.")]})
    if work:
        record_id = find_record(work)
        if record_id is None:
            raise ValidationFailed({"work": [N_("No work has this number or ISBN: check it in the catalogue.")]})
        return {"record_id": record_id, "note": note}
    errors = {}
    parts = urlsplit(url or "")
    if not url:
        errors["url"] = [N_("Give a work of the catalogue or a website's address.")]
    elif parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        errors["url"] = [N_("Give a full web address starting with https://.")]
    if url and not title:
        errors["title"] = [N_("Give the website a title visitors will understand.")]
    if errors:
        raise ValidationFailed(errors)
    return {"url": url, "title": title[:500], "note": note}


def _facet_values(raw: dict, find_concept: Callable[[str], int | None] | None = None) -> tuple[dict, dict]:
    clean, problems = {}, {}
    for facet, values in raw.items():
        if facet == "concept" and find_concept is not None:
            _concepts(values, find_concept, clean, problems)
            continue
        if facet not in FACETS:
            problems[facet] = [N_("This is not a facet of the search.")]
            continue
        values = list(dict.fromkeys(str(v).strip() for v in (values or []) if str(v).strip()))
        allowed = CLOSED.get(facet)
        bad = [v for v in values if (v not in allowed if allowed else not SHAPES[facet].match(v))]
        if bad:
            problems[facet] = [N_("Some values are not valid for this facet: check them.")]
        elif values:
            clean[facet] = values
    return clean, problems


def _concepts(values, find_concept, clean: dict, problems: dict) -> None:
    """Subjects: a concept's number or label each, kept as its number."""
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    found = [(text, find_concept(text)) for text in (str(v).strip() for v in values if v is not None) if text]
    if any(concept_id is None for _, concept_id in found):
        problems["concept"] = [N_("Some subjects are not concepts of the thesaurus: give each one's "
                                  "preferred label or number, one per line.")]
    elif found:
        clean["concept"] = list(dict.fromkeys(str(concept_id) for _, concept_id in found))


def slug_checked(raw: str | None, slug_taken: Callable[[str], bool], errors: dict, *, missing: str,
                 malformed: str, taken: str) -> str:
    """The address in lower case; the first problem it has goes into
    ``errors["slug"]`` (portals and goals share these rules, not their words)."""
    slug = (raw or "").lower()
    problem = missing if not slug else malformed if not SLUG.match(slug) else taken if slug_taken(slug) else None
    if problem:
        errors["slug"] = [problem]
    return slug


def lengths_checked(clean: dict, limits: dict[str, int], errors: dict) -> None:
    """A text over its limit is refused on its field (unless it has a problem already)."""
    for name, limit in limits.items():
        if clean[name] and len(clean[name]) > limit and name not in errors:
            errors[name] = [N_("This text is too long: shorten it.")]


def clean_text(value) -> str | None:
    value = (str(value).strip() if value is not None else "")
    return value or None


def clean_integer(value, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
