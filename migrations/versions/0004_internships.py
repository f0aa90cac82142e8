"""students, internships, applications

Revision ID: 0004_internships
Revises: 0003_notifications
Create Date: 2026-11-22 05:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0004_internships'
down_revision = '0003_notifications'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
