"""Workspaces: creation and look-up by slug."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from cadenza.errors import NotFoundError
from cadenza.store.events import record_event
from cadenza.store.models import Workspace


def get_workspace(*, session: Session, slug: str) -> Workspace:
    """The workspace called ``slug``; a clear error naming the fix when there is none."""
    ws = session.exec(select(Workspace).where(Workspace.slug == slug)).first()
    if ws is None:
        raise NotFoundError(
            f"no workspace {slug!r}: create it with `cadenza init --workspace {slug}`"
        )
    return ws


def ensure_workspace(*, session: Session, slug: str, name: str | None = None,
                     sender: dict[str, Any] | None = None,
                     settings: dict[str, Any] | None = None) -> tuple[Workspace, bool]:
    """Get or create a workspace; returns (workspace, created)."""
    ws = session.exec(select(Workspace).where(Workspace.slug == slug)).first()
    if ws is not None:
        return ws, False
    ws = Workspace(slug=slug, name=name or slug, sender=sender or {}, settings=settings or {})
    session.add(ws)
    session.flush()
    record_event(session=session, kind="workspace.created", workspace_id=ws.id,
                 subject_type="workspace", subject_id=ws.id, slug=slug)
    return ws, True
