"""Event webhooks over the API: subscriptions, their delivery log, replays and a test send;
and the events' JSON schemas.

The same functions as ``cadenza webhooks`` (:mod:`cadenza.webhooks.subscriptions`): a secret
is a reference, never a value, and every change is an event naming who made it. Only the test
send makes a request from here, after its transaction has committed; every other delivery is
the deliverer's (``cadenza webhooks deliver`` or ``cadenza run``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from cadenza.api.auth import Operator
from cadenza.api.invalid import from_input_error
from cadenza.api.routes_records import ERRORS, NOT_FOUND, DbDep
from cadenza.api.schemas import IdPath, Limit, Offset, Problem
from cadenza.api.unsubscribe import NowDep, get_settings
from cadenza.errors import InputError, NotFoundError
from cadenza.event_types import DOCUMENTED, json_schema
from cadenza.webhooks import subscriptions as hooks
from cadenza.webhooks.deliverer import Deliverer
from cadenza.webhooks.subscriptions import DeliveryPublic, WebhookIn, WebhookPatch, WebhookPublic

router = APIRouter(prefix="/api", responses=ERRORS)
schema_router = APIRouter(prefix="/api")
INVALID: dict[int | str, dict[str, object]] = {
    422: {"description": "A field is invalid (``loc`` names it)"}}


class ReplaySince(BaseModel):
    """Deliver again every event logged since then (to this webhook, if it wants it)."""

    model_config = {"json_schema_extra": {"examples": [{"since": "2026-12-07T00:00:00Z"}]}}

    since: dt.datetime


class Replayed(BaseModel):
    queued: int = Field(description="new deliveries queued")


class SendResult(BaseModel):
    """What the receiver answered to a test event."""

    delivery_id: int
    state: str
    status_code: int | None
    error: str
    duration_ms: float


@contextmanager
def _http() -> Iterator[None]:
    try:
        yield
    except NotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except InputError as exc:
        raise from_input_error(exc) from None


def _allow_http(request: Request) -> bool:
    return get_settings(request).environment != "production"


@router.get("/webhooks", tags=["webhooks"], response_model=list[WebhookPublic])
def list_webhooks(p: Operator, db: DbDep) -> list[WebhookPublic]:
    """The workspace's subscriptions (secret references, never secrets)."""
    with db.session() as s:
        return [WebhookPublic.model_validate(h) for h in hooks.list_webhooks(s, p.workspace_id)]


@router.post("/webhooks", tags=["webhooks"], response_model=WebhookPublic,
             status_code=status.HTTP_201_CREATED, responses=INVALID)
def add_webhook(data: WebhookIn, p: Operator, db: DbDep, now: NowDep,
                request: Request) -> WebhookPublic:
    """Subscribe a URL to the workspace's events (all types, or those named); it receives
    the events logged from now on, signed with the referenced secret."""
    with _http(), db.session() as s:
        row = hooks.add_webhook(s, p.workspace_id, data, by=p.actor, now=now,
                                allow_http=_allow_http(request))
        return WebhookPublic.model_validate(row)


@router.get("/webhooks/{webhook_id}", tags=["webhooks"], response_model=WebhookPublic,
            responses=NOT_FOUND)
def get_webhook(webhook_id: IdPath, p: Operator, db: DbDep) -> WebhookPublic:
    """One subscription."""
    with _http(), db.session() as s:
        return WebhookPublic.model_validate(hooks.get_webhook(s, p.workspace_id, webhook_id))


@router.patch("/webhooks/{webhook_id}", tags=["webhooks"], response_model=WebhookPublic,
              responses={**NOT_FOUND, **INVALID})
def patch_webhook(webhook_id: IdPath, data: WebhookPatch, p: Operator, db: DbDep, now: NowDep,
                  request: Request) -> WebhookPublic:
    """Change the fields given; ``active: false`` holds deliveries until it is true again."""
    with _http(), db.session() as s:
        row = hooks.change_webhook(s, p.workspace_id, webhook_id, data, by=p.actor, now=now,
                                   allow_http=_allow_http(request))
        return WebhookPublic.model_validate(row)


