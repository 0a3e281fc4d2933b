"""A new mailbox's warm-up: its daily cap ramps up day by day to the cap it was given.

Mailbox providers judge a new sending address by its first weeks: a fresh mailbox that sends
its full cap on day one looks like a spammer's. A warm-up schedule (a workspace default, which
a mailbox may override) starts low and adds a fixed number a day, counted in UTC days from the
mailbox's warm-up start, until it reaches the mailbox's ``daily_cap``. The scheduler's cap and
the rotation's room both read :func:`daily_cap`, so they always agree.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from cadenza.store.events import record_event
from cadenza.store.models import Mailbox


class WarmupSchedule(BaseModel):
    """The workspace's warm-up: ``start_per_day`` on day 0, ``increase_per_day`` more each day
    after, up to the mailbox's cap; with ``new_mailboxes`` a new mailbox starts warming up the
    moment it is added."""

    model_config = ConfigDict(extra="forbid")

    start_per_day: int = Field(default=10, ge=0, le=100_000)
    increase_per_day: int = Field(default=5, ge=0, le=100_000)
    new_mailboxes: bool = False


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def warmup_day(box: Mailbox, now: dt.datetime) -> int | None:
    """The mailbox's warm-up day at ``now`` (0 on the day it started); None when it is not
    warming up (no start, or the start is still ahead)."""
    if box.warmup_started_at is None:
        return None
    start = _aware(box.warmup_started_at).astimezone(dt.UTC).date()
    day = (_aware(now).astimezone(dt.UTC).date() - start).days
    return day if day >= 0 else None


def daily_cap(box: Mailbox, now: dt.datetime, default: WarmupSchedule | None = None) -> int:
    """The mailbox's cap for the day of ``now``: its ``daily_cap``, lowered by its warm-up
    schedule (its own numbers, else ``default``, the workspace's) while it warms up, and 0
    before a warm-up that starts on a later day."""
    day = warmup_day(box, now)
    if day is None:
        return 0 if box.warmup_started_at is not None else box.daily_cap  # starts later
    schedule = default or WarmupSchedule()
    start = (box.warmup_start_per_day if box.warmup_start_per_day is not None
             else schedule.start_per_day)
    step = (box.warmup_increase_per_day if box.warmup_increase_per_day is not None
            else schedule.increase_per_day)
    return min(box.daily_cap, start + step * day)


def warmed_up(box: Mailbox, now: dt.datetime, default: WarmupSchedule | None = None) -> bool:
    """Whether the ramp has reached the mailbox's own cap (or it never warmed up)."""
    if box.warmup_started_at is None:
        return True
    return warmup_day(box, now) is not None and daily_cap(box, now, default) >= box.daily_cap


def warmup_schedule(settings: dict[str, object] | None) -> WarmupSchedule:
    """The workspace's warm-up schedule, from its settings (defaults for what it omits)."""
    raw = (settings or {}).get("warmup")
    return WarmupSchedule.model_validate(raw if isinstance(raw, dict) else {})


def set_warmup(session: Session, box: Mailbox, *, started_at: dt.datetime,
               start_per_day: int | None, increase_per_day: int | None, by: str) -> None:
    """Warm the mailbox up from ``started_at`` (its day 0) by its own numbers (None: the
    workspace's); the caller commits. The one way, from ``cadenza mailbox warmup`` or
    ``PUT /api/mailboxes/{id}/warmup``."""
    box.warmup_started_at = _aware(started_at).astimezone(dt.UTC)
    box.warmup_start_per_day, box.warmup_increase_per_day = start_per_day, increase_per_day
    session.add(box)
    record_event(session=session, kind="mailbox.warmup_set", workspace_id=box.workspace_id,
                 subject_type="mailbox", subject_id=box.id, by=by,
                 started_at=box.warmup_started_at.isoformat(), start_per_day=start_per_day,
                 increase_per_day=increase_per_day)


def end_warmup(session: Session, box: Mailbox, *, by: str) -> None:
    """The mailbox is warmed up: its full ``daily_cap`` from now on (the caller commits)."""
    box.warmup_started_at = None
    box.warmup_start_per_day = box.warmup_increase_per_day = None
    session.add(box)
    record_event(session=session, kind="mailbox.warmup_ended", workspace_id=box.workspace_id,
                 subject_type="mailbox", subject_id=box.id, by=by)
