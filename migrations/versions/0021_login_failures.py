"""login throttling in the database: failed logins, and the addresses users log in from

Revision ID: 0021_login_failures
Revises: 0020_match_round_cancel
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_login_failures'
down_revision = '0020_match_round_cancel'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_account_created', ['account', 'created_at'], unique=False)
        batch_op.create_index('ix_login_failures_address_created', ['address', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_created_at'), ['created_at'], unique=False)

    op.create_table('login_addresses',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_addresses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'address', name=op.f('pk_login_addresses'))
    )


def downgrade():
    op.drop_table('login_addresses')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_created_at'))
        batch_op.drop_index('ix_login_failures_address_created')
        batch_op.drop_index('ix_login_failures_account_created')

    op.drop_table('login_failures')
