"""The data model (sqlmodel tables).

Time columns hold timezone-aware UTC datetimes (sqlmodel refuses naive ones); JSON columns hold
plain dicts/lists. The event table is append-only: migrations add triggers that refuse UPDATE
and DELETE on it, on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from sqlalchemy import (
    JSON,
    BindParameter,
    Column,
    ColumnElement,
    Index,
    LargeBinary,
    UniqueConstraint,
    any_,
    bindparam,
    event,
    literal,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Aware UTC now: the one time representation in the database."""
    return dt.datetime.now(dt.UTC)


def _json(default: Any = None) -> Any:
    return Field(default_factory=(dict if default is None else default), sa_column=Column(JSON))


class Workspace(SQLModel, table=True):
    """One client of an agency: its own mailboxes, reps, playbooks, suppression list, sender."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    name: str
    sender: dict[str, Any] = _json()
    settings: dict[str, Any] = _json()
    created_at: dt.datetime = Field(default_factory=utcnow)


class Mailbox(SQLModel, table=True):
    """A sending identity; passwords are references (``env:NAME``, ``file:/path``), not values."""

    __table_args__ = (UniqueConstraint("workspace_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    email: str
    display_name: str = ""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str = ""
    smtp_password_ref: str = ""
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "tls"
    imap_username: str = ""
    imap_password_ref: str = ""
    imap_folders: list[str] = _json(list)
    sent_folder: str = ""
    daily_cap: int = 40
    send_window_start: str = "08:30"
    send_window_end: str = "17:30"
    min_gap_seconds: int = 90
    #: The random part of the gap: each send waits min_gap + uniform(0, jitter) seconds.
    jitter_seconds: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    #: When this mailbox may send next (shared by every worker; see the scheduler).
    next_send_at: dt.datetime | None = None
    active: bool = True
    #: The warm-up's day 0 (NULL: warmed up; see :mod:`cadenza.mailbox.warmup`).
    warmup_started_at: dt.datetime | None = None
    #: This mailbox's own warm-up schedule (NULL: the workspace's ``warmup`` policy).
    warmup_start_per_day: int | None = None
    warmup_increase_per_day: int | None = None
    #: Why it rests (empty: it does not; see :mod:`cadenza.mailbox.resting`).
    rest_reason: str = Field(default="", sa_column_kwargs={"server_default": ""})
    rested_at: dt.datetime | None = None
    #: When the rest ends by itself (NULL while resting: when an operator ends it).
    rested_until: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)


class Rep(SQLModel, table=True):
    """A human sales rep who receives handoffs."""

    __table_args__ = (UniqueConstraint("workspace_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str
    email: str
    timezone: str = "UTC"
    languages: list[str] = _json(list)
    territories: list[str] = _json(list)
    working_hours: dict[str, Any] = _json()
    capacity: int = 20
    weight: float = 1.0
    away: bool = False
    active: bool = True
    created_at: dt.datetime = Field(default_factory=utcnow)


class Prospect(SQLModel, table=True):
    """A person to contact. ``email`` is stored normalised (lower-case); unique per workspace."""

    __table_args__ = (
        UniqueConstraint("workspace_id", "email"),
        Index("ix_prospect_workspace_external", "workspace_id", "external_id"),
        Index("ix_prospect_workspace_domain", "workspace_id", "company_domain"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    external_id: str = ""
    email: str
    email_status: str = "valid"
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company: str = ""
    company_domain: str = ""
    industry: str = ""
    company_size: int | None = None
    country: str = ""
    timezone: str = ""
    linkedin_url: str = ""
    language: str = ""
    owner_rep_id: int | None = Field(default=None, foreign_key="rep.id")
    source: str = ""
    content_hash: str = ""
    extra: dict[str, Any] = _json()
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Fact(SQLModel, table=True):
    """A research fact about a prospect; ``key`` is the id from the import file (``f1``)."""

    __table_args__ = (UniqueConstraint("prospect_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    prospect_id: int = Field(foreign_key="prospect.id", index=True)
    key: str
    kind: str
    text: str
    date: dt.date | None = None
    source: str = ""


class Playbook(SQLModel, table=True):
    """A cadence definition, stored by content hash so an edit is a new version."""

    __table_args__ = (UniqueConstraint("workspace_id", "name", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str
    content_hash: str = Field(max_length=64)
    definition: dict[str, Any] = _json()
    source_yaml: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)


#: Percent of each enrollment page filled by inserts (PostgreSQL): the rest is room for the
#: claim's in-place (HOT) update of the row.
ENROLLMENT_FILLFACTOR = 90


def _partial(condition: str) -> dict[str, Any]:
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


_Inlined = TypeVar("_Inlined", str, int)


def inline(value: _Inlined) -> BindParameter[_Inlined]:
    """``value`` written into the statement rather than bound: a query on a partial index's
    predicate (``state = 'active'``) then uses the index on SQLite and on a generic plan."""
    return literal(value, literal_execute=True)


def among(column: ColumnElement[Any] | Mapped[Any], values: Iterable[Any], *,
          sqlite: bool) -> ColumnElement[bool]:
    """``column IN values``. On PostgreSQL the values travel as one array parameter
    (``= ANY(:array)``), so the statement's text is the same whatever their number: psycopg
    converts it once and keeps it, where an ``IN`` list of a hundred ids was a new statement
    of a hundred parameters to expand, split and convert on every claim (about a quarter of
    the claim's time, ``cadenza bench claim``). SQLite has no arrays and gets the list."""
    listed = list(values)
    expr = cast(ColumnElement[Any], column)  # an ORM attribute compares as its column
    if sqlite:
        return expr.in_(listed)
    array = ARRAY(expr.type)
    return expr == any_(bindparam(None, listed, type_=array))


class Enrollment(SQLModel, table=True):
    """One prospect running through one playbook.

    States (:class:`cadenza.states.EnrollmentState`): ``active`` (a step is due at
    ``next_due_at``), ``paused`` (until ``paused_until``), ``waiting`` (for a person's triage
    decision), ``completed`` (agent steps done, handed to a rep step), ``stopped`` (reply,
    opt-out, bounce, operator), ``skipped`` (no agent step reached the prospect), ``failed``.
    ``attempt`` is the delivery attempt of ``next_step`` that is due (above 1 after a soft bounce).
    An active enrollment is in flight (its touch claimed by a worker) while ``claimed_at`` is
    set; ``next_due_at`` keeps the due time the claim took, and writing one ends the claim.
    """

    __table_args__ = (
        # partial on state and next_due_at only (m17c): the claim writes neither, so that
        # PostgreSQL can mark a row in flight in place (HOT, m18c); claimed_at must never
        # enter an index of this table
        Index("ix_enrollment_due", "next_due_at",
              **_partial("state = 'active' AND next_due_at IS NOT NULL")),
        Index("ix_enrollment_paused", "paused_until", **_partial("state = 'paused'")),
        Index("ix_enrollment_waiting", "prospect_id", **_partial("state = 'waiting'")),
        Index("ix_enrollment_workspace_prospect", "workspace_id", "prospect_id"),
        # the rotation's count of first touches given to each mailbox (m19a)
        Index("ix_enrollment_assigned", "mailbox_id", "next_due_at",
              **_partial("state = 'active' AND next_step = 1 AND attempt = 1 "
                         "AND mailbox_id IS NOT NULL")),
        # room on each page for the claim's in-place update (m18c)
        {"postgresql_with": {"fillfactor": ENROLLMENT_FILLFACTOR}},
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    prospect_id: int = Field(foreign_key="prospect.id")
    playbook_id: int = Field(foreign_key="playbook.id")
    mailbox_id: int | None = Field(default=None, foreign_key="mailbox.id")
    state: str = "active"
    next_step: int = 1
    attempt: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    next_due_at: dt.datetime | None = None
    started_at: dt.datetime = Field(default_factory=utcnow)
    paused_until: dt.datetime | None = None
    stop_reason: str = ""
    thread_message_id: str = ""
    thread_subject: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    #: When a worker's claim took the due step (None when no claim holds it). The claim sets
    #: this instead of clearing ``next_due_at``, which would move the row in every index.
    claimed_at: dt.datetime | None = None


@event.listens_for(Enrollment.next_due_at, "set")
def _due_time_ends_the_claim(target: Enrollment, value: Any, old: Any, initiator: Any) -> None:
    """Whoever writes a due time (a put-off, a resume, a release) makes the step claimable
    again, as clearing ``next_due_at`` used to be the claim; statements that write
    ``next_due_at`` without the ORM clear ``claimed_at`` themselves."""
    target.claimed_at = None


class Touch(SQLModel, table=True):
    """One delivery of a step; its row is also the outbox: unique on (enrollment, step, attempt).

    Written (with its deterministic Message-ID) *before* the SMTP call, so recovery after a crash
    can tell "maybe sent" from "never tried" and never send twice. ``attempt`` is 1 except for
    a step delivered again after a soft bounce: a new row, so the sent one stays as it was.
    """

    __table_args__ = (UniqueConstraint("enrollment_id", "step", "attempt"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    enrollment_id: int = Field(foreign_key="enrollment.id")
    prospect_id: int = Field(foreign_key="prospect.id", index=True)
    step: int
    attempt: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    channel: str
    #: The A/B variant of the step this touch ran ("" when the step has none).
    variant: str = Field(default="", sa_column_kwargs={"server_default": ""})
    owner: str = "agent"
    state: str = "pending"
    to_address: str = ""
    subject: str = ""
    body: str = ""
    html: str = ""
    fact_ids: list[str] = _json(list)
    checks: dict[str, Any] = _json()
    message_id: str = Field(default="", index=True)
    in_reply_to: str = ""
    references: str = ""
    drafter: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    attempts: int = 0
    reason: str = ""
    approved_by: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    sending_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    #: The worker that claimed the touch (a :class:`Worker` row), and when: a claimed touch
    #: that has not gone out yet still counts against its mailbox's caps, and another worker
    #: settles it if this one dies.
    worker_id: int | None = Field(default=None, index=True)
    claimed_at: dt.datetime | None = None


_touch = Touch.__table__.c  # type: ignore[attr-defined]
#: The caps' 24 h windows (migration m17w): sent, in flight and claimed touches by their time,
#: each a small partial index the send-time check reads instead of the whole touch table.
CAP_WINDOW_INDEXES = (
    Index("ix_touch_sent_window", _touch.sent_at, **_partial("state = 'sent'")),
    Index("ix_touch_sending_window", _touch.sending_at, **_partial("state = 'sending'")),
    Index("ix_touch_claimed_at", _touch.claimed_at, **_partial("claimed_at IS NOT NULL")),
    # held because its delivery is unknown: it may have gone out, so it counts (m17u)
    Index("ix_touch_unconfirmed_window", _touch.sending_at,
          **_partial("state = 'held' AND reason = 'delivery_unconfirmed'")),
)


class Worker(SQLModel, table=True):
    """A ``cadenza worker`` process sharing the database with others.

    While alive it holds a PostgreSQL session advisory lock on its id; when another worker can
    take that lock, the process is gone (PostgreSQL drops a dead session's locks) and its
    claimed touches are settled (:mod:`cadenza.agent.workers`). Ids are never reused.
    """

    id: int | None = Field(default=None, primary_key=True)
    host: str = ""
    pid: int = 0
    started_at: dt.datetime = Field(default_factory=utcnow)
    stopped_at: dt.datetime | None = None
    #: "stopped" (shut down cleanly) or "dead" (found gone by another worker).
    how: str = ""


class Reply(SQLModel, table=True):
    """An inbound message, stored raw before anything else happens to it."""

    __table_args__ = (
        UniqueConstraint("mailbox_id", "folder", "uidvalidity", "uid"),
        Index("ix_reply_state", "state"),
        Index("ix_reply_touch", "touch_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    mailbox_id: int | None = Field(default=None, foreign_key="mailbox.id")
    folder: str = "INBOX"
    uidvalidity: int = 0
    uid: int = 0
    message_id: str = Field(default="", index=True)
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    state: str = "stored"
    from_address: str = ""
    subject: str = ""
    text: str = ""
    sent_at: dt.datetime | None = None
    touch_id: int | None = Field(default=None, foreign_key="touch.id")
    prospect_id: int | None = Field(default=None, foreign_key="prospect.id")
    thread_method: str = ""
    intent: str = ""
    confidence: float = 0.0
    fields: dict[str, Any] = _json()
    classifier: str = ""
    action: str = ""
    error: str = ""
    received_at: dt.datetime = Field(default_factory=utcnow)
    processed_at: dt.datetime | None = None


class Suppression(SQLModel, table=True):
    """An address or a domain that must never be contacted again."""

    __table_args__ = (UniqueConstraint("workspace_id", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    value: str
    kind: str = "address"
    reason: str = "manual"
    source: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)


class Handoff(SQLModel, table=True):
    """A ticket in a rep's queue: ``new → accepted → contacted → meeting_booked | …``."""

    __table_args__ = (
        Index("ix_handoff_rep_state", "rep_id", "state"),
        # the rep's and the operator's queues: open tickets by priority, then SLA deadline
        Index("ix_handoff_rep_queue", "rep_id", "state", "priority", "sla_due_at"),
        Index("ix_handoff_workspace_queue", "workspace_id", "state", "priority", "sla_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    prospect_id: int = Field(foreign_key="prospect.id")
    enrollment_id: int | None = Field(default=None, foreign_key="enrollment.id")
    reply_id: int | None = Field(default=None, foreign_key="reply.id")
    rep_id: int | None = Field(default=None, foreign_key="rep.id")
    queue: str = "rep"
    state: str = "new"
    priority: int = 0
    intent: str = ""
    confidence: float = 0.0
    fields: dict[str, Any] = _json()
    summary: str = ""
    suggested_reply: str = ""
    route_reason: str = ""
    sla_due_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    routed_at: dt.datetime | None = None
    accepted_at: dt.datetime | None = None
    contacted_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


class ApiToken(SQLModel, table=True):
    """An API token, stored as a SHA-256 hash, scoped to a workspace and a role.

    A row with ``session_of`` is a web session opened by logging in with that token: it is
    accepted only from the session cookie, only while its token is, and logging out revokes it.
    """

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    role: str = "operator"
    rep_id: int | None = Field(default=None, foreign_key="rep.id")
    name: str = ""
    token_hash: str = Field(index=True, unique=True, max_length=64)
    revoked: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    session_of: int | None = Field(default=None, foreign_key="apitoken.id", index=True)


class Event(SQLModel, table=True):
    """The append-only event log: every state change and every action, with its reason."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", index=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(index=True)
    subject_type: str = ""
    subject_id: int | None = None
    data: dict[str, Any] = _json()


class FolderCursor(SQLModel, table=True):
    """Where the watcher is in one IMAP folder: UIDVALIDITY and the highest UID stored."""

    __table_args__ = (UniqueConstraint("mailbox_id", "folder"),)

    id: int | None = Field(default=None, primary_key=True)
    mailbox_id: int = Field(foreign_key="mailbox.id")
    folder: str = "INBOX"
    uidvalidity: int = 0
    last_uid: int = 0
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Task(SQLModel, table=True):
    """Work for a person: a LinkedIn note to send by hand, a call to make, a triage decision."""

    __table_args__ = (Index("ix_task_workspace_kind_state", "workspace_id", "kind", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    kind: str
    state: str = "open"
    touch_id: int | None = Field(default=None, foreign_key="touch.id")
    reply_id: int | None = Field(default=None, foreign_key="reply.id")
    prospect_id: int | None = Field(default=None, foreign_key="prospect.id")
    title: str = ""
    body: str = ""
    link: str = ""
    data: dict[str, Any] = _json()
    done_by: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    done_at: dt.datetime | None = None


# The webhook, lease and dashboard tables live in their own modules (this one holds the
# pipeline's tables); imported here, last, so that importing the models registers them too and
# old imports keep working.
from cadenza.store.lease_tables import MailboxLease as MailboxLease  # noqa: E402
from cadenza.store.lease_tables import WatchProcess as WatchProcess  # noqa: E402
from cadenza.store.metrics_tables import MetricsChange as MetricsChange  # noqa: E402
from cadenza.store.metrics_tables import MetricsPartial as MetricsPartial  # noqa: E402
from cadenza.store.webhook_tables import WebhookDelivery as WebhookDelivery  # noqa: E402
from cadenza.store.webhook_tables import WebhookSubscription as WebhookSubscription  # noqa: E402
