"""the claim marks an enrollment in flight in place: ``claimed_at``, and room on each page

Revision ID: m18c_claim_in_place
Revises: m17c_claim_due_index
Create Date: 2026-12-07 04:00:00

Issue #17 item 5: the claim's mark cleared ``next_due_at``, a column of ``ix_enrollment_due``,
so PostgreSQL wrote a new row version elsewhere and an entry for it into the primary key and
the two other full indexes of the table: three quarters of the claim's time at 1M. The mark
now sets ``claimed_at``, which no index of the table reads, and leaves ``next_due_at`` as it
was; with free room on the row's page PostgreSQL updates it in place (a HOT update: no index
entry at all). Inserts now fill 90% of a page; pages written before this revision get room as
vacuum frees them. The find skips claimed rows on the heap (they stay in the due index until
the touch moves the enrollment on). An enrollment in flight under the old marker (active,
no due time) is marked claimed at its last update.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'm18c_claim_in_place'
down_revision = 'm17c_claim_due_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('enrollment', sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                          nullable=True))
    op.execute("UPDATE enrollment SET claimed_at = updated_at "
               "WHERE state = 'active' AND next_due_at IS NULL")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE enrollment SET (fillfactor = 90)")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE enrollment RESET (fillfactor)")
    op.execute("UPDATE enrollment SET next_due_at = NULL "
               "WHERE state = 'active' AND claimed_at IS NOT NULL")
    # a plain DROP COLUMN on both engines (SQLite >= 3.35): batch mode would copy the table
    # and DROP the old one, which the touches' foreign keys refuse once there is data
    op.drop_column('enrollment', 'claimed_at')
