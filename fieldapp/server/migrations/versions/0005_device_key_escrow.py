"""Devices' database keys, sealed under the server's escrow key (PRODUCT.md §8).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escrow_key_id', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('escrow_sealed_key', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('escrow_sealed_key')
        batch_op.drop_column('escrow_key_id')
