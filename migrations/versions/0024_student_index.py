"""recommended students: student_profiles.updated_at and organizations.updated_at indexed, the versions of the in-process index of students

Revision ID: 0024_student_index
Revises: 0023_search_bigrams
Create Date: 2026-12-05 02:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_student_index'
down_revision = '0023_search_bigrams'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_student_profiles_updated_at', ['updated_at'], unique=False)
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index('ix_organizations_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index('ix_organizations_updated_at')
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_student_profiles_updated_at')
