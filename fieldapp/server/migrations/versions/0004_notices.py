"""Printed notices' verification records (issue 6).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notices',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('creditor_name', sa.JSON(), nullable=False),
    sa.Column('agency_name', sa.JSON(), nullable=False),
    sa.Column('delivery', sa.String(length=24), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notices_case_id_cases')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_notices_device_id_devices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_user_id_users')),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_notices')),
    sa.UniqueConstraint('record_id', name=op.f('uq_notices_record_id'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_code'), ['code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_code'))
        batch_op.drop_index(batch_op.f('ix_notices_case_id'))

    op.drop_table('notices')
