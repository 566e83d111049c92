"""Notices printed on the device, their verification token and delivery (issue 6)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notices',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=True),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('delivery', sa.String(length=24), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('token')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_case_id'))

    op.drop_table('notices')
