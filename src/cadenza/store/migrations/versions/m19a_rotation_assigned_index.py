"""the rotation's count of first touches already given to a mailbox reads an index

Revision ID: m19a_rotation_assigned_index
Revises: m18c_claim_in_place
Create Date: 2026-12-07 13:00:00

Issue #17 item 5: each claim asks, per mailbox of the batch's workspaces, how many first
touches due in the next 24 h the rotation has already given it
(:func:`cadenza.mailbox.rotation.assigned_first_touches`). Without an index that count read
every enrollment: 95 of the claim's 177 ms among 1,000,000 enrollments. A partial index on
the rows it counts (active, at the first step's first attempt, with a mailbox) holds only
enrollments given a mailbox and not yet past their first touch. Neither ``claimed_at`` nor
``updated_at`` enters it, so the claim's mark stays an in-place update (m18c).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm19a_rotation_assigned_index'
down_revision = 'm18c_claim_in_place'
branch_labels = None
depends_on = None

_ASSIGNED = ("state = 'active' AND next_step = 1 AND attempt = 1 AND mailbox_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index('ix_enrollment_assigned', ['mailbox_id', 'next_due_at'],
                              unique=False, sqlite_where=sa.text(_ASSIGNED),
                              postgresql_where=sa.text(_ASSIGNED))


def downgrade() -> None:
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollment_assigned')
