"""internships: a narrow index of the filter columns and sort keys: filtered totals and the
matches of narrow filters are read from it alone

Revision ID: 0012_internship_filters
Revises: 0011_courses
Create Date: 2026-11-25 02:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_internship_filters'
down_revision = '0011_courses'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_internships_filters', 'internships',
        ['status', 'category', 'district', 'mode', 'enterprise_id', 'id', 'published_at',
         'apply_by'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_internships_filters', table_name='internships')
