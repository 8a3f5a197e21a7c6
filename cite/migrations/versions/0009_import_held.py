"""held imports: an update from another source that would change a work's
title or main author waits for review; runs count them (held)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:10:00.000000
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Integer(), server_default='0', nullable=False))

    op.create_table('import_held',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('record_version', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('old_title', sa.String(length=500), nullable=False),
    sa.Column('new_title', sa.String(length=500), nullable=False),
    sa.Column('old_author', sa.String(length=255), nullable=True),
    sa.Column('new_author', sa.String(length=255), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('raw_marc', sa.LargeBinary(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                            name=op.f('fk_import_held_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'],
                            name=op.f('fk_import_held_record_id_records'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'],
                            name=op.f('fk_import_held_run_id_import_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_held'))
    )
    with op.batch_alter_table('import_held', schema=None) as batch_op:
        batch_op.create_index('ix_import_held_run_state', ['run_id', 'state', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_held_record_id'), ['record_id'], unique=False)


def downgrade() -> None:
    """Held updates go with their table: those still waiting were never applied,
    so their works stay as they are. A run that held some counts them as
    rejected, so that its read still adds up."""
    op.execute("UPDATE import_runs SET rejected = rejected + held WHERE held > 0")
    with op.batch_alter_table('import_held', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_held_record_id'))
        batch_op.drop_index('ix_import_held_run_state')

    op.drop_table('import_held')
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_column('held')
