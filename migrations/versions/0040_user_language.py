"""user language: the language of API messages a user chose (zh-CN or en; null follows
Accept-Language)

Revision ID: 0040_user_language
Revises: 0039_roster_imports
Create Date: 2026-12-05 10:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0040_user_language'
down_revision = '0039_roster_imports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ui_language', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('ui_language')