@router.delete("/webhooks/{webhook_id}", tags=["webhooks"],
               status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def remove_webhook(webhook_id: IdPath, p: Operator, db: DbDep, now: NowDep) -> None:
    """Remove a subscription: its pending deliveries fail, its delivery log stays."""
    with _http(), db.session() as s:
        hooks.remove_webhook(s, p.workspace_id, webhook_id, by=p.actor, now=now)


@router.get("/webhooks/{webhook_id}/deliveries", tags=["webhooks"],
            response_model=list[DeliveryPublic], responses=NOT_FOUND)
def list_deliveries(webhook_id: IdPath, p: Operator, db: DbDep,
                    state: Annotated[Literal["pending", "delivered", "failed"] | None,
                                     Query()] = None,
                    limit: Limit = 50, offset: Offset = 0) -> list[DeliveryPublic]:
    """The subscription's deliveries, newest first: state, attempts, last status and error."""
    with _http(), db.session() as s:
        rows = hooks.list_deliveries(s, p.workspace_id, webhook_id, state=state, limit=limit,
                                     offset=offset)
        return [DeliveryPublic.model_validate(r) for r in rows]


@router.post("/webhooks/deliveries/{delivery_id}/replay", tags=["webhooks"],
             response_model=DeliveryPublic, status_code=status.HTTP_202_ACCEPTED,
             responses={**NOT_FOUND, **INVALID})
def replay_delivery(delivery_id: IdPath, p: Operator, db: DbDep) -> DeliveryPublic:
    """Deliver a delivery's event again: a new delivery id, the same event id."""
    with _http(), db.session() as s:
        return DeliveryPublic.model_validate(
            hooks.replay_delivery(s, p.workspace_id, delivery_id, by=p.actor))


@router.post("/webhooks/{webhook_id}/replay", tags=["webhooks"], response_model=Replayed,
             status_code=status.HTTP_202_ACCEPTED, responses=NOT_FOUND)
def replay_since(webhook_id: IdPath, data: ReplaySince, p: Operator, db: DbDep) -> Replayed:
    """Deliver again to this webhook every event it wants that was logged since ``since``."""
    since = data.since if data.since.tzinfo else data.since.replace(tzinfo=dt.UTC)
    with _http(), db.session() as s:
        return Replayed(queued=hooks.replay_since(s, p.workspace_id, since, by=p.actor,
                                                  webhook_id=webhook_id))


@router.post("/webhooks/{webhook_id}/test", tags=["webhooks"], response_model=SendResult,
             responses=NOT_FOUND)
def test_webhook(webhook_id: IdPath, p: Operator, db: DbDep, request: Request) -> SendResult:
    """Send a signed ``webhook.test`` event now and say what the receiver answered (one
    attempt, no retry)."""
    with _http(), db.session() as s:
        delivery_id = hooks.queue_test(s, p.workspace_id, webhook_id, by=p.actor)
    deliverer = Deliverer(db, clock=request.app.state.clock, timeout=5.0)
    try:
        report = deliverer.run_once(only=[delivery_id], final=True)
    finally:
        deliverer.close()
    if not report.attempts:
        raise HTTPException(status.HTTP_409_CONFLICT, "the test delivery was taken by another "
                                                      "deliverer; see the delivery log")
    a = report.attempts[0]
    return SendResult(delivery_id=a.delivery_id, state=a.state, status_code=a.status_code,
                      error=a.error, duration_ms=a.duration_ms)


@schema_router.get("/events/schema", tags=["webhooks"],
                   responses={404: {"model": Problem, "description": "No such event type"}})
def event_schemas(kind: Annotated[str | None, Query(alias="type", max_length=64)] = None
                  ) -> dict[str, Any]:
    """The JSON schema of every event type a webhook receives (or of ``type``), each with an
    example. No token needed: it documents the contract, it holds no data."""
    if kind is not None and kind not in DOCUMENTED:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no event type {kind!r}")
    kinds = [kind] if kind is not None else sorted(DOCUMENTED)
    return {kind: json_schema(kind) for kind in kinds}
