"""recommendations: index on internships.updated_at (the posting index's freshness key)

Revision ID: 0009_recommendations
Revises: 0008_lectures
Create Date: 2026-11-25 01:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_recommendations'
down_revision = '0008_lectures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_internships_updated_at', 'internships', ['updated_at'], unique=False)


def downgrade():
    op.drop_index('ix_internships_updated_at', table_name='internships')
