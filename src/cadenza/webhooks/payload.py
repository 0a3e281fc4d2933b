"""The body of one event delivery, built from the logged event when it is sent.

The event row says what happened, with ids; the prospect and rep blocks are read by those ids
at delivery time (a CRM matches on the prospect's current address and external id). Whatever
else the event row holds — reasons, notes, excerpts — is dropped by the type's model
(:mod:`cadenza.event_types`), so no reply text and no secret can reach a receiver.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from cadenza.errors import NotFoundError
from cadenza.event_types import envelope
from cadenza.store.models import Event, Prospect, Rep, Workspace


def event_body(session: Session, event_id: int) -> bytes:
    """The signed bytes of the event's delivery: compact JSON, UTF-8."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError(f"event {event_id} does not exist")
    workspace = session.get(Workspace, event.workspace_id) if event.workspace_id else None
    data = dict(event.data or {})
    prospect_id = data.get("prospect_id")
    if isinstance(prospect_id, int):
        prospect = session.get(Prospect, prospect_id)
        data["prospect"] = _prospect(prospect) if prospect is not None else None
    rep_id = data.get("rep_id")
    if isinstance(rep_id, int):
        rep = session.get(Rep, rep_id)
        data["rep"] = ({"id": rep.id, "name": rep.name, "email": rep.email}
                       if rep is not None else None)
    body = envelope(event_id=event_id, kind=event.kind, at=event.at,
                    workspace=workspace.slug if workspace is not None else "", data=data)
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _prospect(p: Prospect) -> dict[str, Any]:
    return {"id": p.id, "external_id": p.external_id, "email": p.email,
            "first_name": p.first_name, "last_name": p.last_name, "title": p.title,
            "company": p.company, "company_domain": p.company_domain, "country": p.country}
