"""The append-only event log: every action Cadenza takes is recorded with its reason."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from cadenza.store.models import Event


def record_event(*, session: Session, kind: str, workspace_id: int | None,
                 subject_type: str = "", subject_id: int | None = None,
                 **data: Any) -> Event:
    """Append one event; the caller's transaction commits it with the change it explains."""
    event = Event(workspace_id=workspace_id, kind=kind, subject_type=subject_type,
                  subject_id=subject_id, data=data)
    session.add(event)
    return event
