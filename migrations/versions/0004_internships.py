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
    if op.get_bind().dialect.name == "postgresql":
        # Trigram indexes serve `q` (ILIKE '%...%') on titles and descriptions, Chinese too.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('internships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('slots', sa.Integer(), nullable=False),
    sa.Column('accepted_count', sa.Integer(), nullable=False),
    sa.Column('stipend_min', sa.Integer(), nullable=True),
    sa.Column('stipend_max', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('apply_by', sa.Date(), nullable=False),
    sa.Column('hours_per_day', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('hours_per_week', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('night_shifts', sa.Boolean(), nullable=False),
    sa.Column('insurance_provided', sa.Boolean(), nullable=False),
    sa.Column('fee_charged', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('accepted_count >= 0 AND accepted_count <= slots', name=op.f('ck_internships_accepted')),
    sa.CheckConstraint('slots >= 1', name=op.f('ck_internships_slots')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_internships_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organizations.id'], name=op.f('fk_internships_enterprise_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internships'))
    )
    with op.batch_alter_table('internships', schema=None) as batch_op:
        batch_op.create_index('ix_internships_category_status', ['category', 'status'], unique=False)
        batch_op.create_index('ix_internships_description_trgm', ['description'], unique=False, postgresql_using='gin', postgresql_ops={'description': 'gin_trgm_ops'})
        batch_op.create_index('ix_internships_district_status', ['district', 'status'], unique=False)
        batch_op.create_index('ix_internships_enterprise_status', ['enterprise_id', 'status'], unique=False)
        batch_op.create_index('ix_internships_status_apply_by', ['status', 'apply_by', 'id'], unique=False)
        batch_op.create_index('ix_internships_status_published', ['status', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_internships_title_trgm', ['title'], unique=False, postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})

    op.create_table('student_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('major', sa.String(length=60), nullable=True),
    sa.Column('graduation_year', sa.Integer(), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], name=op.f('fk_student_profiles_university_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_student_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_student_profiles'))
    )
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_profiles_major'), ['major'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_profiles_university_id'), ['university_id'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('internship_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('cover_letter', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], name=op.f('fk_applications_internship_id_internships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_applications_student_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], name=op.f('fk_applications_university_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('internship_id', 'student_id', name='uq_applications_internship')
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_internship_status', ['internship_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_student_id'), ['student_id'], unique=False)
        batch_op.create_index('ix_applications_university_status', ['university_id', 'status'], unique=False)

    op.create_table('internship_competencies',
    sa.Column('internship_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('min_level', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_level BETWEEN 1 AND 5', name=op.f('ck_internship_competencies_level')),
    sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], name=op.f('fk_internship_competencies_internship_id_internships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('internship_id', 'code', name=op.f('pk_internship_competencies'))
    )
    with op.batch_alter_table('internship_competencies', schema=None) as batch_op:
        batch_op.create_index('ix_internship_competencies_code', ['code', 'internship_id'], unique=False)

    op.create_table('internship_languages',
    sa.Column('internship_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], name=op.f('fk_internship_languages_internship_id_internships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('internship_id', 'code', name=op.f('pk_internship_languages'))
    )
    with op.batch_alter_table('internship_languages', schema=None) as batch_op:
        batch_op.create_index('ix_internship_languages_code', ['code', 'internship_id'], unique=False)

    op.create_table('internship_majors',
    sa.Column('internship_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], name=op.f('fk_internship_majors_internship_id_internships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('internship_id', 'code', name=op.f('pk_internship_majors'))
    )
    with op.batch_alter_table('internship_majors', schema=None) as batch_op:
        batch_op.create_index('ix_internship_majors_code', ['code', 'internship_id'], unique=False)

    op.create_table('student_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['student_profiles.user_id'], name=op.f('fk_student_certificates_user_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_certificates'))
    )
    with op.batch_alter_table('student_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_certificates_user_id'), ['user_id'], unique=False)

    op.create_table('student_competencies',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_student_competencies_level')),
    sa.ForeignKeyConstraint(['user_id'], ['student_profiles.user_id'], name=op.f('fk_student_competencies_user_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'code', name=op.f('pk_student_competencies'))
    )
    with op.batch_alter_table('student_competencies', schema=None) as batch_op:
        batch_op.create_index('ix_student_competencies_code_level', ['code', 'level'], unique=False)

    op.create_table('student_languages',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_student_languages_level')),
    sa.ForeignKeyConstraint(['user_id'], ['student_profiles.user_id'], name=op.f('fk_student_languages_user_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'code', name=op.f('pk_student_languages'))
    )
    op.create_table('application_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_application_transitions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_transitions_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_transitions'))
    )
    with op.batch_alter_table('application_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_transitions_application_id'), ['application_id'], unique=False)

    op.create_table('evaluations',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('would_hire', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evaluations_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_evaluations_evaluator_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_evaluations'))
    )
    op.create_table('hires',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_hires_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organizations.id'], name=op.f('fk_hires_enterprise_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_hires_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_hires_student_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['organizations.id'], name=op.f('fk_hires_university_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_hires'))
    )
    with op.batch_alter_table('hires', schema=None) as batch_op:
        batch_op.create_index('ix_hires_enterprise_university', ['enterprise_id', 'university_id'], unique=False)

    op.create_table('evaluation_ratings',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_evaluation_ratings_level')),
    sa.ForeignKeyConstraint(['application_id'], ['evaluations.application_id'], name=op.f('fk_evaluation_ratings_application_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'code', name=op.f('pk_evaluation_ratings'))
    )


def downgrade():
    op.drop_table('evaluation_ratings')
    with op.batch_alter_table('hires', schema=None) as batch_op:
        batch_op.drop_index('ix_hires_enterprise_university')

    op.drop_table('hires')
    op.drop_table('evaluations')
    with op.batch_alter_table('application_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_transitions_application_id'))

    op.drop_table('application_transitions')
    op.drop_table('student_languages')
    with op.batch_alter_table('student_competencies', schema=None) as batch_op:
        batch_op.drop_index('ix_student_competencies_code_level')

    op.drop_table('student_competencies')
    with op.batch_alter_table('student_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_certificates_user_id'))

    op.drop_table('student_certificates')
    with op.batch_alter_table('internship_majors', schema=None) as batch_op:
        batch_op.drop_index('ix_internship_majors_code')

    op.drop_table('internship_majors')
    with op.batch_alter_table('internship_languages', schema=None) as batch_op:
        batch_op.drop_index('ix_internship_languages_code')

    op.drop_table('internship_languages')
    with op.batch_alter_table('internship_competencies', schema=None) as batch_op:
        batch_op.drop_index('ix_internship_competencies_code')

    op.drop_table('internship_competencies')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_university_status')
        batch_op.drop_index(batch_op.f('ix_applications_student_id'))
        batch_op.drop_index('ix_applications_internship_status')

    op.drop_table('applications')
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_profiles_university_id'))
        batch_op.drop_index(batch_op.f('ix_student_profiles_major'))

    op.drop_table('student_profiles')
    with op.batch_alter_table('internships', schema=None) as batch_op:
        batch_op.drop_index('ix_internships_title_trgm', postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
        batch_op.drop_index('ix_internships_status_published')
        batch_op.drop_index('ix_internships_status_apply_by')
        batch_op.drop_index('ix_internships_enterprise_status')
        batch_op.drop_index('ix_internships_district_status')
        batch_op.drop_index('ix_internships_description_trgm', postgresql_using='gin', postgresql_ops={'description': 'gin_trgm_ops'})
        batch_op.drop_index('ix_internships_category_status')

    op.drop_table('internships')
