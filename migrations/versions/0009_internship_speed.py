"""internship list and recommendations at alliance scale

One lower-cased search column with one trigram index for `q` (replacing the two on title and
description), and an index on updated_at, the recommendation index's freshness key.

Revision ID: 0009_internship_speed
Revises: 0008_lectures
Create Date: 2026-11-25 01:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009_internship_speed'
down_revision = '0008_lectures'
branch_labels = None
depends_on = None

EXPRESSION = "lower(title || '\n' || description)"


def upgrade():
    # Stored on PostgreSQL (the trigram index needs it); SQLite can only add a virtual one.
    stored = True if op.get_bind().dialect.name == 'postgresql' else None
    search = sa.Computed(EXPRESSION, persisted=stored)
    op.add_column('internships', sa.Column('search_text', sa.Text(), search, nullable=True))
    op.drop_index('ix_internships_description_trgm', table_name='internships')
    op.drop_index('ix_internships_title_trgm', table_name='internships')
    op.create_index(
        'ix_internships_search_trgm', 'internships', ['search_text'], unique=False,
        postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'},
    )
    op.create_index('ix_internships_updated_at', 'internships', ['updated_at'], unique=False)


def downgrade():
    op.drop_index('ix_internships_updated_at', table_name='internships')
    op.drop_index('ix_internships_search_trgm', table_name='internships')
    op.create_index(
        'ix_internships_title_trgm', 'internships', ['title'], unique=False,
        postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'},
    )
    op.create_index(
        'ix_internships_description_trgm', 'internships', ['description'], unique=False,
        postgresql_using='gin', postgresql_ops={'description': 'gin_trgm_ops'},
    )
    op.drop_column('internships', 'search_text')
