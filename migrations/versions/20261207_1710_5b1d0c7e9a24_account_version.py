"""account version

A number that every change to an account or its roles renews, so that each worker can keep the
signed-in person's account and tell at once when its copy is out of date.

Revision ID: 5b1d0c7e9a24
Revises: 29f263d0b607
Create Date: 2026-12-07 17:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1d0c7e9a24'
down_revision = '29f263d0b607'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('version')
