"""destinations: graduate destinations and their bulk imports

Revision ID: 0032_destinations
Revises: 0031_job_kinds
Create Date: 2026-12-05 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032_destinations'
down_revision = '0031_job_kinds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'destinations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('university_id', sa.Integer(), nullable=False),
        sa.Column('major', sa.String(length=60), nullable=True),
        sa.Column('graduation_year', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=True),
        sa.Column('employer_name', sa.String(length=200), nullable=True),
        sa.Column('employer_uscc', sa.String(length=18), nullable=True),
        sa.Column('location_code', sa.String(length=6), nullable=True),
        sa.Column('industry', sa.String(length=100), nullable=True),
        sa.Column('cbec_related', sa.Boolean(), nullable=False),
        sa.Column('related_to_major', sa.Boolean(), nullable=False),
        sa.Column('salary_band', sa.String(length=20), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmation', sa.String(length=20), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('dispute_reason', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['employer_id'], ['organizations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['student_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('student_id', 'graduation_year', name='uq_destinations_student_year'),
    )
    with op.batch_alter_table('destinations') as batch_op:
        batch_op.create_index(
            'ix_destinations_employer_confirmation', ['employer_id', 'confirmation'], unique=False
        )
        batch_op.create_index(
            'ix_destinations_year_university', ['graduation_year', 'university_id'], unique=False
        )
    op.create_table(
        'destination_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('university_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('partial', sa.Boolean(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('rows_total', sa.Integer(), nullable=False),
        sa.Column('rows_done', sa.Integer(), nullable=False),
        sa.Column('imported', sa.Integer(), nullable=False),
        sa.Column('errors', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('destination_imports') as batch_op:
        batch_op.create_index(
            'ix_destination_imports_university_id', ['university_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('destination_imports') as batch_op:
        batch_op.drop_index('ix_destination_imports_university_id')
    op.drop_table('destination_imports')
    with op.batch_alter_table('destinations') as batch_op:
        batch_op.drop_index('ix_destinations_year_university')
        batch_op.drop_index('ix_destinations_employer_confirmation')
    op.drop_table('destinations')
