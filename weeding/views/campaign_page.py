"""The campaign page as its views render it: the campaign, each pole's
progress, a page of candidates with their forms, and once closed the
closing report. Shared by the page and by the forms posted from it, which
render it again with their errors."""
from __future__ import annotations

from collections import Counter

from flask import render_template, request
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy import func, select

from accounts.permissions import EDIT_CATALOGUE, REVIEW_WEEDING
from catalogue.vocab import Disposal, DocumentType
from core.db import utcnow
from core.i18n import N_
from core.vocab import Pole
from core.web.auth import can
from core.web.helpers import page_args, pagination
from core.web.transaction import db_session
from thesaurus.models import Concept
from weeding.forms import AddForm, BulkForm, CloseForm, DecisionForm, ExcludeForm, IncludeForm
from weeding.models import WeedingCandidate, WeedingRule, WeedingVote
from weeding.present import campaign_json, candidate_json
from weeding.services import report
from weeding.services.campaigns import STATES, CampaignService
from weeding.vocab import CampaignStatus, Ioupi, Mustie, ReasonCode, Verdict

MAX_PAGE = 100_000  # beyond any campaign: a bigger number would overflow the database's OFFSET
RECENT_YEARS = 15   # the age profile shows these years one by one, older ones by decade
STATE_LABELS = {"all": N_("All"), "pending": N_("To decide"), "decided": N_("Decided"),
                "excluded": N_("Excluded"), "kept_by_vote": N_("Voted keep")}


def words() -> dict:
    """Functions the templates name values with."""
    return {"verdict_label": verdict_label, "disposal_label": disposal_label, "flag_label": flag_label,
            "pole_label": pole_label}


def listing_args() -> tuple[str, int, int]:
    """The candidates' filter and page asked for, made safe."""
    state = request.args.get("state", "all")
    page, size = page_args(50)
    return (state if state in STATES else "all"), min(page, MAX_PAGE), size


def render_campaign(campaign, *, status: int = 200, alert: str | None = None, failed: tuple | None = None,
                    add_form: AddForm | None = None, bulk_form: BulkForm | None = None,
                    close_form: CloseForm | None = None):
    """The page. ``failed``: (item_id, kind, form) of a row's form posted
    with errors, shown open with them; ``alert``: a message on top (role=alert)."""
    session = db_session()
    state, page, size = listing_args()
    found, total = CampaignService(session).candidates(campaign.id, state=state, page=page, size=size)
    is_open = campaign.status is CampaignStatus.OPEN
    may_decide, may_edit = can_decide() and is_open, can_edit() and is_open
    locale = str(get_locale() or "fr")
    rows = []
    for candidate in found:
        data = candidate_json(candidate, gettext, locale)
        row = {"data": data, "names": {v.user.username: v.user.display_name for v in candidate.votes if v.user},
               "decide": None, "exclude": None, "include": None, "decided": _decided(candidate)}
        pending = data["decision"] is None and not data["excluded"]
        if may_decide and pending:
            row["decide"] = _row_form(failed, candidate.item_id, "decide", lambda: DecisionForm(
                formdata=None, prefix=f"d{candidate.item_id}", data={"version": str(candidate.version),
                                                                     "decision": _most_voted(data["votes"])}))
        if may_edit and pending:
            row["exclude"] = _row_form(failed, candidate.item_id, "exclude", lambda: ExcludeForm(
                formdata=None, prefix=f"x{candidate.item_id}", data={"version": str(candidate.version)}))
        if may_edit and data["excluded"]:
            row["include"] = IncludeForm(formdata=None, prefix=f"i{candidate.item_id}",
                                         data={"version": str(candidate.version)})
        rows.append(row)
    summary = campaign_json(session, campaign, detail=False)
    closed = campaign.status is CampaignStatus.CLOSED
    return render_template(
        "weeding/campaign.html", campaign=campaign, summary=summary, scope=scope_words(campaign.scope),
        rules=_rule_names(campaign.rule_ids), progress=report.progress(session, campaign), rows=rows,
        state=state, states=STATE_LABELS, here={k: v for k, v in (("state", state), ("page", page))
                                                 if v not in ("all", 1)}, paging=pagination(total, page, size), alert=alert,
        may_decide=may_decide, may_edit=may_edit, pending=_pending(summary),
        kept_pending=kept_pending(campaign.id) if may_decide else 0,
        add_form=add_form or (AddForm(formdata=None) if may_edit else None),
        bulk_form=bulk_form or (BulkForm(formdata=None) if may_decide else None),
        close_form=close_form or CloseForm(formdata=None, data={"version": str(campaign.version)}),
        closing=closing_tables(session, campaign) if closed else None, **words()), status


def can_decide() -> bool:
    return can(current_user, REVIEW_WEEDING)


def can_edit() -> bool:
    return can(current_user, EDIT_CATALOGUE)


def _row_form(failed, item_id: int, kind: str, make):
    if failed and failed[0] == item_id and failed[1] == kind:
        return failed[2]
    return make()


def _decided(candidate: WeedingCandidate) -> dict | None:
    """Who decided, when, and the comment they gave, as the decision stored them."""
    if candidate.decision is None:
        return None
    return {"by": candidate.decided_by.display_name if candidate.decided_by else None,
            "at": candidate.decided_at, "comment": candidate.decision_comment}


