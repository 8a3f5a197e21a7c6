"""thesaurus unmodelled triples: what an imported SKOS file said beyond the
model (licence, dates, iso-thes groups, skosxl labels...), written back on
export; a concept's row also marks it as imported

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 16:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('thesaurus_unmodelled',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=True),
    sa.Column('collection_id', sa.Integer(), nullable=True),
    sa.Column('scheme_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('kept', sa.Text(), nullable=False),
    sa.Column('unstated', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['concept_collections.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['concept_schemes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('thesaurus_unmodelled', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thesaurus_unmodelled_collection_id'), ['collection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thesaurus_unmodelled_concept_id'), ['concept_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thesaurus_unmodelled_scheme_id'), ['scheme_id'], unique=False)


def downgrade() -> None:
    # Exports made after the downgrade lose what these rows kept, as before 0010.
    with op.batch_alter_table('thesaurus_unmodelled', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thesaurus_unmodelled_scheme_id'))
        batch_op.drop_index(batch_op.f('ix_thesaurus_unmodelled_concept_id'))
        batch_op.drop_index(batch_op.f('ix_thesaurus_unmodelled_collection_id'))
    op.drop_table('thesaurus_unmodelled')
