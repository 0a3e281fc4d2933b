"""event webhooks: subscriptions, and the delivery log as their outbox

Revision ID: m16e_webhooks
Revises: 0008
Create Date: 2026-12-06 19:12:12

Issue #16 item 4: ``webhooksubscription`` holds where a workspace's events go (a URL, the
secret's reference, the event types, active). ``webhookdelivery``, the handoff notifier's
delivery log, becomes the event webhooks' outbox too: a row per event and subscription (and
per replay) with its state and when it is due. The notifier's rows keep an empty state.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'm16e_webhooks'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhooksubscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('secret_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('event_types', sa.JSON(), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('removed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhooksubscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhooksubscription_workspace_id'), ['workspace_id'],
                              unique=False)

    with op.batch_alter_table('webhookdelivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subscription_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('replay', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('state', sqlmodel.sql.sqltypes.AutoString(),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.create_index('ix_webhookdelivery_due', ['state', 'next_attempt_at'],
                              unique=False)
        batch_op.create_unique_constraint('webhookdelivery_subscription_id_event_id_replay_key',
                                          ['subscription_id', 'event_id', 'replay'])
        batch_op.create_foreign_key('webhookdelivery_subscription_id_fkey',
                                    'webhooksubscription', ['subscription_id'], ['id'])
        batch_op.create_foreign_key('webhookdelivery_event_id_fkey', 'event', ['event_id'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('webhookdelivery', schema=None) as batch_op:
        batch_op.drop_constraint('webhookdelivery_event_id_fkey', type_='foreignkey')
        batch_op.drop_constraint('webhookdelivery_subscription_id_fkey', type_='foreignkey')
        batch_op.drop_constraint('webhookdelivery_subscription_id_event_id_replay_key',
                                 type_='unique')
        batch_op.drop_index('ix_webhookdelivery_due')
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('state')
        batch_op.drop_column('replay')
        batch_op.drop_column('event_id')
        batch_op.drop_column('subscription_id')

    with op.batch_alter_table('webhooksubscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhooksubscription_workspace_id'))

    op.drop_table('webhooksubscription')
