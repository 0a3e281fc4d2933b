"""the caps count touches held as delivery_unconfirmed: their window's partial index

Revision ID: m17u_unconfirmed_cap_window
Revises: m16c_dashboard_rollup
Create Date: 2026-12-06 23:30:00

Issue #17's fault run: a touch whose delivery is unknown (a worker killed after handing the
message over, a connection lost after DATA) is held ``delivery_unconfirmed``; it may have
reached the prospect, so the daily and domain caps count it (``cadenza.agent.pacing``). This
partial index keeps that count reading a small index rather than the touch table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm17u_unconfirmed_cap_window'
down_revision = 'm16c_dashboard_rollup'
branch_labels = None
depends_on = None

_WHERE = "state = 'held' AND reason = 'delivery_unconfirmed'"


def upgrade() -> None:
    op.create_index('ix_touch_unconfirmed_window', 'touch', ['sending_at'], unique=False,
                    sqlite_where=sa.text(_WHERE), postgresql_where=sa.text(_WHERE))


def downgrade() -> None:
    op.drop_index('ix_touch_unconfirmed_window', table_name='touch')
