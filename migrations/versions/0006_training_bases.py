"""training bases

Revision ID: 0006_training_bases
Revises: 0005_courses
Create Date: 2026-11-22 05:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006_training_bases'
down_revision = '0005_courses'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
