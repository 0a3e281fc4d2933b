"""idempotency keys: a retried write request gets its first answer back

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 09:00:00

One row per (workspace, key): the fingerprint of the request that first used the key and the
answer it got, written in that request's own transaction (see ``cadenza.store.idempotency``).
A new table only: nothing that exists changes, and the downgrade forgets the keys.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'idempotencyrecord',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=False),
        sa.Column('response', sa.JSON(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workspace_id', 'key'),
    )


def downgrade() -> None:
    op.drop_table('idempotencyrecord')
