"""match round follow-ups: why a matched student got no offer at publication

Revision ID: 0019_match_round_followups
Revises: 0018_delivery_recovery
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_match_round_followups'
down_revision = '0018_delivery_recovery'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('no_offer', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('match_assignments', schema=None) as batch_op:
        batch_op.drop_column('no_offer')
