"""A notice's short verification code is unique: a lookup by code never switches to another notice.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(
        "SELECT code FROM notices GROUP BY code HAVING COUNT(*) > 1")).scalars().all()
    if clashes:
        raise RuntimeError(
            "these verification codes are held by more than one notice, which only a forged notice can cause: "
            f"{', '.join(clashes[:20])}. Keep the first received of each (received_at), remove the others, "
            "then upgrade again.")
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_code')
        batch_op.create_index('ix_notices_code', ['code'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_code')
        batch_op.create_index('ix_notices_code', ['code'], unique=False)
