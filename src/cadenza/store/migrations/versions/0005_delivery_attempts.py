"""delivery attempts: a soft-bounce retry is a new touch row of the same step

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The unique key of 0001 was created without a name; this convention names it on reflection
# (SQLite) the way PostgreSQL named it, so both can drop it by name.
_NAMES = {"uq": "%(table_name)s_%(column_0_name)s_%(column_1_name)s_key"}


def upgrade() -> None:
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempt', sa.Integer(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('touch', schema=None, naming_convention=_NAMES) as batch_op:
        batch_op.add_column(sa.Column('attempt', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.drop_constraint('touch_enrollment_id_step_key', type_='unique')
        batch_op.create_unique_constraint('touch_enrollment_id_step_attempt_key',
                                          ['enrollment_id', 'step', 'attempt'])


def downgrade() -> None:
    with op.batch_alter_table('touch', schema=None, naming_convention=_NAMES) as batch_op:
        batch_op.drop_constraint('touch_enrollment_id_step_attempt_key', type_='unique')
        batch_op.create_unique_constraint('touch_enrollment_id_step_key',
                                          ['enrollment_id', 'step'])
        batch_op.drop_column('attempt')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_column('attempt')
