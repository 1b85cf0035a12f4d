"""account purge: pending uploads

Revision ID: 0012
Revises: 0007
Create Date: 2027-01-10 10:00:00

An account purge also removes certificate uploads that were received but not yet hashed
(the staged files named by certificates.pending_name).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account_purges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_uploads', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('account_purges', schema=None) as batch_op:
        batch_op.drop_column('pending_uploads')
