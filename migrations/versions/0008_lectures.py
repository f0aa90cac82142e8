"""lectures and other events

Revision ID: 0008_lectures
Revises: 0007_competitions
Create Date: 2026-11-22 05:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0008_lectures'
down_revision = '0007_competitions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
