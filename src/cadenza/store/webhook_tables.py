"""The webhook tables: the event subscriptions, and the delivery log that is also their outbox.

Kept beside :mod:`cadenza.store.models` (which re-exports them) so that module stays the
pipeline's own tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from cadenza.store.models import _json, utcnow


class WebhookSubscription(SQLModel, table=True):
    """Where a workspace's events go: a URL, the secret that signs them (a reference, never
    the secret), the event types it wants (empty: every type), and whether it is on."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    url: str
    secret_ref: str = ""
    event_types: list[str] = _json(list)
    description: str = ""
    active: bool = True
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    #: Set by ``remove``: kept for the delivery log, never delivered to again.
    removed_at: dt.datetime | None = None


class WebhookDelivery(SQLModel, table=True):
    """The delivery log of both webhooks, and the outbox of the event webhooks.

    The handoff notifier writes one row per attempt (``subscription_id`` empty, ``state``
    empty, ``ok`` says how it went). An event delivery is one row per event and subscription
    (and per replay: ``replay`` counts them, 0 for the first), written in the transaction that
    logged the event: ``state`` ``pending`` → ``delivered`` | ``failed``, ``attempt`` the
    attempts made, ``next_attempt_at`` when it is due (or the end of a deliverer's claim on
    it), ``error``/``status_code`` the last attempt's.
    """

    __table_args__ = (
        Index("ix_webhookdelivery_workspace_created", "workspace_id", "created_at"),
        Index("ix_webhookdelivery_due", "state", "next_attempt_at"),
        UniqueConstraint("subscription_id", "event_id", "replay"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    handoff_id: int | None = Field(default=None, foreign_key="handoff.id", index=True)
    subscription_id: int | None = Field(default=None, foreign_key="webhooksubscription.id")
    event_id: int | None = Field(default=None, foreign_key="event.id")
    replay: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    state: str = Field(default="", sa_column_kwargs={"server_default": ""})
    url: str
    event: str
    status_code: int | None = None
    attempt: int = 1
    ok: bool = False
    error: str = ""
    duration_ms: float = 0.0
    created_at: dt.datetime = Field(default_factory=utcnow)
    next_attempt_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
