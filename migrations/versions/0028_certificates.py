"""certificates: the catalogue (taxonomy items with details) and self-declared vs verified

Revision ID: 0028_certificates
Revises: 0027_placement_records
Create Date: 2026-12-05 04:30:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_certificates'
down_revision = '0027_placement_records'
branch_labels = None
depends_on = None

# Only the 1+X certificates whose name and evaluation organisation could be confirmed from a
# public source when this was written; coordinators add the rest through the taxonomy API.
SEED = [
    {
        "code": "cbec-b2b-data-operation",
        "name_en": "Cross-border e-commerce B2B data operation (1+X)",
        "name_zh": "跨境电商B2B数据运营",
        "details": {
            "issuer": "阿里巴巴（中国）教育科技有限公司",
            "levels": ["junior", "intermediate", "senior"],
            "competencies": ["data-analysis", "platform-operation", "marketing"],
            "official_1x": True,
        },
    },
]

items = sa.table(
    "taxonomy_items",
    sa.column("vocabulary", sa.String),
    sa.column("code", sa.String),
    sa.column("name_en", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("position", sa.Integer),
    sa.column("details", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table('taxonomy_items') as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))
    with op.batch_alter_table('student_certificates') as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('number', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_student_certificates_code', ['code', 'user_id'])
        batch_op.create_index('ux_student_certificates_number', ['number'], unique=True)
    now = datetime.now(UTC)
    op.bulk_insert(
        items,
        [
            {"vocabulary": "certificates", "position": pos + 1, "created_at": now, **row}
            for pos, row in enumerate(SEED)
        ],
    )


def downgrade():
    op.execute(items.delete().where(items.c.vocabulary == "certificates"))
    with op.batch_alter_table('student_certificates') as batch_op:
        batch_op.drop_index('ux_student_certificates_number')
        batch_op.drop_index('ix_student_certificates_code')
        batch_op.drop_column('number')
        batch_op.drop_column('code')
    with op.batch_alter_table('taxonomy_items') as batch_op:
        batch_op.drop_column('details')
