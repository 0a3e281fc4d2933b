"""A workspace with a prospect and a rep, subscriptions, and events to deliver."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx
from sqlmodel import col, select

from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import Prospect, Rep, WebhookDelivery
from cadenza.store.workspaces import ensure_workspace
from cadenza.webhooks.deliverer import Deliverer, RetryPolicy
from cadenza.webhooks.subscriptions import WebhookIn, add_webhook

from support.clock import MONDAY, Clock

SECRET = "whsec-test-4f1c9a"


@dataclass
class Hooked:
    db: Database
    workspace_id: int
    prospect_id: int
    rep_id: int


def hooked(db: Database) -> Hooked:
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme")
        assert ws.id is not None
        p = Prospect(workspace_id=ws.id, external_id="crm-7", email="dana@kestrel.example",
                     first_name="Dana", last_name="Ruiz", company="Kestrel Freight",
                     company_domain="kestrel.example", country="US")
        r = Rep(workspace_id=ws.id, name="Ana Lopez", email="ana@agency.example")
        s.add(p)
        s.add(r)
        s.flush()
        assert p.id is not None and r.id is not None
        return Hooked(db=db, workspace_id=ws.id, prospect_id=p.id, rep_id=r.id)


def subscribe(world: Hooked, url: str, *, types: list[str] | None = None,
              secret: str = "env:CADENZA_TEST_HOOK_SECRET") -> int:
    with world.db.session() as s:
        row = add_webhook(s, world.workspace_id,
                          WebhookIn(url=url, secret=secret, event_types=types or []),
                          by="test", now=MONDAY, allow_http=True)
        assert row.id is not None
        return row.id


def handoff_created(world: Hooked, handoff_id: int = 5, **extra: object) -> int:
    """Log a ``handoff.created`` event (as the reply policy does), committed."""
    with world.db.session() as s:
        return record_event(session=s, kind="handoff.created", workspace_id=world.workspace_id,
                            subject_type="handoff", subject_id=handoff_id,
                            handoff_id=handoff_id, prospect_id=world.prospect_id,
                            intent="interested", priority=2, reply_id=None, **extra)


def deliverer(db: Database, clock: Clock, *, timeout: float = 5.0,
              max_attempts: int = 10) -> Deliverer:
    return Deliverer(db, clock=clock, client=httpx.Client(timeout=timeout),
                     timeout=timeout, retry=RetryPolicy(max_attempts=max_attempts),
                     rng=random.Random(7))


def deliveries(world: Hooked) -> list[WebhookDelivery]:
    with world.db.session() as s:
        return list(s.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))))
