"""Proposals: making them, checking they are not duplicates, supporting and
discussing them. Moving them through their states is ``moves``.

Like every service: a session, the acting staff member and a clock; flushes,
never commits, never imports Flask.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from accounts.services import NotificationService
from acquisitions.errors import AlreadyInCatalogue, AlreadyProposed, AlreadySupported
from acquisitions.models import (
    Proposal,
    ProposalAudience,
    ProposalComment,
    ProposalEvent,
    ProposalPole,
    ProposalQuery,
    ProposalSupport,
)
from acquisitions.services import duplicates, notices
from acquisitions.services.cleaning import clean_proposal
from acquisitions.vocab import ProposalStatus
from catalogue.matchkey import title_words
from catalogue.models import Record
from core.db import like_pattern, paginate
from core.errors import Conflict, NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service

# Still worth backing: once decided, a "me too" changes nothing.
SUPPORTABLE = frozenset({ProposalStatus.PROPOSED, ProposalStatus.UNDER_REVIEW})
EDITABLE = frozenset({ProposalStatus.PROPOSED, ProposalStatus.UNDER_REVIEW})


@dataclass(frozen=True)
class Support:
    """A proposal's backing: its proposer and supporters, counted per pole."""
    total: int
    by_pole: dict[str, int]  # pole code ("" for staff of no pole) -> people


class ProposalService(Service):
    def get(self, proposal_id: int) -> Proposal:
        proposal = self.session.get(Proposal, proposal_id) if 0 < proposal_id < 2 ** 63 else None
        if proposal is None:
            raise NotFound(N_("There is no proposal number %(id)s."), id=proposal_id)
        return proposal

    def list(self, *, status: list[ProposalStatus] | None = None, pole: str | None = None,
             proposed_by: int | None = None, text: str | None = None, page: int = 1,
             size: int = 25) -> tuple[list[Proposal], int]:
        """Proposals, most recent first (filters: states, pole, proposer, words of the title or ISBN)."""
        query = select(Proposal).options(selectinload(Proposal.fund))
        if status:
            query = query.where(Proposal.status.in_(status))
        if pole:
            query = query.where(or_(Proposal.pole == pole, Proposal.id.in_(
                select(ProposalPole.proposal_id).where(ProposalPole.pole == pole))))
        if proposed_by is not None:
            query = query.where(Proposal.proposed_by_id == proposed_by)
        if text and text.strip():
            # Accents and case ignored (the match key holds the folded title);
            # an ISBN found whatever its hyphens or spaces.
            words, digits = title_words(text), re.sub(r"[^0-9Xx]", "", text)
            found = [func.lower(Proposal.title).like(like_pattern(text), escape="\\")]
            if words:
                found.append(Proposal.match_key.like(like_pattern(words), escape="\\"))
            if len(digits) >= 4:
                found.append(Proposal.isbn.like(like_pattern(digits), escape="\\"))
            query = query.where(or_(*found))
        return paginate(self.session, query.order_by(Proposal.created_at.desc(), Proposal.id.desc()),
                        page=page, size=size)

    def check(self, data: dict) -> dict:
        """What saving ``data`` would meet, without saving: the cleaned
        fields, the catalogue's matching works and an open proposal of the
        same work (the forms show both before asking to confirm)."""
        clean = clean_proposal(data, today=self.clock().date())
        key = duplicates.proposal_key(clean)
        return {"clean": clean, "matches": duplicates.catalogue_matches(self.session, clean, key),
                "proposal": duplicates.open_proposal(self.session, clean, key)}

    def create(self, data: dict, *, confirm_duplicate: bool = False) -> Proposal:
        """A new proposal, ``proposed``. Refused, saving nothing, when the
        catalogue seems to hold the work (AlreadyInCatalogue, unless
        ``confirm_duplicate``) or an open proposal names it (AlreadyProposed:
        support that one instead)."""
        found = self.check(data)
        clean, key = found["clean"], duplicates.proposal_key(found["clean"])
        if found["matches"] and not confirm_duplicate:
            raise AlreadyInCatalogue([duplicates.match_summary(r) for r in found["matches"]])
        if found["proposal"] is not None:
            raise AlreadyProposed(found["proposal"].id, found["proposal"].title)
        self._check_record(clean)
        now = self.clock()
        proposal = Proposal(status=ProposalStatus.PROPOSED, proposed_by_id=self.actor_id, created_at=now,
                            updated_at=now, match_key=key, duplicate_confirmed=bool(found["matches"]))
        if clean["pole"] is None:
            clean["pole"] = getattr(self.actor, "pole", None)
        self._apply(proposal, clean)
        self.session.add(proposal)
        proposal.events.append(ProposalEvent(from_status=None, to_status=ProposalStatus.PROPOSED, at=now,
                                             actor_id=self.actor_id, comment=clean["reason"],
                                             reason_code=clean["reason_code"].value,
                                             details={"duplicate_confirmed": proposal.duplicate_confirmed}))
        self.session.flush()
        self.audit.log("proposal.create", "proposal", proposal.id, record_id=proposal.record_id,
                       label=proposal.title, changes={"status": [None, ProposalStatus.PROPOSED.value]})
        notices.proposed(NotificationService(self.session, self.clock), proposal, self.actor)
        return proposal

    def update(self, proposal_id: int, data: dict, *, expected_version: int) -> Proposal:
        """Change a proposal's fields while it is being decided. A stale
        ``expected_version`` is a VersionConflict showing both versions."""
        proposal = self.get(proposal_id)
        clean = clean_proposal(data, today=self.clock().date())
        if proposal.version != expected_version:
            raise VersionConflict(N_("Someone changed this proposal meanwhile: check their changes, then save "
                                     "again."), current=snapshot(proposal), submitted=_plain(clean))
        if proposal.status not in EDITABLE:
            raise Conflict(N_("A proposal can be changed only until it is decided."))
        self._check_record(clean)
        key = duplicates.proposal_key(clean)
        twin = duplicates.open_proposal(self.session, clean, key, besides=proposal.id)
        if twin is not None:
            raise AlreadyProposed(twin.id, twin.title)
        before = snapshot(proposal)
        self._apply(proposal, clean)
        proposal.match_key, proposal.updated_at = key, self.clock()
        try:
            self.session.flush()
        except StaleDataError:
            raise VersionConflict(N_("Someone changed this proposal meanwhile: check their changes, then save "
                                     "again."), current=before, submitted=_plain(clean)) from None
        after = snapshot(proposal)
        self.audit.log("proposal.update", "proposal", proposal.id, record_id=proposal.record_id,
                       label=proposal.title, changes={k: [before[k], after[k]] for k in after
                                                      if k != "version" and before.get(k) != after[k]})
        return proposal

    def support(self, proposal_id: int, comment: str | None = None) -> ProposalSupport:
        """"Moi aussi": once per person, not by the proposer."""
        proposal = self.get(proposal_id)
        if proposal.status not in SUPPORTABLE:
            raise Conflict(N_("This proposal is decided already: support is no longer counted."))
        if proposal.proposed_by_id == self.actor_id:
            raise AlreadySupported(N_("You made this proposal: your support is counted already."))
        if self.session.scalar(select(ProposalSupport.id).where(ProposalSupport.proposal_id == proposal.id,
                                                                ProposalSupport.user_id == self.actor_id)):
            raise AlreadySupported(N_("You support this proposal already."))
        support = ProposalSupport(proposal_id=proposal.id, user_id=self.actor_id, at=self.clock(),
                                  pole=getattr(self.actor, "pole", None), comment=(comment or "").strip() or None)
        self.session.add(support)
        self.session.flush()
        self.session.expire(proposal, ["supports"])
        self.audit.log("proposal.support", "proposal", proposal.id, record_id=proposal.record_id,
                       label=proposal.title, changes={"supported_by": [None, getattr(self.actor, "username", None)]})
        return support

    def comment(self, proposal_id: int, text: str) -> ProposalComment:
        proposal = self.get(proposal_id)
        text = (text or "").strip()
        if not text:
            raise ValidationFailed({"text": [N_("Write the comment.")]})
        if len(text) > 5000:
            raise ValidationFailed({"text": [N_("This field is too long.")]})
        comment = ProposalComment(proposal_id=proposal.id, author_id=self.actor_id, at=self.clock(), text=text)
        self.session.add(comment)
        self.session.flush()
        return comment

    def support_of(self, proposal: Proposal) -> Support:
        poles = Counter((support.pole.value if support.pole else "") for support in proposal.supports)
        proposer = proposal.proposed_by
        poles[proposer.pole.value if proposer is not None and proposer.pole else ""] += 1
        return Support(sum(poles.values()), dict(sorted(poles.items())))

    def supported_by(self, proposal: Proposal, user_id: int | None) -> bool:
        return user_id == proposal.proposed_by_id or any(s.user_id == user_id for s in proposal.supports)

    def _check_record(self, clean: dict) -> None:
        if clean["record_id"] is not None and self.session.get(Record, clean["record_id"]) is None:
            raise ValidationFailed({"record_id": [N_("There is no work with this number in the catalogue.")]})

    @staticmethod
    def _apply(proposal: Proposal, clean: dict) -> None:
        for name in ("title", "authors", "publisher", "year", "edition", "isbn", "issn", "document_type", "pole",
                     "reason_code", "reason", "estimated_price", "quantity", "record_id", "record_relation"):
            setattr(proposal, name, clean[name])
        proposal.pole_links = [ProposalPole(pole=pole) for pole in clean["poles"]]
        proposal.audience_links = [ProposalAudience(audience=audience) for audience in clean["audiences"]]
        kept = {link.query: link for link in proposal.query_links}
        proposal.query_links = [kept.get(query) or ProposalQuery(query=query) for query in clean["queries"]]


