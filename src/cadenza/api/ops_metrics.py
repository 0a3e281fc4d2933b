"""``GET /metrics``: the service's state in Prometheus' text format, for whoever runs it.

Read from the database, not from counters in this process: workers, watchers and the API run
as separate processes (often on several machines), and only the database sees all of them.
So one scrape of any API process shows the whole deployment — touches by state, the due queue,
replies stored but not yet processed and how old the oldest is (the watchers' lag), each IMAP
folder's last sync, delivery and mailbox errors in the last hour, LLM tokens spent, and the
watch processes: which are alive, how many mailboxes each holds, and any mailbox nobody watches
(the lease table, :mod:`cadenza.store.leases`).

It names workspaces (the agency's clients) but no prospect, reply or secret. It needs its own
bearer token, ``CADENZA_METRICS_TOKEN`` (a scraper is not an operator of any workspace); with
none configured the endpoint does not exist (404), so nothing is exposed by default.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import PlainTextResponse
from sqlalchemy import func, select, true
from sqlmodel import Session, col

from cadenza.states import EnrollmentState, ReplyState
from cadenza.store.models import (
    Enrollment,
    Event,
    FolderCursor,
    Handoff,
    Mailbox,
    MailboxLease,
    Reply,
    Touch,
    WatchProcess,
)
from cadenza.store.models import Workspace as Ws

router = APIRouter(include_in_schema=False)

#: Event kinds that mean a delivery or a mailbox went wrong (counted over the last hour).
ERROR_EVENTS = ("touch.failed", "delivery.refused", "touch.refused_at_send", "mailbox.disabled",
                "mailbox.rested", "notification.failed", "handoff.intro_failed",
                "deliverability_alert", "webhook.failed")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _authorize(request: Request) -> None:
    token = request.app.state.settings.metrics_token
    if token is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
    given = request.headers.get("authorization", "")
    expected = f"Bearer {token.get_secret_value()}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a metrics token is required",
                            headers={"WWW-Authenticate": "Bearer"})


@router.get("/metrics")
def metrics(request: Request) -> PlainTextResponse:
    """Every family below, computed in one read-only session."""
    _authorize(request)
    now: dt.datetime = request.app.state.clock()
    with request.app.state.db.session() as session:
        text = render(collect(session, now=now))
    return PlainTextResponse(text, media_type=CONTENT_TYPE)


Sample = tuple[dict[str, str], float]
Family = tuple[str, str, str, list[Sample]]  # name, type, help, samples


def collect(session: Session, *, now: dt.datetime) -> list[Family]:
    """The metric families, as plain data (``render`` writes the text format)."""

    def rows(stmt: Any) -> list[Any]:
        return list(session.execute(stmt).all())

    slugs = dict(rows(select(col(Ws.id), col(Ws.slug))))

    def per_workspace(found: list[Any], label: str | None = None) -> list[Sample]:
        out: list[Sample] = []
        for row in found:
            labels = {"workspace": slugs.get(row[0], str(row[0]))}
            if label is not None:
                labels[label] = str(row[1] or "")
            out.append((labels, float(row[-1])))
        return out

    def counted(column: Any, *, by: Any = None, where: Any = None) -> list[Any]:
        table = column.table
        keys = [table.c.workspace_id] + ([by] if by is not None else [])
        return rows(select(*keys, func.count()).where(where if where is not None else true())
                    .group_by(*keys))

    stored = (ReplyState.STORED, ReplyState.PROCESSING)
    waiting = col(Reply.state).in_(stored)
    oldest = session.execute(select(func.min(col(Reply.received_at))).where(waiting)).scalar()
    lag = max(0.0, (now - _aware(oldest)).total_seconds()) if oldest is not None else 0.0
    due = ((col(Enrollment.state) == EnrollmentState.ACTIVE)
           & (col(Enrollment.next_due_at) <= now) & col(Enrollment.claimed_at).is_(None))
    errors = col(Event.kind).in_(ERROR_EVENTS) & (col(Event.at) >= now - dt.timedelta(hours=1))
    cursors = rows(select(col(Mailbox.email), col(FolderCursor.folder),
                          col(FolderCursor.updated_at))
                   .join(Mailbox, col(Mailbox.id) == col(FolderCursor.mailbox_id)))
    tokens = rows(select(col(Touch.workspace_id),
                         func.coalesce(func.sum(col(Touch.input_tokens)), 0),
                         func.coalesce(func.sum(col(Touch.output_tokens)), 0))
                  .group_by(col(Touch.workspace_id)))
    live = rows(select(col(WatchProcess.id), col(WatchProcess.host))
                .where(col(WatchProcess.expires_at) >= now))
    held = dict(rows(select(col(MailboxLease.holder), func.count())
                     .where(col(MailboxLease.holder) != "", col(MailboxLease.expires_at) >= now)
                     .group_by(col(MailboxLease.holder))))
    watched = set(session.execute(select(col(MailboxLease.mailbox_id)).where(
        col(MailboxLease.holder) != "", col(MailboxLease.expires_at) >= now)).scalars())
    watchable = rows(select(col(Mailbox.id), col(Mailbox.email))
                     .where(col(Mailbox.active) == true(), col(Mailbox.imap_host) != ""))
    return [
        ("cadenza_watch_processes", "gauge",
         "Watch processes alive (their heartbeat has not expired).", [({}, float(len(live)))]),
        ("cadenza_watch_mailboxes_held", "gauge",
         "Mailboxes each live watch process holds the lease of.",
         [({"process": pid, "host": host}, float(held.get(pid, 0))) for pid, host in live]),
        ("cadenza_mailbox_watched", "gauge",
         "Each active IMAP mailbox: 1 while a watch process holds its lease, else 0.",
         [({"mailbox": email}, 1.0 if mailbox_id in watched else 0.0)
          for mailbox_id, email in watchable]),
        ("cadenza_touches", "gauge", "Touches by state (the outbox, all steps).",
         per_workspace(counted(col(Touch.id), by=col(Touch.state)), "state")),
        ("cadenza_due_enrollments", "gauge",
         "Active enrollments whose next step is due now (the workers' queue depth).",
         per_workspace(counted(col(Enrollment.id), where=due))),
        ("cadenza_replies_unprocessed", "gauge",
         "Replies stored but not yet classified and acted on.",
         per_workspace(counted(col(Reply.id), where=waiting))),
        ("cadenza_watch_lag_seconds", "gauge",
         "Age of the oldest reply stored but not processed (0 when none waits).",
         [({}, lag)]),
        ("cadenza_imap_folder_sync_age_seconds", "gauge",
         "Seconds since a watcher last advanced each mailbox folder's cursor.",
         [({"mailbox": email, "folder": folder}, max(0.0, (now - _aware(at)).total_seconds()))
          for email, folder, at in cursors]),
        ("cadenza_errors_last_hour", "gauge",
         "Delivery, mailbox and notification errors recorded in the last hour, by kind.",
         per_workspace(counted(col(Event.id), by=col(Event.kind), where=errors), "kind")),
        ("cadenza_handoffs", "gauge", "Handoffs by state.",
         per_workspace(counted(col(Handoff.id), by=col(Handoff.state)), "state")),
        ("cadenza_llm_tokens", "counter", "LLM tokens spent drafting, by direction.",
         [({"workspace": slugs.get(ws, str(ws)), "direction": direction}, float(value))
          for ws, tokens_in, tokens_out in tokens
          for direction, value in (("input", tokens_in), ("output", tokens_out))]),
        ("cadenza_mailboxes_active", "gauge", "Mailboxes in rotation (1) or disabled (0).",
         [({"mailbox": email}, 1.0 if active else 0.0)
          for email, active in rows(select(col(Mailbox.email), col(Mailbox.active)))]),
        ("cadenza_mailboxes_resting", "gauge",
         "Mailboxes resting after a bounce or complaint spike (1) or not (0).",
         [({"mailbox": email}, 1.0 if reason and (until is None or _aware(until) > now)
           else 0.0) for email, reason, until in rows(select(
               col(Mailbox.email), col(Mailbox.rest_reason), col(Mailbox.rested_until)))]),
    ]


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render(families: list[Family]) -> str:
    """Prometheus text exposition format 0.0.4."""
    lines: list[str] = []
    for name, kind, help_text, samples in families:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        suffix = "_total" if kind == "counter" else ""
        for labels, value in samples:
            tags = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
            lines.append(f"{name}{suffix}{{{tags}}} {value:g}" if tags
                         else f"{name}{suffix} {value:g}")
    return "\n".join(lines) + "\n"
