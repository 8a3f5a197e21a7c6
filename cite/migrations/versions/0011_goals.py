"""goals: visitors' goals ("je suis… / je veux…") as saved searches, their
concepts, their anonymous daily entry counts, and the reports of a gap
("signaler ce manque") counted with the queries

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 20:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('label_fr', sa.String(length=255), nullable=False),
    sa.Column('label_en', sa.String(length=255), nullable=True),
    sa.Column('publics', sa.JSON(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=True),
    sa.Column('document_types', sa.JSON(), nullable=False),
    sa.Column('audiences', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_goals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_goals_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals')),
    sa.UniqueConstraint('slug', name=op.f('uq_goals_slug'))
    )
    op.create_table('goal_concepts',
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], name=op.f('fk_goal_concepts_concept_id_concepts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_concepts_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('goal_id', 'concept_id', name=op.f('pk_goal_concepts'))
    )
    with op.batch_alter_table('goal_concepts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_concepts_concept_id'), ['concept_id'], unique=False)
    op.create_table('goal_entry_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('portal', sa.String(length=100), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_entry_days_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'portal', 'goal_id', name=op.f('pk_goal_entry_days'))
    )
    with op.batch_alter_table('goal_entry_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_entry_days_goal_id'), ['goal_id'], unique=False)
    # A plain ADD COLUMN on both databases: no table rebuild on SQLite, whatever query_counts holds.
    op.add_column('query_counts', sa.Column('reports', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('query_counts', schema=None) as batch_op:
        batch_op.drop_column('reports')
    with op.batch_alter_table('goal_entry_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_entry_days_goal_id'))
    op.drop_table('goal_entry_days')
    with op.batch_alter_table('goal_concepts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_concepts_concept_id'))
    op.drop_table('goal_concepts')
    op.drop_table('goals')
