"""inbox rotation: a mailbox's warm-up schedule and its rest

Revision ID: m17r_mailbox_rotation
Revises: m16b_metrics_indexes
Create Date: 2026-12-06 22:00:00

Issue #17 item 3. ``warmup_started_at`` counts a new mailbox's warm-up days (NULL: warmed up,
its ``daily_cap`` holds from the first day); ``warmup_start_per_day`` and
``warmup_increase_per_day`` override the workspace's schedule (NULL: the workspace's).
``rest_reason`` (empty: not resting) and ``rested_until`` (NULL: until an operator ends it)
take a mailbox with a bounce or complaint spike out of rotation.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'm17r_mailbox_rotation'
down_revision = 'm16b_metrics_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mailbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warmup_started_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('warmup_start_per_day', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('warmup_increase_per_day', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rest_reason', sa.String(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('rested_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('rested_until', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mailbox', schema=None) as batch_op:
        for name in ('rested_until', 'rested_at', 'rest_reason', 'warmup_increase_per_day',
                     'warmup_start_per_day', 'warmup_started_at'):
            batch_op.drop_column(name)
