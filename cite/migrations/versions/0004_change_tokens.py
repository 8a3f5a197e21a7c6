"""change tokens: triggers give the concepts' names a new token on every
write, so caches of lookups by name (search) know when they are stale

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# What a lookup by name reads: the labels, and what the concept found is
# called, whether it is deprecated and what replaces it. Only these: each
# trigger firing costs SQLite some microseconds per row, and a SKOS import
# writes tens of thousands of notes and relations no lookup reads.
WATCHED = {
    "concept_labels": None,  # any column
    "concepts": ("id", "uri", "pref_label_fr", "status", "replaced_by_id"),
}
TOKEN = "concept_names"
_RANDOM = "lower(hex(randomblob(16)))"
_PG_RANDOM = "md5(random()::text || clock_timestamp()::text)"


def upgrade() -> None:
    op.create_table('change_tokens',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_change_tokens'))
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute(f"INSERT INTO change_tokens (name, token) VALUES ('{TOKEN}', {_RANDOM if sqlite else _PG_RANDOM})")
    if sqlite:
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _events(columns) -> list[tuple[str, str]]:
    """(trigger name suffix, event clause)."""
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return [("insert", "INSERT"), ("update", update), ("delete", "DELETE")]


def _sqlite_triggers() -> None:
    # SQLite triggers are per row; writers are serialised by the database
    # lock, so replacing one row per written row never waits.
    for table, columns in WATCHED.items():
        for suffix, event in _events(columns):
            op.execute(
                f"CREATE TRIGGER {table}_{suffix}_token AFTER {event} ON {table} BEGIN "
                f"INSERT OR REPLACE INTO change_tokens (name, token) VALUES ('{TOKEN}', {_RANDOM}); "
                "END")


def _postgresql_triggers() -> None:
    # Per statement, and BEFORE it: the token row is locked until commit, so
    # two writers queue up before either touches a concept, rather than each
    # holding rows the other wants (a deadlock).
    op.execute(
        "CREATE FUNCTION concept_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO change_tokens (name, token) VALUES ('{TOKEN}', {_PG_RANDOM}) "
        "ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token; "
        "RETURN NULL; END $$")
    for table, columns in WATCHED.items():
        events = " OR ".join(event for _suffix, event in _events(columns))
        op.execute(f"CREATE TRIGGER {table}_token BEFORE {events} ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION concept_names_changed()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in WATCHED.items():
            for suffix, _event in _events(columns):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}_token")
    else:
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_token ON {table}")
        op.execute("DROP FUNCTION IF EXISTS concept_names_changed()")
    op.drop_table('change_tokens')
