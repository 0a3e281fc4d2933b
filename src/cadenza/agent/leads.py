"""Speed to lead: when the first touch of an inbound lead is delivered, log how long it took.

An inbound lead's enrollment starts at the moment the lead arrived (``cadenza.leads`` enrolls
it with ``now`` = arrival), so the time from ``started_at`` to the first touch's ``sent_at`` is
arrival → delivery, whichever process delivered it: the request's own immediate run, or a
worker at the send window's next opening.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from cadenza.store.events import record_event
from cadenza.store.models import Enrollment

_STARTED = select(col(Enrollment.started_at)).where(col(Enrollment.id) == bindparam("id"))


def record_lead_contacted(session: Session, *, ctx: dict[str, Any], touch_id: int,
                          delivered_at: dt.datetime | None) -> None:
    """Log ``lead.contacted`` with both timestamps (the touch has just been sent)."""
    arrived_at = session.connection().execute(_STARTED, {"id": ctx["enrollment_id"]}).scalar()
    if arrived_at is None or delivered_at is None:
        return
    record_event(session=session, kind="lead.contacted", workspace_id=ctx["workspace_id"],
                 subject_type="enrollment", subject_id=ctx["enrollment_id"],
                 enrollment_id=ctx["enrollment_id"], touch_id=touch_id,
                 prospect_id=ctx["prospect_row_id"], playbook=ctx["playbook"].get("name"),
                 arrived_at=arrived_at.isoformat(), delivered_at=delivered_at.isoformat(),
                 seconds=round((delivered_at - arrived_at).total_seconds(), 3))
