"""A routing decision: where a handoff went and why (read by routing, the SLA and notify)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Rule = Literal["owner", "round_robin", "fallback"]


@dataclass(frozen=True)
class RoutingDecision:
    """Where a handoff went: a rep (``rep_id``) or a queue, by which rule, and why."""

    handoff_id: int
    rep_id: int | None
    rep_email: str | None
    queue: str
    rule: Rule
    reason: str
    routed_at: dt.datetime
    sla_due_at: dt.datetime
    cc: tuple[str, ...] = ()
