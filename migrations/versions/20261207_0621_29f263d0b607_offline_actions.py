"""offline actions

The idempotency key of each action a browser sent after working offline, and what became of it.

Revision ID: 29f263d0b607
Revises: 9415caee4659
Create Date: 2026-12-07 06:21:07.770940

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '29f263d0b607'
down_revision = '9415caee4659'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offline_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_offline_actions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_actions')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_offline_actions_user_id_key'))
    )


def downgrade():
    op.drop_table('offline_actions')
