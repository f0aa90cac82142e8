"""match assignments: two foreign keys (the preferences, the round's internship) instead of four

Revision ID: 0025_match_assignment_keys
Revises: 0024_student_index
Create Date: 2026-12-05 02:00:00.000000

An assignment belongs to the student's preferences in the round and, when matched, to an
internship of the round; those rows carry the keys to the user, the round, the university and
the internship. Checking two foreign keys a row instead of four halves the per-row trigger
work of storing a round's 100,000 assignments (docs/benchmarks.md, issue 17). Deleting a
user, a round or an internship still deletes its assignments, through the preferences and
the round's internships.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_match_assignment_keys'
down_revision = '0024_student_index'
branch_labels = None
depends_on = None

OLD = (
    ('fk_match_assignments_round_id_match_rounds', 'match_rounds', ['round_id'], ['id'], 'CASCADE'),
    ('fk_match_assignments_student_id_users', 'users', ['student_id'], ['id'], 'CASCADE'),
    ('fk_match_assignments_university_id_organizations', 'organizations', ['university_id'], ['id'], None),
    ('fk_match_assignments_internship_id_internships', 'internships', ['internship_id'], ['id'], 'CASCADE'),
)
NEW = (
    ('fk_match_assignments_round_id_match_preferences', 'match_preferences',
     ['round_id', 'student_id'], ['round_id', 'student_id'], 'CASCADE'),
    ('fk_match_assignments_round_id_match_round_internships', 'match_round_internships',
     ['round_id', 'internship_id'], ['round_id', 'internship_id'], 'CASCADE'),
)


def _swap(drop, create):
    with op.batch_alter_table('match_assignments', schema=None) as batch_op:
        for name, *_ in drop:
            batch_op.drop_constraint(name, type_='foreignkey')
        for name, table, local, remote, ondelete in create:
            batch_op.create_foreign_key(name, table, local, remote, ondelete=ondelete)


def upgrade():
    _swap(OLD, NEW)


def downgrade():
    _swap(NEW, OLD)
