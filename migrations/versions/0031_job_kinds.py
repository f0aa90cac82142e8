"""job kinds, salary bands and contract types, certificate requirements, language levels

Revision ID: 0031_job_kinds
Revises: 0030_programmes
Create Date: 2026-12-05 05:00:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0031_job_kinds'
down_revision = '0030_programmes'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')

# Monthly pay in yuan; the white paper's salary structure of the trade.
SALARY_BANDS = [
    ("below-4000", "Below 4,000 yuan a month", "4000元/月以下"),
    ("4000-6000", "4,000-6,000 yuan a month", "4000–6000元/月"),
    ("6000-8000", "6,000-8,000 yuan a month", "6000–8000元/月"),
    ("8000-10000", "8,000-10,000 yuan a month", "8000–10000元/月"),
    ("10000-15000", "10,000-15,000 yuan a month", "10000–15000元/月"),
    ("above-15000", "Above 15,000 yuan a month", "15000元/月以上"),
]
# The kinds of labour contract of the Labour Contract Law (劳动合同法), with labour dispatch.
CONTRACT_TYPES = [
    ("fixed-term", "Fixed-term labour contract", "固定期限劳动合同"),
    ("open-ended", "Open-ended labour contract", "无固定期限劳动合同"),
    ("project", "Contract for a specific project", "以完成一定工作任务为期限的劳动合同"),
    ("labour-dispatch", "Labour dispatch", "劳务派遣"),
    ("part-time", "Part-time employment", "非全日制用工"),
    ("service", "Service (labour services) agreement", "劳务协议"),
    ("freelance", "Freelance / platform work", "自由职业/平台灵活用工"),
]

items = sa.table(
    "taxonomy_items",
    sa.column("vocabulary", sa.String),
    sa.column("code", sa.String),
    sa.column("name_en", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("position", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table('internships') as batch_op:
        batch_op.add_column(
            sa.Column('kind', sa.String(length=20), nullable=False, server_default='internship')
        )
        batch_op.add_column(sa.Column('salary_band', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('contract_type', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_internships_kind_status', ['kind', 'status'], unique=False)
    with op.batch_alter_table('internship_languages') as batch_op:
        batch_op.add_column(
            sa.Column('min_level', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.create_check_constraint(op.f('ck_internship_languages_level'), 'min_level BETWEEN 1 AND 5')
    op.create_table('internship_certificates',
    sa.Column('internship_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('min_level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], name=op.f('fk_internship_certificates_internship_id_internships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('internship_id', 'code', name=op.f('pk_internship_certificates'))
    )
    with op.batch_alter_table('internship_certificates') as batch_op:
        batch_op.create_index('ix_internship_certificates_code', ['code', 'internship_id'], unique=False)
    op.create_table('course_certificates',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('min_level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_certificates_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'code', name=op.f('pk_course_certificates'))
    )
    with op.batch_alter_table('course_certificates') as batch_op:
        batch_op.create_index('ix_course_certificates_code', ['code', 'course_id'], unique=False)
    with op.batch_alter_table('subscriptions') as batch_op:
        batch_op.add_column(sa.Column('kinds', JSON, nullable=False, server_default='[]'))
    now = datetime.now(UTC)
    rows = []
    for vocabulary, seed in (("salary-bands", SALARY_BANDS), ("contract-types", CONTRACT_TYPES)):
        rows += [
            {"vocabulary": vocabulary, "code": code, "name_en": en, "name_zh": zh,
             "position": pos + 1, "created_at": now}
            for pos, (code, en, zh) in enumerate(seed)
        ]
    op.bulk_insert(items, rows)


def downgrade():
    op.execute(items.delete().where(items.c.vocabulary.in_(["salary-bands", "contract-types"])))
    with op.batch_alter_table('subscriptions') as batch_op:
        batch_op.drop_column('kinds')
    with op.batch_alter_table('course_certificates') as batch_op:
        batch_op.drop_index('ix_course_certificates_code')
    op.drop_table('course_certificates')
    with op.batch_alter_table('internship_certificates') as batch_op:
        batch_op.drop_index('ix_internship_certificates_code')
    op.drop_table('internship_certificates')
    with op.batch_alter_table('internship_languages') as batch_op:
        batch_op.drop_constraint(op.f('ck_internship_languages_level'), type_='check')
        batch_op.drop_column('min_level')
    # Not in batch mode: SQLite (3.35+) drops a plain column in place, and rebuilding
    # `internships` would lose its computed `search_text` column's definition.
    op.drop_index('ix_internships_kind_status', table_name='internships')
    op.drop_column('internships', 'contract_type')
    op.drop_column('internships', 'salary_band')
    op.drop_column('internships', 'kind')
