"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('concept_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concept_schemes')),
    sa.UniqueConstraint('uri', name=op.f('uq_concept_schemes_uri'))
    )
    op.create_table('harvest_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('metadata_prefix', sa.String(length=50), nullable=False),
    sa.Column('set_spec', sa.String(length=200), nullable=True),
    sa.Column('last_datestamp', sa.String(length=32), nullable=True),
    sa.Column('last_run_at', core.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_harvest_states'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('documentalist', 'counsellor', 'librarian', 'administrator', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('pole', sa.Enum('orientation', 'pathway', 'job_search', 'career_change', 'business_creation', name='pole', native_enum=False, length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('password_changed_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', core.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=500), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_events_entity', ['entity_type', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_record_id'), ['record_id'], unique=False)

    op.create_table('concepts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=True),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('notation', sa.String(length=100), nullable=True),
    sa.Column('pref_label_fr', sa.String(length=500), nullable=False),
    sa.Column('pref_label_en', sa.String(length=500), nullable=True),
    sa.Column('scope_note', sa.Text(), nullable=True),
    sa.Column('deprecated', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['concept_schemes.id'], name=op.f('fk_concepts_scheme_id_concept_schemes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concepts')),
    sa.UniqueConstraint('uri', name=op.f('uq_concepts_uri'))
    )
    with op.batch_alter_table('concepts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concepts_pref_label_fr'), ['pref_label_fr'], unique=False)

    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('location', sa.String(length=2000), nullable=True),
    sa.Column('syntax', sa.String(length=20), nullable=True),
    sa.Column('flavour', sa.String(length=20), nullable=True),
    sa.Column('encoding', sa.String(length=20), nullable=True),
    sa.Column('rejects_file', sa.String(length=2000), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('started_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('finished_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('read', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_import_runs_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    op.create_table('record_deletions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('source_id', sa.String(length=255), nullable=True),
    sa.Column('deleted_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_record_deletions_deleted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_deletions')),
    sa.UniqueConstraint('record_id', name=op.f('uq_record_deletions_record_id'))
    )
    with op.batch_alter_table('record_deletions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_deletions_deleted_at'), ['deleted_at'], unique=False)

    op.create_table('records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('subtitle', sa.String(length=500), nullable=True),
    sa.Column('responsibility', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=255), nullable=True),
    sa.Column('place', sa.String(length=255), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('edition', sa.String(length=255), nullable=True),
    sa.Column('series', sa.String(length=255), nullable=True),
    sa.Column('isbn', sa.String(length=13), nullable=True),
    sa.Column('issn', sa.String(length=9), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('document_type', sa.Enum('book', 'periodical', 'audiovisual', 'cd_dvd', 'website', 'job_sheet', 'diploma_framework', 'other', name='documenttype', native_enum=False, length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('local_notes', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('call_number', sa.String(length=100), nullable=True),
    sa.Column('frequency', sa.String(length=100), nullable=True),
    sa.Column('subscription_status', sa.Enum('active', 'ended', name='subscriptionstatus', native_enum=False, length=32), nullable=True),
    sa.Column('holdings_statement', sa.Text(), nullable=True),
    sa.Column('origin', sa.Enum('local', 'main_library', name='origin', native_enum=False, length=32), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('source_id', sa.String(length=255), nullable=True),
    sa.Column('marc_flavour', sa.String(length=16), nullable=True),
    sa.Column('match_key', sa.String(length=255), nullable=True),
    sa.Column('raw_marc', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_records_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_records_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_records')),
    sa.UniqueConstraint('source', 'source_id', name='uq_records_source_source_id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index('ix_records_updated_at', ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_isbn'), ['isbn'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_issn'), ['issn'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_match_key'), ['match_key'], unique=False)
        batch_op.create_index('ix_records_title', ['title'], unique=False)

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
    op.create_table('concept_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], name=op.f('fk_concept_labels_concept_id_concepts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concept_labels'))
    )
    with op.batch_alter_table('concept_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concept_labels_concept_id'), ['concept_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concept_labels_text'), ['text'], unique=False)

    op.create_table('concept_relations',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['concepts.id'], name=op.f('fk_concept_relations_source_id_concepts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['concepts.id'], name=op.f('fk_concept_relations_target_id_concepts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'kind', 'target_id', name=op.f('pk_concept_relations'))
    )
    op.create_table('contributors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('aut', 'edt', 'ctb', 'ill', 'trl', 'drt', name='contributorrole', native_enum=False, length=8), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_contributors_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributors'))
    )
    with op.batch_alter_table('contributors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributors_record_id'), ['record_id'], unique=False)

    op.create_table('import_rejects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], name=op.f('fk_import_rejects_run_id_import_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_rejects'))
    )
    with op.batch_alter_table('import_rejects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_rejects_run_id'), ['run_id'], unique=False)

    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=False),
    sa.Column('library', sa.Enum('cite', 'main', name='library', native_enum=False, length=32), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('call_number', sa.String(length=100), nullable=True),
    sa.Column('status', sa.Enum('available', 'processing', 'on_display', 'missing', 'withdrawn', name='itemstatus', native_enum=False, length=32), nullable=False),
    sa.Column('acquired_on', sa.Date(), nullable=True),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('condition', sa.Enum('new', 'good', 'worn', 'damaged', name='condition', native_enum=False, length=32), nullable=True),
    sa.Column('public_note', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('use_count', sa.Integer(), nullable=False),
    sa.Column('last_used_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_items_record_id_records'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_items_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('barcode', name=op.f('uq_items_barcode'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_last_used_at'), ['last_used_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_status'), ['status'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('authors', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=255), nullable=True),
    sa.Column('isbn', sa.String(length=13), nullable=True),
    sa.Column('pole', sa.Enum('orientation', 'pathway', 'job_search', 'career_change', 'business_creation', name='pole', native_enum=False, length=32), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('estimated_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_proposals_proposed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_proposals_record_id_records'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_status'), ['status'], unique=False)

    op.create_table('record_audiences',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('pupil', 'student', 'parent', 'young_entrant', 'job_seeker', 'employee', 'business_creator', name='audience', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_record_audiences_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'audience', name=op.f('pk_record_audiences'))
    )
    op.create_table('record_descriptors',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('added_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_record_descriptors_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], name=op.f('fk_record_descriptors_concept_id_concepts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_record_descriptors_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'concept_id', name=op.f('pk_record_descriptors'))
    )
    op.create_table('record_poles',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('pole', sa.Enum('orientation', 'pathway', 'job_search', 'career_change', 'business_creation', name='pole', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_record_poles_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'pole', name=op.f('pk_record_poles'))
    )
    op.create_table('record_subjects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=500), nullable=False),
    sa.Column('vocabulary', sa.String(length=50), nullable=True),
    sa.Column('tag', sa.String(length=3), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_record_subjects_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_subjects'))
    )
    with op.batch_alter_table('record_subjects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_subjects_record_id'), ['record_id'], unique=False)

    op.create_table('item_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('used_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_uses_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_item_uses_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_uses'))
    )
    with op.batch_alter_table('item_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_uses_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_uses_used_at'), ['used_at'], unique=False)

    op.create_table('proposal_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_proposal_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_events_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_events'))
    )
    with op.batch_alter_table('proposal_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_events_proposal_id'), ['proposal_id'], unique=False)

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



def downgrade() -> None:
    with op.batch_alter_table('weeding_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weeding_events_decision_id'))

    op.drop_table('weeding_events')
    with op.batch_alter_table('weeding_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weeding_decisions_item_id'))
        batch_op.drop_index(batch_op.f('ix_weeding_decisions_campaign_id'))

    op.drop_table('weeding_decisions')
    with op.batch_alter_table('proposal_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_events_proposal_id'))

    op.drop_table('proposal_events')
    with op.batch_alter_table('item_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_uses_used_at'))
        batch_op.drop_index(batch_op.f('ix_item_uses_item_id'))

    op.drop_table('item_uses')
    with op.batch_alter_table('record_subjects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_subjects_record_id'))

    op.drop_table('record_subjects')
    op.drop_table('record_poles')
    op.drop_table('record_descriptors')
    op.drop_table('record_audiences')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_status'))

    op.drop_table('proposals')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_status'))
        batch_op.drop_index(batch_op.f('ix_items_record_id'))
        batch_op.drop_index(batch_op.f('ix_items_last_used_at'))

    op.drop_table('items')
    with op.batch_alter_table('import_rejects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_rejects_run_id'))

    op.drop_table('import_rejects')
    with op.batch_alter_table('contributors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributors_record_id'))

    op.drop_table('contributors')
    op.drop_table('concept_relations')
    with op.batch_alter_table('concept_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concept_labels_text'))
        batch_op.drop_index(batch_op.f('ix_concept_labels_concept_id'))

    op.drop_table('concept_labels')
    op.drop_table('weeding_campaigns')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_title')
        batch_op.drop_index('ix_records_updated_at')
        batch_op.drop_index(batch_op.f('ix_records_match_key'))
        batch_op.drop_index(batch_op.f('ix_records_issn'))
        batch_op.drop_index(batch_op.f('ix_records_isbn'))

    op.drop_table('records')
    with op.batch_alter_table('record_deletions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_deletions_deleted_at'))

    op.drop_table('record_deletions')
    op.drop_table('import_runs')
    with op.batch_alter_table('concepts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concepts_pref_label_fr'))

    op.drop_table('concepts')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_record_id'))
        batch_op.drop_index('ix_audit_events_entity')
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    op.drop_table('harvest_states')
    op.drop_table('concept_schemes')
