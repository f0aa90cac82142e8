"""placement records: check-ins, leave, compliance alerts, weekly logs and reviews, incidents

Revision ID: 0027_placement_records
Revises: 0026_placements
Create Date: 2026-12-05 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_placement_records'
down_revision = '0026_placements'
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('placement_check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('checked_in_at', _TS, nullable=False),
    sa.Column('checked_out_at', _TS, nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('distance_m', sa.Integer(), nullable=True),
    sa.Column('corrected_by_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('corrected_at', _TS, nullable=True),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_check_ins_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id'], name=op.f('fk_placement_check_ins_corrected_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_check_ins')),
    sa.UniqueConstraint('placement_id', 'day', name='uq_check_ins_day')
    )
    op.create_index('ix_check_ins_day', 'placement_check_ins', ['day'], unique=False)

    op.create_table('placement_leaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('school_decision', sa.String(length=20), nullable=True),
    sa.Column('enterprise_decision', sa.String(length=20), nullable=True),
    sa.Column('created_at', _TS, nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_leaves_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_leaves'))
    )
    op.create_index(op.f('ix_placement_leaves_placement_id'), 'placement_leaves', ['placement_id'], unique=False)

    op.create_table('placement_compliance_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', _TS, nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_compliance_alerts_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_compliance_alerts')),
    sa.UniqueConstraint('placement_id', 'kind', 'period', name='uq_compliance_alerts_breach')
    )
    op.create_index('ix_compliance_alerts_kind', 'placement_compliance_alerts', ['kind'], unique=False)

    op.create_table('placement_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('competencies', sa.JSON(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('created_at', _TS, nullable=False),
    sa.CheckConstraint('hours >= 0 AND hours <= 168', name=op.f('ck_placement_logs_hours')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_logs_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_logs')),
    sa.UniqueConstraint('placement_id', 'week', name='uq_logs_week')
    )

    op.create_table('placement_log_reviews',
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', _TS, nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_placement_log_reviews_score')),
    sa.ForeignKeyConstraint(['log_id'], ['placement_logs.id'], name=op.f('fk_placement_log_reviews_log_id_placement_logs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_placement_log_reviews_reviewer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('log_id', 'role', name=op.f('pk_placement_log_reviews'))
    )

    op.create_table('placement_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reporter_party', sa.String(length=20), nullable=False),
    sa.Column('suspended_placement', sa.Boolean(), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', _TS, nullable=True),
    sa.Column('created_at', _TS, nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_incidents_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_placement_incidents_reported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_placement_incidents_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_incidents'))
    )
    op.create_index('ix_incidents_placement_open', 'placement_incidents', ['placement_id', 'resolved_at'], unique=False)
    op.create_index('ix_incidents_open_severity', 'placement_incidents', ['resolved_at', 'severity'], unique=False)


def downgrade():
    op.drop_index('ix_incidents_open_severity', table_name='placement_incidents')
    op.drop_index('ix_incidents_placement_open', table_name='placement_incidents')
    op.drop_table('placement_incidents')
    op.drop_table('placement_log_reviews')
    op.drop_table('placement_logs')
    op.drop_index('ix_compliance_alerts_kind', table_name='placement_compliance_alerts')
    op.drop_table('placement_compliance_alerts')
    op.drop_index(op.f('ix_placement_leaves_placement_id'), table_name='placement_leaves')
    op.drop_table('placement_leaves')
    op.drop_index('ix_check_ins_day', table_name='placement_check_ins')
    op.drop_table('placement_check_ins')
