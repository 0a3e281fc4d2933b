"""Suppression: addresses and domains that must never be contacted again."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from cadenza.store.events import record_event
from cadenza.store.models import Suppression


def _candidates(address: str) -> list[str]:
    address = address.strip().lower()
    domain = address.rsplit("@", 1)[-1] if "@" in address else ""
    return [address, domain] if domain else [address]


# Built once: every touch asks, just before it is drafted (statement construction costs more
# than the lookup itself).
_ANY_OF = (sa_select(col(Suppression.id))
           .where(col(Suppression.workspace_id) == bindparam("workspace_id"),
                  col(Suppression.value).in_(bindparam("values", expanding=True)))
           .limit(1))


def is_suppressed(*, session: Session, workspace_id: int, address: str) -> bool:
    """True when the address or its whole domain is suppressed in the workspace (including a
    suppression added earlier in this same session: it is flushed first, as a query would)."""
    session.flush()
    return session.connection().execute(
        _ANY_OF, {"workspace_id": workspace_id, "values": _candidates(address)}
    ).first() is not None


def suppressed_among(*, session: Session, workspace_id: int,
                     addresses: Iterable[str]) -> set[str]:
    """The subset of ``addresses`` that are suppressed (by address or by domain)."""
    wanted = {a.strip().lower() for a in addresses}
    values = set(wanted) | {a.rsplit("@", 1)[-1] for a in wanted if "@" in a}
    found: set[str] = set()
    values_list = sorted(values)
    for i in range(0, len(values_list), 500):
        chunk = values_list[i:i + 500]
        stmt = select(Suppression.value).where(
            Suppression.workspace_id == workspace_id, col(Suppression.value).in_(chunk)
        )
        found.update(session.exec(stmt).all())
    return {a for a in wanted if a in found or a.rsplit("@", 1)[-1] in found}


def suppress(*, session: Session, workspace_id: int, value: str, reason: str,
             source: str = "") -> Suppression:
    """Suppress an address (``a@b``) or a domain (``b``); idempotent."""
    value = value.strip().lower()
    existing = session.exec(select(Suppression).where(
        Suppression.workspace_id == workspace_id, Suppression.value == value)).first()
    if existing is not None:
        return existing
    row = Suppression(workspace_id=workspace_id, value=value,
                      kind="address" if "@" in value else "domain", reason=reason, source=source)
    session.add(row)
    record_event(session=session, kind="suppression.added", workspace_id=workspace_id,
                 subject_type="suppression", value=value, reason=reason, source=source)
    return row


def unsuppress(*, session: Session, workspace_id: int, value: str, reason: str,
               by: str) -> bool:
    """Lift a suppression; the reason and who lifted it are recorded, since an opt-out that is
    lifted without one is a compliance finding. ``False`` when there was none."""
    value = value.strip().lower()
    row = session.exec(select(Suppression).where(
        Suppression.workspace_id == workspace_id, Suppression.value == value)).first()
    if row is None:
        return False
    record_event(session=session, kind="suppression.removed", workspace_id=workspace_id,
                 subject_type="suppression", subject_id=row.id, value=value, reason=reason,
                 by=by, original_reason=row.reason, original_source=row.source)
    session.delete(row)
    return True