def snapshot(proposal: Proposal) -> dict:
    """A proposal as plain data: the API's answer, and both sides of a conflict."""
    return {
        "id": proposal.id, "version": proposal.version, "status": proposal.status.value,
        "title": proposal.title, "authors": proposal.authors, "publisher": proposal.publisher,
        "year": proposal.year, "edition": proposal.edition, "isbn": proposal.isbn, "issn": proposal.issn,
        "document_type": proposal.document_type.value, "pole": proposal.pole.value if proposal.pole else None,
        "poles": [p.value for p in proposal.poles], "audiences": [a.value for a in proposal.audiences],
        "reason_code": proposal.reason_code.value, "reason": proposal.reason,
        "estimated_price": str(proposal.estimated_price) if proposal.estimated_price is not None else None,
        "quantity": proposal.quantity, "record_id": proposal.record_id,
        "record_relation": proposal.record_relation.value if proposal.record_relation else None,
        "queries": proposal.queries, "fund_id": proposal.fund_id,
        "rejection_reason": proposal.rejection_reason.value if proposal.rejection_reason else None,
        "duplicate_confirmed": proposal.duplicate_confirmed, "received_record_id": proposal.received_record_id,
        "proposed_by": proposal.proposed_by.username if proposal.proposed_by else None,
        "created_at": proposal.created_at.isoformat() if proposal.created_at else None,
    }


def _plain(clean: dict) -> dict:
    return {name: (value.value if hasattr(value, "value") and isinstance(value, str)
                   else [v.value for v in value] if name in ("poles", "audiences")
                   else str(value) if name == "estimated_price" and value is not None else value)
            for name, value in clean.items()}
