"""The append-only event log: every action Cadenza takes is recorded with its reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert
from sqlmodel import Session

from cadenza.store.models import Event, utcnow


def record_event(*, session: Session, kind: str, workspace_id: int | None,
                 subject_type: str = "", subject_id: int | None = None,
                 **data: Any) -> None:
    """Append one event; the caller's transaction commits it with the change it explains.

    A prebuilt INSERT on the session's connection rather than an ORM object: events are
    written several times per touch, and the ORM's unit of work costs several times the
    insert itself. (Its one foreign key, the workspace, exists once it has an id.)
    """
    session.connection().execute(_APPEND, {
        "workspace_id": workspace_id, "at": utcnow(), "kind": kind,
        "subject_type": subject_type, "subject_id": subject_id, "data": data})


_APPEND = insert(Event).values(
    workspace_id=bindparam("workspace_id"), at=bindparam("at"), kind=bindparam("kind"),
    subject_type=bindparam("subject_type"), subject_id=bindparam("subject_id"),
    data=bindparam("data"))
