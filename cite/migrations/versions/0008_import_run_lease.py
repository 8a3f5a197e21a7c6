"""import run lease: the host, process and last sign of life of a run, so that a
run whose process was killed shows as interrupted

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:27:23.336916
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', core.db.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('pid')
        batch_op.drop_column('host')

