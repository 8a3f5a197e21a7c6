"""The ``catalogue`` command, run against the test database."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from accounts.models import User
from catalogue.models import Item, Record
from cite.cli import main


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), env=env, input=input, catch_exceptions=False)
    return invoke


def test_init_is_idempotent(run):
    result = run("init")
    assert result.exit_code == 0
    assert "already up to date" in result.output


def test_init_creates_the_schema_on_an_empty_sqlite_database(tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_INSTANCE_DIR": str(tmp_path / "fresh"), "CATALOGUE_LOG_LEVEL": "WARNING",
           "CATALOGUE_DEFAULT_LOCALE": "en"}  # the command line speaks this language; the words checked are English
    result = runner.invoke(main, ["init"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "upgraded from empty" in result.output
    assert (tmp_path / "fresh" / "catalogue.db").exists()
    assert (tmp_path / "fresh" / "secret_key").exists()


def test_commands_refuse_an_uninitialised_database(tmp_path):
    result = CliRunner().invoke(main, ["users", "list"],
                                env={"CATALOGUE_INSTANCE_DIR": str(tmp_path / "empty")})
    assert result.exit_code == 1
    assert "catalogue init" in result.output


def test_demo_loads_about_220_works_with_items_poles_and_audiences_and_is_idempotent(run, db):
    first = run("demo")
    assert first.exit_code == 0, first.output
    assert "cite-demo-2026" in first.output
    with db.session() as session:
        records = session.scalars(select(Record)).all()
        assert 210 <= len(records) <= 240  # with the acquisitions story's few
        assert all(r.items and r.poles and r.audiences for r in records)
        types = {r.document_type.value for r in records}
        assert {"job_sheet", "periodical", "website", "book"} <= types
        items = session.scalar(select(func.count()).select_from(Item))
        assert session.scalar(select(func.count()).select_from(User)) == 7  # one per role, and three more counsellors
    second = run("demo")
    assert second.exit_code == 0
    assert "0 works created, " in second.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Item)) == items


def test_users_lifecycle(run, db):
    assert run("users", "add", "marie", "--role", "documentalist", "--name", "Marie D.",
               "--password-stdin", input="a long enough password\n").exit_code == 0
    listing = run("users", "list").output
    assert "marie" in listing and "documentalist" in listing

    result = run("users", "set-role", "marie", "counsellor")
    assert result.exit_code == 2
    assert "pole" in result.output
    assert run("users", "set-role", "marie", "counsellor", "--pole", "orientation").exit_code == 0

    generated = run("users", "reset-password", "marie", "--generate")
    assert generated.exit_code == 0
    new_password = generated.output.strip().rsplit(" ", 1)[-1]
    from accounts.services import AccountService
    with db.transaction() as session:
        assert AccountService(session).authenticate("marie", new_password) is not None
        stored = AccountService(session).by_username("marie").password_hash
    assert stored.startswith("$argon2") and new_password not in stored

    token = run("users", "token", "marie", "--name", "nightly report").output.strip()
    assert token.startswith("cdm_")
    assert run("users", "revoke-token", token[:12]).exit_code == 0
    assert run("users", "disable", "marie").exit_code == 0
    assert "[disabled]" in run("users", "list").output
    assert run("users", "enable", "marie").exit_code == 0


def test_users_add_reports_bad_input_clearly(run):
    short = run("users", "add", "paul", "--role", "librarian", "--password-stdin", input="short\n")
    assert short.exit_code == 2
    assert "10 characters" in short.output
    assert run("users", "add", "paul", "--role", "librarian", "--password-stdin",
               input="long enough password\n").exit_code == 0
    again = run("users", "add", "paul", "--role", "librarian", "--password-stdin", input="long enough password\n")
    assert again.exit_code == 1
    assert "already taken" in again.output
    assert run("users", "set-role", "nobody", "librarian").exit_code == 1
