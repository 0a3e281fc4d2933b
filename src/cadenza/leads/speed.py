"""How fast inbound leads are contacted, read from the event log: ``lead.received`` and
``lead.contacted`` (arrival and delivery times), for ``cadenza status``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from cadenza.store.models import Event


@dataclass(frozen=True)
class SpeedToLead:
    """The last ``days`` of inbound leads: how many came, how many were contacted and how fast
    (arrival → first touch delivered), and how many still wait (outside the send window, a cap,
    a person's approval)."""

    days: int
    received: int
    contacted: int
    waiting: int
    p50_seconds: float | None
    p95_seconds: float | None
    max_seconds: float | None

    def public(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        if not self.received and not self.contacted:
            return f"speed to lead: no inbound leads in the last {self.days} days"
        timing = (f"arrival → first touch p50 {_human(self.p50_seconds)}, p95 "
                  f"{_human(self.p95_seconds)}, max {_human(self.max_seconds)}"
                  if self.contacted else "none contacted yet")
        return (f"speed to lead (last {self.days} days): {self.received} received, "
                f"{self.contacted} contacted, {self.waiting} waiting; {timing}")


def speed_to_lead(session: Session, workspace_id: int, now: dt.datetime,
                  days: int = 30) -> SpeedToLead:
    since = now - dt.timedelta(days=days)
    rows = session.exec(select(Event.kind, Event.data).where(
        Event.workspace_id == workspace_id, col(Event.at) >= since,
        col(Event.kind).in_(["lead.received", "lead.contacted"]))).all()
    received = [d for k, d in rows if k == "lead.received"]
    contacted = [d for k, d in rows if k == "lead.contacted"]
    done = {d.get("enrollment_id") for d in contacted}
    waiting = sum(1 for d in received if d.get("status") in ("queued", "scheduled")
                  and d.get("enrollment_id") not in done)
    seconds = sorted(float(d["seconds"]) for d in contacted if "seconds" in d)
    return SpeedToLead(days=days, received=len(received), contacted=len(contacted),
                       waiting=waiting, p50_seconds=_rank(seconds, 0.50),
                       p95_seconds=_rank(seconds, 0.95),
                       max_seconds=seconds[-1] if seconds else None)


def _rank(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile of sorted ``values``."""
    if not values:
        return None
    return values[max(0, math.ceil(q * len(values)) - 1)]


def _human(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
