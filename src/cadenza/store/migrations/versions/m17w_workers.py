"""the workers that share a database: their registry, and the worker that claimed each touch

Revision ID: m17w_workers
Revises: m17l_watch_leases
Create Date: 2026-12-06 22:00:00

Issue #17: each ``cadenza worker`` registers a row and holds an advisory lock on its id while
it lives; a touch records the worker that claimed it and when, so a claimed touch counts
against its mailbox's caps before it is sent, and a dead worker's touches are found and settled.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'm17w_workers'
down_revision = 'm17l_watch_leases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'worker',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('host', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''),
        sa.Column('pid', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('stopped_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('how', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('touch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_touch_worker_id', ['worker_id'], unique=False)
    # the caps' 24 h windows (agent.pacing.counted): what went out or is in flight, by when,
    # and what is claimed, by when; each send's last check reads them, so no touch-table scan
    op.create_index('ix_touch_sent_window', 'touch', ['sent_at'], unique=False,
                    sqlite_where=sa.text("state = 'sent'"),
                    postgresql_where=sa.text("state = 'sent'"))
    op.create_index('ix_touch_sending_window', 'touch', ['sending_at'], unique=False,
                    sqlite_where=sa.text("state = 'sending'"),
                    postgresql_where=sa.text("state = 'sending'"))
    op.create_index('ix_touch_claimed_at', 'touch', ['claimed_at'], unique=False,
                    sqlite_where=sa.text('claimed_at IS NOT NULL'),
                    postgresql_where=sa.text('claimed_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_touch_claimed_at', table_name='touch')
    op.drop_index('ix_touch_sending_window', table_name='touch')
    op.drop_index('ix_touch_sent_window', table_name='touch')
    with op.batch_alter_table('touch', schema=None) as batch_op:
        batch_op.drop_index('ix_touch_worker_id')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('worker_id')
    op.drop_table('worker')
