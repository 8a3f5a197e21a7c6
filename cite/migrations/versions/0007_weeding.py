"""weeding: rules, campaigns with their candidates, votes and events; withdrawn copies'
date, reason and disposal; monthly use tallies; named reports and their runs

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 11:46:03.524926
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report', sa.String(length=50), nullable=False),
    sa.Column('started_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('finished_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('mailed_to', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_runs'))
    )
    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_runs_report'), ['report'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_runs_started_at'), ['started_at'], unique=False)

    op.create_table('report_schedules',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('cron', sa.String(length=100), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_report_schedules'))
    )
    op.create_table('use_tallies',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'dimension', 'value', name=op.f('pk_use_tallies'))
    )
    op.create_table('weeding_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=True),
    sa.Column('document_type', sa.Enum('book', 'periodical', 'audiovisual', 'cd_dvd', 'website', 'job_sheet', 'diploma_framework', 'other', name='documenttype', native_enum=False, length=32), nullable=True),
    sa.Column('pole', sa.Enum('orientation', 'pathway', 'job_search', 'career_change', 'business_creation', name='pole', native_enum=False, length=32), nullable=True),
    sa.Column('call_number_prefix', sa.String(length=100), nullable=True),
    sa.Column('concept_id', sa.Integer(), nullable=True),
    sa.Column('max_age_years', sa.Integer(), nullable=True),
    sa.Column('max_unused_years', sa.Integer(), nullable=True),
    sa.Column('low_use_min', sa.Integer(), nullable=True),
    sa.Column('low_use_years', sa.Integer(), nullable=True),
    sa.Column('superseded', sa.Boolean(), nullable=False),
    sa.Column('periodical_keep_years', sa.Integer(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], name=op.f('fk_weeding_rules_concept_id_concepts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_weeding_rules_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_rules'))
    )
    # The weeding tables of the first schema were never written to: they give way to the review's.
    op.drop_table('weeding_events')
    op.drop_table('weeding_decisions')
    op.drop_table('weeding_campaigns')
    op.create_table('weeding_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('rule_ids', sa.JSON(), nullable=False),
    sa.Column('poles', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='campaignstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('profile_before', sa.JSON(), nullable=False),
    sa.Column('profile_after', sa.JSON(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_weeding_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_weeding_campaigns_closed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_campaigns'))
    )
    op.create_table('weeding_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Enum('rules', 'manual', name='source', native_enum=False, length=10), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('excluded_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('exclusion_reason', sa.String(length=500), nullable=True),
    sa.Column('decision', sa.Enum('keep', 'withdraw', 'replace', 'transfer', 'repair', name='verdict', native_enum=False, length=20), nullable=True),
    sa.Column('disposal', sa.Enum('sale', 'donation', 'pulping', name='disposal', native_enum=False, length=32), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('last_vote_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['weeding_campaigns.id'], name=op.f('fk_weeding_candidates_campaign_id_weeding_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_weeding_candidates_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_weeding_candidates_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_weeding_candidates_proposal_id_proposals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rule_id'], ['weeding_rules.id'], name=op.f('fk_weeding_candidates_rule_id_weeding_rules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_candidates')),
    sa.UniqueConstraint('campaign_id', 'item_id', name='uq_weeding_candidates_campaign_item')
    )
    with op.batch_alter_table('weeding_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weeding_candidates_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_weeding_candidates_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_weeding_candidates_record_id'), ['record_id'], unique=False)

    op.create_table('weeding_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pole', sa.String(length=30), nullable=True),
    sa.Column('vote', sa.Enum('keep', 'withdraw', 'replace', 'transfer', 'repair', name='verdict', native_enum=False, length=20), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['weeding_candidates.id'], name=op.f('fk_weeding_votes_candidate_id_weeding_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_weeding_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_votes')),
    sa.UniqueConstraint('candidate_id', 'user_id', name='uq_weeding_votes_candidate_user')
    )
    with op.batch_alter_table('weeding_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weeding_votes_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_weeding_votes_user_id'), ['user_id'], unique=False)

    op.create_table('weeding_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['weeding_candidates.id'], name=op.f('fk_weeding_events_candidate_id_weeding_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_weeding_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_events'))
    )
    with op.batch_alter_table('weeding_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weeding_events_candidate_id'), ['candidate_id'], unique=False)

    with op.batch_alter_table('item_uses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tallied', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_item_uses_item_id_used_at', ['item_id', 'used_at'], unique=False)
        batch_op.create_index('ix_item_uses_untallied', ['id'], unique=False, sqlite_where=sa.text('tallied = 0'), postgresql_where=sa.text('tallied = false'))

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('disposal', sa.Enum('sale', 'donation', 'pulping', name='disposal', native_enum=False, length=32), nullable=True))

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_item_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_proposals_replaces_item_id_items'), 'items', ['replaces_item_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    """Back to 0006: the campaigns, votes, rules, tallies and report runs are
    dropped (the first schema's weeding tables come back empty, as they were);
    withdrawn copies lose their date, reason and disposal but stay withdrawn."""
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_replaces_item_id_items'), type_='foreignkey')
        batch_op.drop_column('replaces_item_id')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('disposal')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')
    with op.batch_alter_table('item_uses', schema=None) as batch_op:
        batch_op.drop_index('ix_item_uses_untallied', sqlite_where=sa.text('tallied = 0'),
                            postgresql_where=sa.text('tallied = false'))
        batch_op.drop_index('ix_item_uses_item_id_used_at')
        batch_op.drop_column('tallied')
    for table in ('weeding_events', 'weeding_votes', 'weeding_candidates', 'weeding_campaigns', 'weeding_rules',
                  'use_tallies', 'report_schedules', 'report_runs'):
        op.drop_table(table)
    op.create_table('weeding_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('closed_at', core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_weeding_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_campaigns'))
    )
    op.create_table('weeding_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['weeding_campaigns.id'], name=op.f('fk_weeding_decisions_campaign_id_weeding_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_weeding_decisions_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_decisions')),
    sa.UniqueConstraint('campaign_id', 'item_id', name='uq_weeding_decisions_campaign_item')
    )
    with op.batch_alter_table('weeding_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weeding_decisions_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_weeding_decisions_item_id'), ['item_id'], unique=False)
    op.create_table('weeding_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('from_decision', sa.String(length=20), nullable=True),
    sa.Column('to_decision', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_weeding_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['weeding_decisions.id'], name=op.f('fk_weeding_events_decision_id_weeding_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weeding_events'))
    )
    with op.batch_alter_table('weeding_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weeding_events_decision_id'), ['decision_id'], unique=False)
