"""joint courses

Revision ID: 0005_courses
Revises: 0004_internships
Create Date: 2026-11-22 05:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0005_courses'
down_revision = '0004_internships'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
