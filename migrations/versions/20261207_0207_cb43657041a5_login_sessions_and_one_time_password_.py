"""login sessions and one-time password expiry

Every signed-in browser gets a row, so that logging out ends it on the server; the per-account
nonce that ended all sessions at once is replaced by deleting the rows.

Revision ID: cb43657041a5
Revises: c67639cb2728
Create Date: 2026-12-07 02:07:10.711364

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb43657041a5'
down_revision = 'c67639cb2728'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_login_sessions_secret_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('session_nonce')



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        # Any value will do: the old cookies named a nonce that no longer exists, so they log in nobody.
        batch_op.add_column(sa.Column('session_nonce', sa.String(length=32), nullable=False, server_default='0'))
        batch_op.drop_column('password_expires_at')

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
