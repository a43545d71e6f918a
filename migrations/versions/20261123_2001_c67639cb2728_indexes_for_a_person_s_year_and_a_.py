"""indexes for a person's year and a supervisor's follow-ups

Revision ID: c67639cb2728
Revises: 23ec8006a4dd
Create Date: 2026-11-23 20:01:03.053595

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c67639cb2728'
down_revision = '23ec8006a4dd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_supervisor_id'), ['supervisor_id'], unique=False)

    with op.batch_alter_table('record_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_entries_user_id'))
        batch_op.create_index('ix_record_entries_user_id_year', ['user_id', 'year'], unique=False)


def downgrade():
    with op.batch_alter_table('record_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_record_entries_user_id_year')
        batch_op.create_index(batch_op.f('ix_record_entries_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_supervisor_id'))
