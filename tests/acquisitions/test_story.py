"""The issue's story, tried as a new user would, on the demo, through the
staff pages, with a real mail server:

1. Counsellor A (Trouver un emploi) finds a labour-law query without result
   in the observatory and turns it into a proposal;
2. counsellor B (Changer sa vie professionnelle) supports it;
3. the librarian accepts it on A's pole fund: committed rises;
4. the librarian orders it, then receives two copies: the work and two items
   in processing are created, spent rises, A hears of it in the inbox and by
   mail;
5. the documentalist shelves them: visitors find the work, available, and
   the observatory shows the query as answered.
"""
from __future__ import annotations

import html
import re
from decimal import Decimal
from urllib.parse import unquote_plus

import pytest
from sqlalchemy import select

from accounts.models import Notification
from accounts.services import AccountService
from acquisitions.models import Proposal
from acquisitions.services.budgets import BudgetService, fiscal_year
from catalogue.models import Item, Record
from cite import create_app
from cite.demo import DEMO_PASSWORD
from core.db import utcnow
from search.indexer import drain
from search.web import flush_observatory
from tests.support.factories import login
from tests.support.smtp import smtp_server

QUERY = "licenciement economique"
TOKEN = re.compile(r'name="[^"]*csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def site(database_url, tmp_path):
    with smtp_server() as mail:
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "story",
                          "SESSION_COOKIE_SECURE": False, "INSTANCE_DIR": str(tmp_path),
                          "SMTP_HOST": mail.host, "SMTP_PORT": mail.port, "SITE_URL": "https://cdm.example"})
        database = app.extensions["catalogue.db"]
        with database.transaction() as session:
            AccountService(session).set_email("conseiller", "karim.conseiller@cdm.example")
        drain(database, app.extensions["catalogue.search"])
        yield app, mail
        flush_observatory(app)  # its timer would write the last counts after the database is gone
        database.dispose()


