"""competitions

Revision ID: 0007_competitions
Revises: 0006_training_bases
Create Date: 2026-11-22 05:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0007_competitions'
down_revision = '0006_training_bases'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
