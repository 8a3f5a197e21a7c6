"""The concepts' names' change token (thesaurus.models.ChangeToken).

Database triggers (migration 0004) give it a new value on every write to
concept labels, and to a concept's URI, French preferred label, status or
replacement, whichever code path writes them: a service, a SKOS import,
plain SQL. Caches of lookups by name key their entries by it: the search
service keeps the concepts each query names, in each server process.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from thesaurus.models import ChangeToken

NAMES = "concept_names"
_TOKEN = select(ChangeToken.token).where(ChangeToken.name == NAMES)
_TOKEN_SQL = f"SELECT token FROM change_tokens WHERE name = '{NAMES}'"


def names_token(session: Session) -> str | None:
    """The token as ``session`` sees it, or None when there is none (the
    table emptied by hand): then nothing may be cached.

    Read it before the names themselves: what is read afterwards is then at
    least as new as the token, so a cached entry may be newer than its key,
    never older, and a stale entry can never be found again."""
    if session.in_transaction():
        return session.scalar(_TOKEN)
    # The session has read nothing yet, so all it reads comes later: a bare
    # pooled connection answers at a tenth of what a session's transaction costs.
    connection = session.get_bind().raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(_TOKEN_SQL)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()
    return row[0] if row else None
