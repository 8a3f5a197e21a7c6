"""Who hears of what: inbox lines (accounts.models.Notification) and, for
staff with an e-mail address, queued mail (core.mail.OutgoingMail; sending
it is tested elsewhere), on both databases."""
from __future__ import annotations

from sqlalchemy import select

from accounts.models import Notification
from core.mail import OutgoingMail
from tests.acquisitions.support import PEOPLE, moved, open_fund, propose


def inbox(db, staff, username: str) -> list[tuple[str, dict, str]]:
    with db.session() as session:
        return [(n.message, n.params, n.link) for n in session.scalars(
            select(Notification).where(Notification.user_id == staff.ids[username]).order_by(Notification.id))]


def mail_to(db, username: str) -> list[tuple[str, str, dict]]:
    with db.session() as session:
        return [(m.subject, m.body, m.params) for m in session.scalars(
            select(OutgoingMail).where(OutgoingMail.recipient == PEOPLE[username][2]).order_by(OutgoingMail.id))]


def test_librarians_hear_of_each_new_proposal_by_inbox_and_mail(client, db, staff):
    for name in ("lise", "paul", "doc", "admin"):
        staff.create(name)
    proposal = propose(client, staff.headers("claire"))

    [(message, params, link)] = inbox(db, staff, "lise")
    assert message == "New proposal from %(name)s: “%(title)s”."
    assert params == {"name": "Claire", "title": "Le guide du bilan de compétences"}
    assert link == f"/staff/acquisitions/proposals/{proposal['id']}"
    assert len(inbox(db, staff, "paul")) == 1, "every librarian"
    assert inbox(db, staff, "doc") == [] and inbox(db, staff, "admin") == []
    assert mail_to(db, "lise") == [("Acquisitions: %(title)s", message, params)]
    with db.session() as session:
        assert session.scalars(select(OutgoingMail.recipient)).all() == [PEOPLE["lise"][2]], "Paul has no address"


def test_a_librarians_own_proposal_tells_only_the_others(client, db, staff):
    staff.create("paul")
    propose(client, staff.headers("lise"))
    assert inbox(db, staff, "lise") == [] and mail_to(db, "lise") == []
    assert len(inbox(db, staff, "paul")) == 1


def test_the_proposer_hears_of_every_move_made_by_someone_else(client, db, staff):
    fund = open_fund(db, 2026, "job_search", "1000")
    proposal = propose(client, staff.headers("claire"), quantity=2)
    for who, to, data in (("doc", "under_review", {}), ("lise", "accepted", {"fund_id": fund}),
                          ("lise", "ordered", {}), ("doc", "received", {"quantity": 1}),
                          ("doc", "received", {}), ("doc", "catalogued", {})):
        moved(client, staff.headers(who), proposal["id"], to, **data)

    lines = inbox(db, staff, "claire")
    assert [message for message, _, _ in lines] == [
        "Your proposal “%(title)s” is under review.",
        "Your proposal “%(title)s” was accepted.",
        "Your proposal “%(title)s” was ordered.",
        "Copies of your proposal “%(title)s” were received: %(count)s so far.",
        "Copies of your proposal “%(title)s” were received: %(count)s so far.",
        "Your proposal “%(title)s” is on the shelves: visitors can find it.",
    ]
    assert [params["count"] for message, params, _ in lines if "received" in message] == [1, 2]
    assert {link for _, _, link in lines} == {f"/staff/acquisitions/proposals/{proposal['id']}"}
    assert [body for _, body, _ in mail_to(db, "claire")] == [message for message, _, _ in lines]


def test_no_one_hears_of_their_own_move(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    moved(client, staff.headers("claire"), proposal["id"], "withdrawn")
    assert inbox(db, staff, "claire") == [] and mail_to(db, "claire") == []

    other = propose(client, staff.headers("nadia"), isbn="9782350300023", title="Le CV par l'exemple")
    moved(client, staff.headers("doc"), other["id"], "under_review")
    moved(client, staff.headers("lise"), other["id"], "rejected", rejection_reason="unavailable")
    assert [m for m, _, _ in inbox(db, staff, "nadia")] == [
        "Your proposal “%(title)s” is under review.",
        "Your proposal “%(title)s” was rejected: see why on its page."]
    with db.session() as session:  # Nadia has no address: her inbox only
        told = select(OutgoingMail.recipient).where(OutgoingMail.body.like("Your proposal%"))
        assert session.scalars(told).all() == []


def test_a_fund_reaching_its_threshold_tells_its_holder_once(client, db, staff):
    """A 100 € fund warned at 80 %: 85 € accepted tells Karim, its holder,
    once; 5 € more tells nobody again."""
    holder = staff.create("karim")
    fund = open_fund(db, 2026, "career_change", "100", warning_percent=80, holder_id=holder)
    first = propose(client, staff.headers("claire"), estimated_price="85")
    moved(client, staff.headers("doc"), first["id"], "under_review")
    staff.create("lise")
    before = len(inbox(db, staff, "lise"))
    moved(client, staff.headers("lise"), first["id"], "accepted", fund_id=fund)

    [(message, params, link)] = inbox(db, staff, "karim")
    assert message == "The fund “%(fund_label)s” %(year)s has reached %(percent)s %% of its allocation."
    assert (params["year"], params["percent"]) == (2026, 85)
    assert link == "/staff/acquisitions/budgets?year=2026"
    assert len(inbox(db, staff, "lise")) == before, "the holder is told, not the librarians"

    second = propose(client, staff.headers("claire"), isbn="9782350300023", title="Le CV", estimated_price="5")
    moved(client, staff.headers("doc"), second["id"], "under_review")
    moved(client, staff.headers("lise"), second["id"], "accepted", fund_id=fund)
    assert len(inbox(db, staff, "karim")) == 1


def test_a_fund_without_a_holder_tells_the_librarians(client, db, staff):
    fund = open_fund(db, 2026, "job_search", "50", warning_percent=50)
    staff.create("paul")
    proposal = propose(client, staff.headers("claire"), estimated_price="30")
    moved(client, staff.headers("doc"), proposal["id"], "under_review")
    moved(client, staff.headers("lise"), proposal["id"], "accepted", fund_id=fund)
    threshold = "The fund “%(fund_label)s” %(year)s has reached %(percent)s %% of its allocation."
    for librarian in ("lise", "paul"):
        assert [p["percent"] for m, p, _ in inbox(db, staff, librarian) if m == threshold] == [60], librarian
    assert [subject for subject, _, _ in mail_to(db, "lise")][-1] == "Acquisitions: a fund reaches its threshold"