def _most_voted(votes: list[dict]) -> str:
    """What the decision form offers first: the counsellors' most frequent vote (keep on a tie with it)."""
    counts = Counter(vote["vote"] for vote in votes)
    return max(counts, key=lambda v: (counts[v], v == Verdict.KEEP.value)) if counts else Verdict.KEEP.value


def _pending(summary: dict) -> int:
    return summary["candidates"] - sum(summary["decided"].values())


def kept_pending(campaign_id: int) -> int:
    """Pending candidates a counsellor voted to keep: those a bulk decision leaves out."""
    keep = select(WeedingVote.candidate_id).where(WeedingVote.vote == Verdict.KEEP)
    return db_session().scalar(select(func.count()).select_from(WeedingCandidate).where(
        WeedingCandidate.campaign_id == campaign_id, WeedingCandidate.excluded_at.is_(None),
        WeedingCandidate.decision.is_(None), WeedingCandidate.id.in_(keep)))


def scope_words(scope: dict) -> list[tuple[str, str]]:
    """The scope as (what, which) pairs in the reader's language; empty: the whole collection."""
    words = []
    if scope.get("poles"):
        words.append((gettext("Poles"), " ; ".join(gettext(Pole(p).label) for p in scope["poles"])))
    if scope.get("document_types"):
        words.append((gettext("Document types"),
                      " ; ".join(gettext(DocumentType(t).label) for t in scope["document_types"])))
    if scope.get("call_number_prefix"):
        words.append((gettext("Shelf"), scope["call_number_prefix"]))
    if scope.get("location"):
        words.append((gettext("Location"), scope["location"]))
    if scope.get("concept_id"):
        concept = db_session().get(Concept, scope["concept_id"])
        words.append((gettext("Concept"), concept.pref_label_fr if concept else str(scope["concept_id"])))
    return words


def _rule_names(rule_ids) -> list[str]:
    if not rule_ids:
        return []
    return list(db_session().scalars(select(WeedingRule.name).where(WeedingRule.id.in_(rule_ids))
                                     .order_by(WeedingRule.position, WeedingRule.id)))


def verdict_label(value: str | None) -> str:
    return gettext(Verdict(value).label) if value in Verdict.values() else ""


def disposal_label(value: str | None) -> str:
    return gettext(Disposal(value).label) if value in Disposal.values() else ""


def flag_label(flag: str) -> str:
    """``mustie:ugly`` as "MUSTIE : Ugly: worn beyond mending", in the reader's language."""
    checklist, _, value = flag.partition(":")
    vocabulary = {"mustie": Mustie, "ioupi": Ioupi}.get(checklist)
    if vocabulary is None or value not in vocabulary.values():
        return flag
    return f"{checklist.upper()} : {gettext(vocabulary(value).label)}"


def pole_label(pole: str) -> str:
    return gettext(Pole(pole).label) if pole in Pole.values() else gettext("No pole of the campaign")


def closing_tables(session, campaign) -> dict:
    """The closing report as tables: decisions by pole and by reason, the age profile before and after."""
    closing = report.closing_report(session, campaign)
    columns = [v.value for v in Verdict] + ["pending"]
    by_pole = [(pole_label(pole), [counts.get(c, 0) for c in columns], sum(counts.values()))
               for pole, counts in closing["by_pole"].items()]
    reasons = {r.value: r.label for r in ReasonCode}
    by_reason = [(gettext(reasons[code]) if code in reasons else code, [counts.get(c, 0) for c in columns],
                  sum(counts.values())) for code, counts in closing["by_reason"].items()]
    totals = [closing["totals"].get(c, 0) for c in columns]
    return {"columns": [gettext(Verdict(c).label) if c != "pending" else gettext("Not decided") for c in columns],
            "by_pole": by_pole, "by_reason": by_reason, "totals": totals, "withdrawn": closing["withdrawn"],
            "ages": age_rows(closing["profile_before"], closing["profile_after"] or {}, utcnow().year)}


def age_rows(before: dict, after: dict, this_year: int) -> dict:
    """Copies by publication year before and after, side by side: recent
    years one by one, older ones by decade, the unknown year last; with the
    bars of a chart (widths out of 100)."""
    groups: dict[str, list[int]] = {}
    order: dict[str, int] = {}
    for column, profile in enumerate((before, after)):
        for year, copies in profile.items():
            label, rank = _period(year, this_year)
            groups.setdefault(label, [0, 0])[column] += copies
            order[label] = rank
    labels = sorted(groups, key=lambda label: order[label])
    peak = max([max(counts) for counts in groups.values()] + [1])
    rows = [{"label": label, "before": groups[label][0], "after": groups[label][1],
             "difference": groups[label][1] - groups[label][0],
             "before_width": round(groups[label][0] / peak * 100, 1),
             "after_width": round(groups[label][1] / peak * 100, 1)} for label in labels]
    return {"rows": rows, "before": sum(r["before"] for r in rows), "after": sum(r["after"] for r in rows)}


def _period(year: str, this_year: int) -> tuple[str, int]:
    if not str(year).lstrip("-").isdigit():
        return gettext("Year unknown"), 10 ** 6
    number = int(year)
    if number > this_year - RECENT_YEARS:
        return str(number), number
    start = number - number % 10
    return f"{start}–{min(start + 9, this_year - RECENT_YEARS)}", start
