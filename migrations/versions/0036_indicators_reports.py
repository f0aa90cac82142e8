"""indicators, annual reports, survey response validity

Revision ID: 0036_indicators_reports
Revises: 0035_policies
Create Date: 2026-12-05 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036_indicators_reports'
down_revision = '0035_policies'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'indicators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('region', sa.String(length=6), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column('unit', sa.String(length=40), nullable=False),
        sa.Column('source', sa.String(length=500), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', 'region', 'period', name='uq_indicators_code_region_period'),
    )
    with op.batch_alter_table('indicators') as batch_op:
        batch_op.create_index('ix_indicators_year_code', ['year', 'code'], unique=False)
    op.create_table(
        'annual_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=True),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.Column('missing', sa.JSON(), nullable=False),
        sa.Column('seconds', sa.JSON(), nullable=False),
        sa.Column('xlsx', sa.LargeBinary(), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('annual_reports') as batch_op:
        batch_op.create_index('ix_annual_reports_year', ['year', 'language'], unique=False)
    with op.batch_alter_table('survey_responses') as batch_op:
        batch_op.add_column(sa.Column('invalid_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('invalidated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            'fk_survey_responses_invalidated_by_id_users',
            'users',
            ['invalidated_by_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('survey_responses') as batch_op:
        batch_op.drop_constraint('fk_survey_responses_invalidated_by_id_users', type_='foreignkey')
        batch_op.drop_column('invalidated_at')
        batch_op.drop_column('invalidated_by_id')
        batch_op.drop_column('invalid_reason')
    with op.batch_alter_table('annual_reports') as batch_op:
        batch_op.drop_index('ix_annual_reports_year')
    op.drop_table('annual_reports')
    with op.batch_alter_table('indicators') as batch_op:
        batch_op.drop_index('ix_indicators_year_code')
    op.drop_table('indicators')
