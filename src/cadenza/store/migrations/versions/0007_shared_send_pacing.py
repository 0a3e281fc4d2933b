"""shared send pacing: a mailbox's jitter and its next free send time

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:00:00

The minimum gap between two sends of a mailbox was kept in one worker's memory, so two
``worker --once`` runs or a restarted worker ignored it. ``next_send_at`` moves it into the
database, where every process claiming a send sees it; ``jitter_seconds`` makes the random part
of the gap a mailbox setting (30 s, the value that was hard-coded).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mailbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('jitter_seconds', sa.Integer(), nullable=False,
                                      server_default='30'))
        batch_op.add_column(sa.Column('next_send_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mailbox', schema=None) as batch_op:
        batch_op.drop_column('next_send_at')
        batch_op.drop_column('jitter_seconds')
