"""Playbooks in the database: one row per (workspace, name, content hash)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from cadenza.store.events import record_event
from cadenza.store.models import Playbook


def save_playbook(*, session: Session, workspace_id: int, name: str, content_hash: str,
                  definition: dict[str, Any], source_yaml: str) -> Playbook:
    """Get or create the stored version of a playbook (idempotent by content hash)."""
    row = session.exec(select(Playbook).where(
        Playbook.workspace_id == workspace_id, Playbook.name == name,
        Playbook.content_hash == content_hash)).first()
    if row is not None:
        return row
    row = Playbook(workspace_id=workspace_id, name=name, content_hash=content_hash,
                   definition=definition, source_yaml=source_yaml)
    session.add(row)
    session.flush()
    record_event(session=session, kind="playbook.stored", workspace_id=workspace_id,
                 subject_type="playbook", subject_id=row.id, name=name, hash=content_hash)
    return row
