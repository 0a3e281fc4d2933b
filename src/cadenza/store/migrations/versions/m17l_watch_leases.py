"""the watchers' leases: one lease per mailbox with a fencing token, one row per watch process

Revision ID: m17l_watch_leases
Revises: m17r_mailbox_rotation
Create Date: 2026-12-06 22:00:00

Issue #17: many ``cadenza watch`` processes share the mailboxes, each mailbox watched by one of
them at a time (``cadenza.store.leases``).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'm17l_watch_leases'
down_revision = 'm17r_mailbox_rotation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mailboxlease',
    sa.Column('mailbox_id', sa.Integer(), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('token', sa.Integer(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('acquired_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailbox.id'], ),
    sa.PrimaryKeyConstraint('mailbox_id')
    )
    op.create_table('watchprocess',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('watchprocess', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watchprocess_expires_at'), ['expires_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('watchprocess', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watchprocess_expires_at'))
    op.drop_table('watchprocess')
    op.drop_table('mailboxlease')
