"""The watchers' coordination tables: one lease per mailbox, one row per live watch process.

Kept beside :mod:`cadenza.store.models` (which re-exports them) so that module stays the
pipeline's own tables.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from cadenza.store.models import utcnow


class MailboxLease(SQLModel, table=True):
    """Who watches one mailbox, until when, and under which fencing token.

    ``token`` grows by one at every acquisition and never goes back, so a write that carries
    the token it was started under can be refused once another process has taken the mailbox
    over (see :func:`cadenza.store.leases.fence`). An empty ``holder`` means released.
    """

    mailbox_id: int = Field(foreign_key="mailbox.id", primary_key=True)
    holder: str = Field(default="", max_length=200)
    token: int = 0
    expires_at: dt.datetime = Field(default_factory=utcnow)
    acquired_at: dt.datetime = Field(default_factory=utcnow)


class WatchProcess(SQLModel, table=True):
    """A running ``cadenza watch`` (or ``cadenza run``): its heartbeat tells the others it is
    alive, so each can take its fair share of the mailboxes."""

    id: str = Field(primary_key=True, max_length=200)
    host: str = Field(default="", max_length=255)
    pid: int = 0
    started_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime = Field(default_factory=utcnow, index=True)
