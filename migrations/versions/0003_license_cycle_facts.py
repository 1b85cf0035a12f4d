"""license cycle facts for the progress engine

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 15:11:42.339801
"""
from alembic import op
import sqlalchemy as sa
import app.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('license_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_first_renewal', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('last_met_cycle', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))

    with op.batch_alter_table('licenses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licensed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('applicable_conditions', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))



def downgrade() -> None:
    with op.batch_alter_table('licenses', schema=None) as batch_op:
        batch_op.drop_column('applicable_conditions')
        batch_op.drop_column('licensed_on')

    with op.batch_alter_table('license_cycles', schema=None) as batch_op:
        batch_op.drop_column('last_met_cycle')
        batch_op.drop_column('is_first_renewal')

