"""Audit chains verified per device, and published form versions (scripts, rule packs, notice templates).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('form_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_versions')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_form_versions_content_hash')),
    sa.UniqueConstraint('kind', 'form_id', 'version', name='uq_form_versions_kind_form_version')
    )
    op.create_table('audit_chains',
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('broken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('broken_event', sa.String(length=64), nullable=False),
    sa.Column('broken_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_audit_chains_device_id_devices')),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_audit_chains'))
    )


def downgrade() -> None:
    op.drop_table('audit_chains')
    op.drop_table('form_versions')
