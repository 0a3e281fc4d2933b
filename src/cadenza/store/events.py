"""The append-only event log: every action Cadenza takes is recorded with its reason.

An event of a public type (:data:`cadenza.event_types.PUBLIC_KINDS`) is also queued, in the
same statement's transaction, for every active webhook subscription of its workspace that
wants it (:func:`cadenza.store.webhooks.queue_deliveries`): the transaction that changes a row
logs the event and its deliveries together, so a rollback emits nothing and a commit loses
nothing, and no caller ever makes a network call (the deliverer does, afterwards).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert
from sqlmodel import Session

from cadenza.event_types import PUBLIC_KINDS
from cadenza.store.models import Event, utcnow
from cadenza.store.webhooks import queue_deliveries


def record_event(*, session: Session, kind: str, workspace_id: int | None,
                 subject_type: str = "", subject_id: int | None = None,
                 **data: Any) -> int:
    """Append one event and return its id; the caller's transaction commits it with the
    change it explains.

    A prebuilt INSERT on the session's connection rather than an ORM object: events are
    written several times per touch, and the ORM's unit of work costs several times the
    insert itself. (Its one foreign key, the workspace, exists once it has an id.)
    """
    at = utcnow()
    result = session.connection().execute(_APPEND, {
        "workspace_id": workspace_id, "at": at, "kind": kind,
        "subject_type": subject_type, "subject_id": subject_id, "data": data})
    key = result.inserted_primary_key
    assert key is not None
    event_id = int(key[0])
    if kind in PUBLIC_KINDS and workspace_id is not None:
        queue_deliveries(session=session, event_id=event_id, kind=kind,
                         workspace_id=workspace_id)
    return event_id


_APPEND = insert(Event).values(
    workspace_id=bindparam("workspace_id"), at=bindparam("at"), kind=bindparam("kind"),
    subject_type=bindparam("subject_type"), subject_id=bindparam("subject_id"),
    data=bindparam("data"))
