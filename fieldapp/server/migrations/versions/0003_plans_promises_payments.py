"""Repayment plans, promises to pay and imported payments (issue 5).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payments',
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('account_ref', sa.String(length=64), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_payments_case_id_cases')),
    sa.PrimaryKeyConstraint('reference', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_case_id'), ['case_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('agreed_total_minor', sa.BigInteger(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=False),
    sa.Column('seal_sha256', sa.String(length=64), nullable=False),
    sa.Column('sealed', sa.JSON(), nullable=False),
    sa.Column('instalments', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_plans_case_id_cases')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_plans_device_id_devices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plans_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('record_id', name=op.f('uq_plans_record_id'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_status'), ['status'], unique=False)
        batch_op.create_index('ix_plans_user_seq', ['user_id', 'seq'], unique=False)

    op.create_table('promises',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('paid_minor', sa.BigInteger(), nullable=False),
    sa.Column('kept_on', sa.Date(), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_promises_case_id_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_promises_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promises')),
    sa.UniqueConstraint('record_id', name=op.f('uq_promises_record_id'))
    )
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promises_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_promises_user_seq', ['user_id', 'seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.drop_index('ix_promises_user_seq')
        batch_op.drop_index(batch_op.f('ix_promises_case_id'))

    op.drop_table('promises')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index('ix_plans_user_seq')
        batch_op.drop_index(batch_op.f('ix_plans_status'))
        batch_op.drop_index(batch_op.f('ix_plans_case_id'))

    op.drop_table('plans')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_case_id'))

    op.drop_table('payments')
