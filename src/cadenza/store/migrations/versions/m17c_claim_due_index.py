"""the claim's due index holds only what is due: marking a touch in flight leaves it

Revision ID: m17c_claim_due_index
Revises: m17u_unconfirmed_cap_window
Create Date: 2026-12-07 01:00:00

Issue #17 item 5: the claim's mark (``next_due_at`` cleared) changes an indexed column, so
PostgreSQL cannot update the row in place (no HOT update) and writes a new entry into every
index of the table whose predicate the new row meets. ``ix_enrollment_due`` on
``(state, next_due_at)`` and ``ix_enrollment_next_due_at`` both took one for each claimed
row; ``ix_enrollment_due`` becomes partial on the rows the claim looks for (active, with a
due time), which an in-flight row leaves, and the plain index goes (every query on
``next_due_at`` also asks for ``state = 'active'``). The two lookups by another state that
read the old index's leading ``state`` get small partial indexes of their own, which the
claim's rows never enter: paused enrollments by the end of their pause (each scheduler
pass), waiting ones by prospect (a person's triage decision).
The metrics triggers (m16c) need no change: their ``WHEN`` already skips an update that
moves only ``next_due_at`` and ``updated_at``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm17c_claim_due_index'
down_revision = 'm17u_unconfirmed_cap_window'
branch_labels = None
depends_on = None

_DUE = "state = 'active' AND next_due_at IS NOT NULL"
_PAUSED = "state = 'paused'"
_WAITING = "state = 'waiting'"


def _where(condition: str) -> dict[str, sa.TextClause]:
    return {"sqlite_where": sa.text(condition), "postgresql_where": sa.text(condition)}


def upgrade() -> None:
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollment_due')
        batch_op.drop_index('ix_enrollment_next_due_at')
        batch_op.create_index('ix_enrollment_due', ['next_due_at'], unique=False,
                              **_where(_DUE))
        batch_op.create_index('ix_enrollment_paused', ['paused_until'], unique=False,
                              **_where(_PAUSED))
        batch_op.create_index('ix_enrollment_waiting', ['prospect_id'], unique=False,
                              **_where(_WAITING))


def downgrade() -> None:
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollment_waiting')
        batch_op.drop_index('ix_enrollment_paused')
        batch_op.drop_index('ix_enrollment_due')
        batch_op.create_index('ix_enrollment_next_due_at', ['next_due_at'], unique=False)
        batch_op.create_index('ix_enrollment_due', ['state', 'next_due_at'], unique=False)
