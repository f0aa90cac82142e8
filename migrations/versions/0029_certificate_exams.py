"""certificate exams: sittings, seats with results, certificate records

Revision ID: 0029_certificate_exams
Revises: 0028_certificates
Create Date: 2026-12-05 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029_certificate_exams'
down_revision = '0028_certificates'
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('certificate_exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_code', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('exam_date', sa.Date(), nullable=False),
    sa.Column('site_organization_id', sa.Integer(), nullable=False),
    sa.Column('training_base_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('registered_count', sa.Integer(), nullable=False),
    sa.Column('pass_score', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', _TS, nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_certificate_exams_capacity')),
    sa.CheckConstraint('registered_count >= 0 AND registered_count <= capacity', name=op.f('ck_certificate_exams_seats')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_certificate_exams_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_organization_id'], ['organizations.id'], name=op.f('fk_certificate_exams_site_organization_id_organizations')),
    sa.ForeignKeyConstraint(['training_base_id'], ['training_bases.id'], name=op.f('fk_certificate_exams_training_base_id_training_bases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_exams'))
    )
    op.create_index('ix_certificate_exams_code_date', 'certificate_exams', ['certificate_code', 'exam_date'])
    op.create_index(op.f('ix_certificate_exams_site_organization_id'), 'certificate_exams', ['site_organization_id'])
    op.create_table('certificate_exam_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('result_at', _TS, nullable=True),
    sa.Column('created_at', _TS, nullable=False),
    sa.CheckConstraint('score IS NULL OR (score >= 0 AND score <= 100)', name=op.f('ck_certificate_exam_registrations_score')),
    sa.ForeignKeyConstraint(['exam_id'], ['certificate_exams.id'], name=op.f('fk_certificate_exam_registrations_exam_id_certificate_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_certificate_exam_registrations_student_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], name=op.f('fk_certificate_exam_registrations_university_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_exam_registrations')),
    sa.UniqueConstraint('exam_id', 'student_id', name='uq_certificate_exam_student')
    )
    op.create_index('ix_certificate_exam_registrations_university', 'certificate_exam_registrations', ['university_id'])
    op.create_index('ix_certificate_exam_registrations_student', 'certificate_exam_registrations', ['student_id'])
    op.create_table('certificate_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('certificate_code', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('created_at', _TS, nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['certificate_exam_registrations.id'], name=op.f('fk_certificate_records_registration_id_certificate_exam_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exam_id'], ['certificate_exams.id'], name=op.f('fk_certificate_records_exam_id_certificate_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_certificate_records_student_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], name=op.f('fk_certificate_records_university_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_records')),
    sa.UniqueConstraint('number', name='uq_certificate_records_number'),
    sa.UniqueConstraint('registration_id', name='uq_certificate_records_registration')
    )
    op.create_index('ix_certificate_records_student', 'certificate_records', ['student_id'])
    op.create_index('ix_certificate_records_code_university', 'certificate_records', ['certificate_code', 'university_id'])


def downgrade():
    op.drop_table('certificate_records')
    op.drop_table('certificate_exam_registrations')
    op.drop_table('certificate_exams')
