"""Request and response bodies of the rotation endpoints: each mailbox's room, warm-up and
rest, the warm-up schedule to set, and an operator's rest. ``cadenza mailbox rotation --json``
prints the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from cadenza.mailbox.rotation import MailboxRoom
from cadenza.mailbox.warmup import WarmupSchedule

PerDay = Annotated[int, Field(ge=0, le=100_000)]


class MailboxRotation(BaseModel):
    """One mailbox's place in the rotation now."""

    id: int
    email: str
    active: bool = Field(description="false: switched off (by an operator or a refused login)")
    resting: bool = Field(description="rested after a bounce or complaint spike (or by an "
                                      "operator): no new prospects, its own ones wait")
    rest_reason: str = ""
    rested_at: dt.datetime | None = None
    rested_until: dt.datetime | None = Field(
        default=None, description="when the rest ends by itself; null while resting: when an "
                                  "operator ends it")
    in_rotation: bool = Field(description="active and not resting: new prospects may go to it")
    daily_cap: int = Field(description="its cap once warmed up")
    cap_today: int = Field(description="today's cap, after warm-up")
    warmup_day: int | None = Field(description="day of its warm-up (0: the first); null: "
                                               "not warming up")
    warmup_started_at: dt.datetime | None = None
    warmup_start_per_day: int | None = Field(description="the schedule in force (its own, "
                                                         "else the workspace's)")
    warmup_increase_per_day: int | None = None
    sent_last_24h: int
    first_touches_due: int = Field(description="first touches given to it and due within a day")
    room: int = Field(description="cap_today - sent_last_24h - first_touches_due (new "
                                  "prospects go to the mailbox with the most)")


def rotation_row(room: MailboxRoom, schedule: WarmupSchedule) -> MailboxRotation:
    """The row of one mailbox (``schedule``: its workspace's warm-up)."""
    box = room.box
    warming = box.warmup_started_at is not None
    start = box.warmup_start_per_day if box.warmup_start_per_day is not None \
        else schedule.start_per_day
    step = box.warmup_increase_per_day if box.warmup_increase_per_day is not None \
        else schedule.increase_per_day
    return MailboxRotation(
        id=box.id or 0, email=box.email, active=box.active, resting=room.resting,
        rest_reason=box.rest_reason if room.resting else "",
        rested_at=box.rested_at if room.resting else None, rested_until=room.rest_ends,
        in_rotation=room.in_rotation, daily_cap=box.daily_cap, cap_today=room.cap,
        warmup_day=room.warmup_day, warmup_started_at=box.warmup_started_at,
        warmup_start_per_day=start if warming else None,
        warmup_increase_per_day=step if warming else None, sent_last_24h=room.sent,
        first_touches_due=room.assigned, room=room.room)


class WarmupIn(BaseModel):
    """Warm a mailbox up: from `started_at` (its day 0; default now), by its own numbers or,
    where they are left out, the workspace's `warmup` policy."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"start_per_day": 10, "increase_per_day": 5},
        {"started_at": "2026-12-01T00:00:00Z"}]})

    started_at: dt.datetime | None = None
    start_per_day: PerDay | None = None
    increase_per_day: PerDay | None = None


class RestIn(BaseModel):
    """Rest a mailbox by hand: no new prospects go to it and its own ones wait."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"hours": 48, "reason": "provider warning in the postmaster tools"}]})

    hours: Annotated[int, Field(ge=0, le=24 * 365, description="0: until an operator ends "
                                                               "it")] = 48
    reason: Annotated[str, Field(min_length=1, max_length=200,
                                 pattern=r"^[^\x00-\x1f\x7f]*$")] = "operator"
