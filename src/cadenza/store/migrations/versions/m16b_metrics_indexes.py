"""the metrics' indexes: the touch reach scan, its rare rows, the enrollment cohort

Revision ID: m16b_metrics_indexes
Revises: m16a_outcomes_variants
Create Date: 2026-12-06 21:00:00

Issue #16: the dashboard reads the cohort's touches once through ``ix_touch_reach`` (covering,
in enrollment order), the retries after a soft bounce and the server's refusals through two
partial indexes, the cohort through ``ix_enrollment_cohort``, and a reply's handoff through
``ix_handoff_reply``. README "Benchmarks" has the plans.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm16b_metrics_indexes'
down_revision = 'm16a_outcomes_variants'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('touch', schema=None) as batch_op:
        batch_op.create_index('ix_touch_reach', ['workspace_id', 'enrollment_id', 'attempt',
                                                 'state', 'step', 'variant', 'sent_at'],
                              unique=False)
        batch_op.create_index('ix_touch_later_attempts', ['workspace_id'], unique=False,
                              sqlite_where=sa.text('attempt > 1'),
                              postgresql_where=sa.text('attempt > 1'))
        batch_op.create_index('ix_touch_failed', ['workspace_id'], unique=False,
                              sqlite_where=sa.text("state = 'failed'"),
                              postgresql_where=sa.text("state = 'failed'"))
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index('ix_enrollment_cohort', ['workspace_id', 'started_at',
                                                       'playbook_id', 'state'], unique=False)
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_reply', ['reply_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_reply')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollment_cohort')
    with op.batch_alter_table('touch', schema=None) as batch_op:
        batch_op.drop_index('ix_touch_failed')
        batch_op.drop_index('ix_touch_later_attempts')
        batch_op.drop_index('ix_touch_reach')
