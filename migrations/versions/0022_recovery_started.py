"""recovery within minutes: probes the sweep sends through the task queue

Revision ID: 0022_recovery_started
Revises: 0021_login_failures
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_recovery_started'
down_revision = '0021_login_failures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_queue_probes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_queue_probes'))
    )
    with op.batch_alter_table('task_queue_probes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_queue_probes_taken_at'), ['taken_at'], unique=False)


def downgrade():
    with op.batch_alter_table('task_queue_probes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_queue_probes_taken_at'))

    op.drop_table('task_queue_probes')
