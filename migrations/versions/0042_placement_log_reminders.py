"""weekly log reminders told, one row per placement, week and step (the beat's set-based
dedupe), filled from the reminders the outbox already holds

Revision ID: 0042_placement_log_reminders
Revises: 0041_calendar_privacy
Create Date: 2026-12-05 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0042_placement_log_reminders'
down_revision = '0041_calendar_privacy'
branch_labels = None
depends_on = None

# The reminders recorded before this table (deduplicated by their outbox key until now) are
# not told again: each becomes its row here.
STEPS = "CASE e.event_type WHEN 'placement.log_missing' THEN 'reminder' ELSE 'overdue' END"
BACKFILL = {
    'postgresql': (
        "INSERT INTO placement_log_reminders (placement_id, week, step, created_at) "
        "SELECT p.id, CAST(e.payload->>'week' AS date), " + STEPS + ", e.created_at "
        "FROM outbox_events e JOIN placements p "
        "ON p.id = CAST(e.payload->>'placement_id' AS integer) "
        "WHERE e.event_type IN ('placement.log_missing', 'placement.log_overdue') "
        "ON CONFLICT DO NOTHING"
    ),
    'sqlite': (
        "INSERT INTO placement_log_reminders (placement_id, week, step, created_at) "
        "SELECT p.id, json_extract(e.payload, '$.week'), " + STEPS + ", e.created_at "
        "FROM outbox_events e JOIN placements p "
        "ON p.id = CAST(json_extract(e.payload, '$.placement_id') AS integer) "
        "WHERE e.event_type IN ('placement.log_missing', 'placement.log_overdue') "
        "ON CONFLICT DO NOTHING"
    ),
}


def upgrade():
    op.create_table('placement_log_reminders',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_log_reminders_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('placement_id', 'week', 'step', name=op.f('pk_placement_log_reminders'))
    )
    backfill = BACKFILL.get(op.get_bind().dialect.name)
    if backfill:
        op.execute(backfill)


def downgrade():
    op.drop_table('placement_log_reminders')
