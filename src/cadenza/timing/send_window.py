"""When a step is due: day offsets, business days and send windows in the right time zone.

All inputs and outputs are aware datetimes; the arithmetic happens in the local time of the
prospect (or of the workspace, per the playbook's ``timezone_policy``) and the result is UTC.
With ``business_days`` a day must also be a business day in the prospect's ``country``
(weekends and public holidays, :mod:`cadenza.timing.business_days`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cadenza.playbooks.schema import WEEKDAYS, PlaybookSpec, SendWindow, Step
from cadenza.timing.business_days import is_business_day


def zone_for(spec: PlaybookSpec, prospect_timezone: str | None,
             workspace_timezone: str | None = None) -> ZoneInfo:
    """The time zone whose clock the send window follows."""
    candidates = ([prospect_timezone, workspace_timezone] if spec.timezone_policy == "prospect"
                  else [workspace_timezone, prospect_timezone])
    for name in [*candidates, spec.default_timezone]:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _allowed(day: dt.date, window: SendWindow, business_days: bool,
             country: str | None = None) -> bool:
    name = WEEKDAYS[day.weekday()]
    if name not in window.days:
        return False
    return not business_days or is_business_day(day, country)


def add_days(start: dt.date, days: int, *, window: SendWindow, business_days: bool,
             country: str | None = None) -> dt.date:
    """``days`` sending days after ``start`` (calendar days when ``business_days`` is false)."""
    day = start
    if not business_days:
        day = start + dt.timedelta(days=days)
        while not _allowed(day, window, business_days):
            day += dt.timedelta(days=1)
        return day
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if _allowed(day, window, business_days, country):
            remaining -= 1
    while not _allowed(day, window, business_days, country):
        day += dt.timedelta(days=1)
    return day


def spread_minutes(key: str, window: SendWindow) -> int:
    """A stable offset into the first half of the window, so a batch does not fire at 08:30."""
    start, end = window.minutes()
    span = max(1, (end - start) // 2)
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % span


def next_open(moment: dt.datetime, *, window: SendWindow, business_days: bool,
              zone: ZoneInfo, country: str | None = None) -> dt.datetime:
    """The first instant at or after ``moment`` inside the send window (UTC)."""
    local = moment.astimezone(zone)
    start_m, end_m = window.minutes()
    for _ in range(40):  # a week of window days, plus a run of holidays (Christmas to New Year)
        minutes = local.hour * 60 + local.minute
        if _allowed(local.date(), window, business_days, country) and minutes < end_m:
            if minutes >= start_m:
                return local.astimezone(dt.UTC)
            opened = local.replace(hour=start_m // 60, minute=start_m % 60, second=0,
                                   microsecond=0)
            return opened.astimezone(dt.UTC)
        nxt = (local + dt.timedelta(days=1)).date()
        local = dt.datetime(nxt.year, nxt.month, nxt.day, start_m // 60, start_m % 60,
                            tzinfo=zone)
    raise ValueError("send window never opens")  # unreachable: SendWindow has a day


def step_due_at(*, spec: PlaybookSpec, step: Step, started_at: dt.datetime, zone: ZoneInfo,
                key: str, now: dt.datetime | None = None,
                country: str | None = None) -> dt.datetime:
    """When ``step`` of an enrollment started at ``started_at`` is due (UTC).

    Day 1 is the enrollment day: due at once if the window is open, else at its next opening.
    Later days land at the window's start plus a stable per-enrollment spread.
    """
    window = step.send_window or spec.send_window
    if step.day == 1:
        return next_open(max(started_at, now or started_at), window=window,
                         business_days=spec.business_days, zone=zone, country=country)
    first_local = next_open(started_at, window=window, business_days=spec.business_days,
                            zone=zone, country=country).astimezone(zone).date()
    day = add_days(first_local, step.day - 1, window=window, business_days=spec.business_days,
                   country=country)
    start_m, _ = window.minutes()
    minute = start_m + spread_minutes(key, window)
    local = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
    due = local.astimezone(dt.UTC)
    if now is not None and due < now:
        due = next_open(now, window=window, business_days=spec.business_days, zone=zone,
                        country=country)
    return due
