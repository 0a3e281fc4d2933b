"""token lifecycle: expiry, revocation time, last use, web sessions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 09:00:00

Every new column is nullable, so the tokens that exist keep working exactly as before: no
expiry, never used as far as we know, and a token revoked before this revision keeps
``revoked_at`` NULL (when it was revoked was never recorded; it is not made up).
``session_of`` ties a web session (a row the login form creates) to the token it was opened
with. The foreign key is named as PostgreSQL names it by default, so both databases can drop
it by that name.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('session_of', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_apitoken_session_of'), ['session_of'],
                              unique=False)
        batch_op.create_foreign_key('apitoken_session_of_fkey', 'apitoken', ['session_of'],
                                    ['id'])


def downgrade() -> None:
    # Web sessions mean nothing to the old schema: without session_of they would become
    # API tokens, so they go first.
    op.execute("DELETE FROM apitoken WHERE session_of IS NOT NULL")
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.drop_constraint('apitoken_session_of_fkey', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_apitoken_session_of'))
        batch_op.drop_column('session_of')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('expires_at')
