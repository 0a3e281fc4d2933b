"""Webhook subscriptions and their delivery log, the same for ``cadenza webhooks`` and
``/api/webhooks``: add, change, remove, list, replay, test.

A subscription names a URL, the secret that signs its deliveries by reference (``env:NAME`` or
``file:/path``: the secret itself is never stored or shown) and the event types it wants (none:
every type). A refusal is an :class:`~cadenza.errors.InputError` naming the field; every change
is an event naming who made it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, col, select

from cadenza.errors import InputError, NotFoundError
from cadenza.event_types import PUBLIC_KINDS, EventType
from cadenza.store.events import record_event
from cadenza.store.webhook_tables import WebhookDelivery, WebhookSubscription
from cadenza.store.webhooks import (
    cancel_pending,
    events_since,
    next_replay,
    queue_deliveries,
    wants,
)

#: Printable ASCII after ``file:/``: the same set for Python, pydantic's and a client's
#: (ECMAScript) regex engines, whose ideas of "whitespace" differ.
_REFERENCE_PATTERN = r"^(?:env:[A-Za-z_][A-Za-z0-9_]*|file:/[!-~]+)$"
_REFERENCE = re.compile(_REFERENCE_PATTERN)
#: The pattern is documented in the schema but checked by :func:`check_secret`: a refused
#: value must not be echoed back in the error (it may be the secret itself).
SecretRef = Annotated[str, Field(min_length=5, max_length=500,
                                 description="env:NAME or file:/path, never the secret",
                                 json_schema_extra={"pattern": _REFERENCE_PATTERN})]
Url = Annotated[str, Field(min_length=10, max_length=2000,
                           pattern=r"^https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[!-~]*)?$",
                           description="https:// (plain http:// outside production)")]
#: One event type, or ``*`` for every type (one literal, so a refusal names just the item).
TypeName = Literal[EventType, "*"]
Types = Annotated[list[TypeName], Field(
    default_factory=list, max_length=len(PUBLIC_KINDS), description="empty or [\"*\"]: every type")]


class WebhookIn(BaseModel):
    """A new subscription."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"url": "https://crm.example/hooks/cadenza", "secret": "env:CRM_WEBHOOK_SECRET",
         "event_types": ["touch.sent", "reply.classified", "meeting.booked"],
         "description": "CRM automations"}]})

    url: Url
    secret: SecretRef
    event_types: Types
    description: Annotated[str, Field(max_length=200)] = ""
    active: bool = True

    @field_validator("event_types")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return known_types(value)


class WebhookPatch(BaseModel):
    """The fields to change (the rest stays as it is)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"active": False}, {"event_types": ["handoff.created", "handoff.sla_breached"]}]})

    url: Url | None = None
    secret: SecretRef | None = None
    event_types: Annotated[list[TypeName], Field(
        max_length=len(PUBLIC_KINDS))] | None = None
    description: Annotated[str, Field(max_length=200)] | None = None
    active: bool | None = None

    @field_validator("event_types")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else known_types(value)


class WebhookPublic(BaseModel):
    """A subscription as it is shown: the secret's reference, never the secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    secret: str = Field(validation_alias="secret_ref")
    event_types: list[str]
    description: str
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class DeliveryPublic(BaseModel):
    """One delivery of an event to a subscription: its state, attempts and last error."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: int | None
    event_id: int | None
    event: str
    replay: int = Field(description="0: the first delivery of the event; n: the n-th replay")
    state: str = Field(description="pending, delivered or failed")
    attempts: int = Field(validation_alias="attempt")
    status_code: int | None
    error: str
    duration_ms: float
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


def known_types(value: list[str]) -> list[str]:
    """The event types, each one of the catalogue's (``*``: every type)."""
    if "*" in value:
        return []
    unknown = [v for v in value if v not in PUBLIC_KINDS]
    if unknown:
        raise ValueError(f"unknown event type {unknown[0]!r} (known: "
                         f"{', '.join(sorted(PUBLIC_KINDS))})")
    return sorted(set(value))


