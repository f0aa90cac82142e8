"""match rounds: a coordinator may cancel a round before publication

Revision ID: 0020_match_round_cancel
Revises: 0019_match_round_followups
Create Date: 2026-12-01 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_match_round_cancel'
down_revision = '0019_match_round_followups'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('match_rounds', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