def staff(app, username):
    client = app.test_client()
    login(client, username, DEMO_PASSWORD)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def move(client, proposal_id: int, target: str, **fields) -> str:
    """Press a move's button on the proposal's page, filling its form."""
    shown = page(client, f"/staff/acquisitions/proposals/{proposal_id}")
    version = re.search(rf'name="{target}-version"[^>]*value="(\d+)"', shown).group(1)
    data = {f"{target}-csrf_token": TOKEN.search(shown).group(1), f"{target}-version": version,
            **{f"{target}-{name}": value for name, value in fields.items()}}
    response = client.post(f"/staff/acquisitions/proposals/{proposal_id}/move/{target}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return page(client, f"/staff/acquisitions/proposals/{proposal_id}")


def fund_figures(app):
    with app.extensions["catalogue.db"].session() as session:
        budgets = BudgetService(session)
        fund = budgets.find(fiscal_year(utcnow().date(), 1), "job_search")
        figures = budgets.figures_of(fund)
        return figures.committed, figures.spent


@pytest.mark.demo  # the site's database starts as a copy of the demo (tests/support/demo_copy.py)
def test_a_labour_law_search_without_result_becomes_a_work_on_the_shelves(site):
    app, mail = site
    a = staff(app, "conseiller")

    # 1. In the observatory, the query found nothing: one click makes a draft.
    observatory = page(a, "/staff/observatory?days=30")
    link = re.search(r'href="(/staff/acquisitions/proposals/new\?query=[^"]+)"[^>]*>[^<]*</a></td></tr>',
                     observatory[observatory.index(QUERY):])
    assert link and unquote_plus(html.unescape(link.group(1)).split("query=")[1]) == QUERY
    draft = page(a, html.unescape(link.group(1)))
    assert f'value="{QUERY}"' in draft and 'id="draft"' in draft  # the query and its counts travel
    response = a.post("/staff/acquisitions/proposals/new", data={
        "csrf_token": TOKEN.search(draft).group(1), "title": "Le licenciement économique expliqué aux salariés",
        "authors": "Fabre, Hélène", "document_type": "book", "pole": "job_search", "audiences": ["employee"],
        "reason_code": "unmet_searches", "reason": "Demandé plusieurs fois par semaine.",
        "estimated_price": "24,50", "quantity": "2", "queries-0": QUERY})
    assert response.status_code == 302, response.get_data(as_text=True)
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[1])

    # 2. Counsellor B backs it: support is counted per pole.
    b = staff(app, "conseillere")
    shown = page(b, f"/staff/acquisitions/proposals/{proposal_id}")
    assert b.post(f"/staff/acquisitions/proposals/{proposal_id}/support",
                  data={"support-csrf_token": TOKEN.search(shown).group(1)}).status_code == 302
    shown = page(b, f"/staff/acquisitions/proposals/{proposal_id}")
    assert "2 personnes la soutiennent" in shown
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", shown[shown.index('id="support-by-pole"'):])
    assert dict(rows) == {"Trouver un emploi": "1", "Changer sa vie professionnelle": "1"}

    # 3. The librarian accepts it on A's pole fund: committed rises by the estimate.
    librarian, documentalist = staff(app, "bibliothecaire"), staff(app, "documentaliste")
    committed, spent = fund_figures(app)
    move(documentalist, proposal_id, "under_review")
    move(librarian, proposal_id, "accepted", comment="Demande récurrente au pôle emploi.")
    assert fund_figures(app) == (committed + Decimal("49.00"), spent)

    # 4. Ordered at 23.90 a copy, then both copies received.
    supplier = re.search(r'<option value="(\d+)">Librairie du Parcours</option>',
                         page(librarian, f"/staff/acquisitions/proposals/{proposal_id}")).group(1)
    move(librarian, proposal_id, "ordered", supplier_id=supplier, quantity="2", unit_price="23.90")
    assert fund_figures(app) == (committed + Decimal("47.80"), spent)
    shown = move(documentalist, proposal_id, "received", quantity="2")
    assert fund_figures(app) == (committed, spent + Decimal("47.80"))
    with app.extensions["catalogue.db"].session() as session:
        proposal = session.get(Proposal, proposal_id)
        record = session.get(Record, proposal.received_record_id)
        assert record.title == "Le licenciement économique expliqué aux salariés"
        assert [(i.status.value, str(i.price), i.acquired_on) for i in record.items] == [
            ("processing", "23.90", utcnow().date())] * 2
        told = session.scalars(select(Notification).where(Notification.user_id == proposal.proposed_by_id)
                               .order_by(Notification.id)).all()
        assert [n.params.get("count") for n in told][-1] == 2
    arrived = [m for m in mail.wait_for(4, timeout=15) if m.rcpt_tos == ("karim.conseiller@cdm.example",)]
    assert any("2" in m.body and "Le licenciement économique" in m.body and
               f"https://cdm.example/staff/acquisitions/proposals/{proposal_id}" in m.body for m in arrived)

    # 5. Shelved: visitors find it, available; the observatory's query is answered.
    def available() -> list[int]:
        answer = app.test_client().get(f"/api/v1/search?q={QUERY}&availability=available").get_json()
        return [hit["id"] for hit in answer["hits"]]

    assert record.id not in available()  # in processing until shelved
    move(documentalist, proposal_id, "catalogued")
    assert record.id in available()
    with app.extensions["catalogue.db"].session() as session:
        assert {i.status.value for i in session.scalars(select(Item).where(Item.record_id == record.id))} == {
            "available"}
    found = app.test_client().get(f"/api/v1/search?q={QUERY}").get_json()
    assert record.id in [hit["id"] for hit in found["hits"]]
    answered = page(a, "/staff/observatory?days=30")
    rows = [row.split("</tr>")[0] for row in answered.split(f"<tr><td>{QUERY}</td>")[1:]]
    today = [re.search(r'class="found-now">([^<]*)<', row).group(1) for row in rows if "found-now" in row]
    assert today and all("trouvé" in cell for cell in today), today
