"""government roles: which government body gave a coordinator the role; partnerships whose
health was never computed found through a partial index

Revision ID: 0037_government_roles
Revises: 0036_indicators_reports
Create Date: 2026-12-05 07:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0037_government_roles'
down_revision = '0036_indicators_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coordinator_grants',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_coordinator_grants_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_coordinator_grants_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coordinator_grants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_coordinator_grants'))
    )
    op.create_index(op.f('ix_coordinator_grants_organization_id'), 'coordinator_grants', ['organization_id'], unique=False)
    op.create_index('ix_partnerships_unchecked', 'partnerships', ['id'], unique=False, postgresql_where=sa.text('health_checked_at IS NULL'), sqlite_where=sa.text('health_checked_at IS NULL'))


def downgrade():
    op.drop_index('ix_partnerships_unchecked', table_name='partnerships', postgresql_where=sa.text('health_checked_at IS NULL'), sqlite_where=sa.text('health_checked_at IS NULL'))
    op.drop_index(op.f('ix_coordinator_grants_organization_id'), table_name='coordinator_grants')
    op.drop_table('coordinator_grants')