def check_url(url: str, *, allow_http: bool) -> str:
    """An absolute http(s) URL; plain http only where ``allow_http`` (not in production)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InputError(f"url must be an absolute https:// URL, not {url[:100]!r}", field="url")
    if parts.scheme == "http" and not allow_http:
        raise InputError("url must be https:// in production (the events carry prospect "
                         "data)", field="url")
    if parts.username or parts.password:
        raise InputError("url must not carry credentials: sign with the secret instead",
                         field="url")
    return url


def check_secret(reference: str) -> str:
    """A secret reference (``env:NAME``, ``file:/path``); the refusal does not repeat it."""
    if not _REFERENCE.fullmatch(reference):
        raise InputError("secret must be a reference, env:NAME or file:/path (the secret itself "
                         "is never stored)", field="secret")
    return reference


def validated(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """``data`` as ``model`` (the CLI's way in), a refusal naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "body"
        raise InputError(f"{where}: {first['msg']}", field=where) from None


def add_webhook(session: Session, workspace_id: int, data: WebhookIn, *, by: str,
                now: dt.datetime, allow_http: bool) -> WebhookSubscription:
    """Store a new subscription; it receives the events logged from now on."""
    row = WebhookSubscription(workspace_id=workspace_id,
                              url=check_url(data.url, allow_http=allow_http),
                              secret_ref=check_secret(data.secret),
                              event_types=[str(t) for t in data.event_types],
                              description=data.description, active=data.active,
                              created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    record_event(session=session, kind="webhook.added", workspace_id=workspace_id,
                 subject_type="webhooksubscription", subject_id=row.id, by=by, url=row.url,
                 event_types=row.event_types)
    return row


def get_webhook(session: Session, workspace_id: int, webhook_id: int) -> WebhookSubscription:
    """A live subscription of the workspace; another workspace's or a removed one is not found."""
    row = session.get(WebhookSubscription, webhook_id)
    if row is None or row.workspace_id != workspace_id or row.removed_at is not None:
        raise NotFoundError(f"no webhook {webhook_id} in this workspace")
    return row


def list_webhooks(session: Session, workspace_id: int) -> list[WebhookSubscription]:
    return list(session.exec(select(WebhookSubscription).where(
        WebhookSubscription.workspace_id == workspace_id,
        col(WebhookSubscription.removed_at).is_(None)).order_by(col(WebhookSubscription.id))))


def change_webhook(session: Session, workspace_id: int, webhook_id: int, data: WebhookPatch, *,
                   by: str, now: dt.datetime, allow_http: bool) -> WebhookSubscription:
    """Change the fields given; turning a subscription off keeps its pending deliveries for
    when it is turned on again."""
    row = get_webhook(session, workspace_id, webhook_id)
    changes = data.model_dump(exclude_none=True)
    if "url" in changes:
        row.url = check_url(changes["url"], allow_http=allow_http)
    if "secret" in changes:
        row.secret_ref = check_secret(changes["secret"])
    for key in ("event_types", "description", "active"):
        if key in changes:
            setattr(row, key, changes[key])
    row.updated_at = now
    session.add(row)
    record_event(session=session, kind="webhook.changed", workspace_id=workspace_id,
                 subject_type="webhooksubscription", subject_id=row.id, by=by,
                 changed=sorted(changes))
    session.flush()
    return row


def remove_webhook(session: Session, workspace_id: int, webhook_id: int, *, by: str,
                   now: dt.datetime) -> int:
    """Remove a subscription: nothing more is delivered to it (its pending deliveries fail,
    naming why); its delivery log stays. Returns how many were pending."""
    row = get_webhook(session, workspace_id, webhook_id)
    row.active, row.removed_at, row.updated_at = False, now, now
    session.add(row)
    cancelled = cancel_pending(session=session, subscription_id=webhook_id,
                               why=f"webhook removed by {by}")
    record_event(session=session, kind="webhook.removed", workspace_id=workspace_id,
                 subject_type="webhooksubscription", subject_id=row.id, by=by,
                 cancelled=cancelled)
    return cancelled


def list_deliveries(session: Session, workspace_id: int, webhook_id: int, *,
                    state: str | None = None, limit: int = 50,
                    offset: int = 0) -> list[WebhookDelivery]:
    """A subscription's deliveries, newest first."""
    row = session.get(WebhookSubscription, webhook_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFoundError(f"no webhook {webhook_id} in this workspace")
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == webhook_id)
    if state:
        stmt = stmt.where(WebhookDelivery.state == state)
    return list(session.exec(stmt.order_by(col(WebhookDelivery.id).desc())
                             .offset(offset).limit(limit)))


def replay_delivery(session: Session, workspace_id: int, delivery_id: int, *,
                    by: str) -> WebhookDelivery:
    """Deliver a delivery's event again to its subscription: a new delivery (its own id and
    attempts), the same event id, so the receiver can tell it has seen it."""
    old = session.get(WebhookDelivery, delivery_id)
    if old is None or old.workspace_id != workspace_id or old.subscription_id is None \
            or old.event_id is None:
        raise NotFoundError(f"no event delivery {delivery_id} in this workspace")
    get_webhook(session, workspace_id, old.subscription_id)
    replay = next_replay(session, old.subscription_id, old.event_id)
    queue_deliveries(session=session, event_id=old.event_id, kind=old.event,
                     workspace_id=workspace_id, subscription_id=old.subscription_id,
                     replay=replay)
    new = session.exec(select(WebhookDelivery).where(
        WebhookDelivery.subscription_id == old.subscription_id,
        WebhookDelivery.event_id == old.event_id, WebhookDelivery.replay == replay)).first()
    if new is None:  # the subscription is switched off: queue_deliveries skips it
        raise InputError(f"webhook {old.subscription_id} is not active: turn it on to replay")
    record_event(session=session, kind="webhook.replayed", workspace_id=workspace_id,
                 subject_type="webhookdelivery", subject_id=new.id, by=by,
                 replay_of=delivery_id, event_id=old.event_id)
    return new


def replay_since(session: Session, workspace_id: int, since: dt.datetime, *, by: str,
                 webhook_id: int | None = None) -> int:
    """Deliver again every event logged since ``since`` to each active subscription that
    wants it (or to the one given); returns how many deliveries were queued."""
    hooks = ([get_webhook(session, workspace_id, webhook_id)] if webhook_id is not None
             else [h for h in list_webhooks(session, workspace_id) if h.active])
    queued = 0
    for event_id, kind in events_since(session, workspace_id, since, PUBLIC_KINDS):
        for hook in hooks:
            assert hook.id is not None
            if wants(hook.event_types, kind):
                queued += queue_deliveries(session=session, event_id=event_id, kind=kind,
                                           workspace_id=workspace_id, subscription_id=hook.id,
                                           replay=next_replay(session, hook.id, event_id))
    record_event(session=session, kind="webhook.replayed", workspace_id=workspace_id,
                 subject_type="webhooksubscription", subject_id=webhook_id, by=by,
                 since=since.isoformat(), queued=queued)
    return queued


def queue_test(session: Session, workspace_id: int, webhook_id: int, *, by: str) -> int:
    """Log a ``webhook.test`` event for one subscription and queue its delivery (for it
    alone, even when switched off); returns the delivery's id. The caller commits, then has
    the deliverer send it at once (:meth:`~cadenza.webhooks.deliverer.Deliverer.run_once`
    with ``only``)."""
    from cadenza.event_types import TEST_KIND

    hook = get_webhook(session, workspace_id, webhook_id)
    event_id = record_event(session=session, kind=TEST_KIND, workspace_id=workspace_id,
                            subject_type="webhooksubscription", subject_id=webhook_id, by=by,
                            subscription_id=webhook_id)
    row = WebhookDelivery(workspace_id=workspace_id, subscription_id=webhook_id,
                          event_id=event_id, state="pending", url=hook.url, event=TEST_KIND,
                          attempt=0)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id
