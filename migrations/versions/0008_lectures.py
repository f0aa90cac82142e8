"""lectures and other events: intentionally empty; 0014_events creates the event tables

This revision was cut before the domain had its tables and changes nothing. It is kept,
empty, because a deployed database may already be stamped at it, and alembic needs the
chain unbroken to upgrade such a database (one stamped here must still reach head).
Do not squash or delete it, and do not add tables to it: a database past it would never
run them.

Revision ID: 0008_lectures
Revises: 0007_competitions
Create Date: 2026-11-22 05:20:00

"""
# revision identifiers, used by Alembic.
revision = '0008_lectures'
down_revision = '0007_competitions'
branch_labels = None
depends_on = None


def upgrade():
    pass  # intentionally empty: see the module docstring


def downgrade():
    pass  # intentionally empty: see the module docstring
