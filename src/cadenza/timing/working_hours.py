"""Working hours and the working-time clock the SLA runs on.

A rep's week is a set of local windows per weekday (``mon: 09:00-12:30, 13:30-17:00``) in the
rep's IANA time zone. All arithmetic is done on UTC instants: Python subtracts two datetimes of
the same ``tzinfo`` as wall-clock times, which would make a DST night one hour off. Windows must
not cross midnight (a night shift is written as two windows on two days).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_ALIASES = {"weekdays": "mon-fri", "weekend": "sat-sun", "daily": "mon-sun", "all": "mon-sun"}
#: Far enough that any finite SLA lands inside it, short enough to stop a runaway loop.
_HORIZON_DAYS = 800

Window = tuple[int, int]  # minutes after local midnight: [start, end)


@dataclass(frozen=True)
class WorkingHours:
    """Local working windows per weekday (Monday = 0) in one time zone."""

    zone: ZoneInfo
    week: tuple[tuple[Window, ...], ...]

    @property
    def timezone(self) -> str:
        return self.zone.key

    def windows_on(self, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The UTC [start, end) of each window on local date ``day``."""
        for start, end in self.week[day.weekday()]:
            yield (_local(day, start, self.zone), _local(day, end, self.zone))

    def contains(self, at: dt.datetime) -> bool:
        """Whether ``at`` (aware) falls inside a working window."""
        at = _utc(at)
        local_day = at.astimezone(self.zone).date()
        return any(s <= at < e for s, e in self.windows_on(local_day))

    def as_spec(self) -> dict[str, list[str]]:
        """The canonical ``{"mon": ["09:00-17:00"], …}`` form stored in JSON."""
        return {DAY_NAMES[i]: [f"{_hhmm(s)}-{_hhmm(e)}" for s, e in wins]
                for i, wins in enumerate(self.week) if wins}


DEFAULT_WEEK: dict[str, str | list[str]] = {"mon-fri": "09:00-17:00"}


def zone_named(name: str) -> ZoneInfo:
    """An IANA zone, or ``ValueError`` naming it (``Europe/Berlin``, not ``CET+1``)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as "
                         "Europe/Berlin)") from None


def parse_week(spec: Mapping[str, str | list[str]] | None, timezone: str) -> WorkingHours:
    """Build hours from ``{"mon-fri": "09:00-17:00", "sat": ["10:00-12:00"]}``.

    Keys are day names, ranges (``mon-thu``) or ``weekdays``/``weekend``/``daily``; a later
    key replaces the windows of the days it names, so ``mon-fri`` then ``fri`` shortens Friday.
    """
    zone = zone_named(timezone)
    week: list[tuple[Window, ...]] = [()] * 7
    for key, value in (DEFAULT_WEEK if spec is None else spec).items():
        days = _days(str(key))
        raw = [value] if isinstance(value, str) else list(value)
        windows = tuple(sorted(_window(str(w)) for w in raw if str(w).strip()))
        for a, b in itertools.pairwise(windows):
            if b[0] < a[1]:
                raise ValueError(f"windows {_hhmm(a[0])}-{_hhmm(a[1])} and "
                                 f"{_hhmm(b[0])}-{_hhmm(b[1])} overlap on {key}")
        for d in days:
            week[d] = windows
    if not any(week):
        raise ValueError("working hours must open at least one window in the week")
    return WorkingHours(zone=zone, week=tuple(week))


def add_working_minutes(start: dt.datetime, minutes: float, hours: WorkingHours) -> dt.datetime:
    """The instant ``minutes`` of working time after ``start`` (UTC, aware).

    Time outside the windows does not count: Friday 16:50 plus 15 minutes with a 09:00–17:00
    week is Monday 09:05. Zero minutes outside working hours gives the next opening.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    cur = _utc(start)
    remaining = dt.timedelta(minutes=minutes)
    day = cur.astimezone(hours.zone).date() - dt.timedelta(days=1)
    for _ in range(_HORIZON_DAYS):
        for ws, we in hours.windows_on(day):
            if we <= cur:
                continue
            begin = max(ws, cur)
            available = we - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            cur = we
        day += dt.timedelta(days=1)
    raise ValueError(f"{minutes} working minutes do not fit in {_HORIZON_DAYS} days")


def working_minutes_between(a: dt.datetime, b: dt.datetime, hours: WorkingHours) -> float:
    """Working minutes in [a, b] (negative when ``b`` is before ``a``)."""
    a, b = _utc(a), _utc(b)
    if b < a:
        return -working_minutes_between(b, a, hours)
    total = dt.timedelta()
    day = a.astimezone(hours.zone).date() - dt.timedelta(days=1)
    last = b.astimezone(hours.zone).date() + dt.timedelta(days=1)
    while day <= last:
        for ws, we in hours.windows_on(day):
            lo, hi = max(ws, a), min(we, b)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 60


def _days(key: str) -> list[int]:
    key = _ALIASES.get(key.strip().lower(), key.strip().lower())
    first, _, last = key.partition("-")
    if first not in DAY_NAMES or (last and last not in DAY_NAMES):
        raise ValueError(f"{key!r} is not a day or a day range (mon, mon-fri, weekdays, …)")
    i, j = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
    return list(range(i, j + 1)) if i <= j else list(range(i, 7)) + list(range(0, j + 1))


def _window(text: str) -> Window:
    m = _WINDOW.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a window like 09:00-17:00")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or end > 24 * 60:
        raise ValueError(f"{text!r} has an impossible time")
    if end <= start:
        raise ValueError(f"{text!r} ends before it starts (windows may not cross midnight)")
    return start, end


def _local(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    base = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
    if minute >= 24 * 60:
        nxt = day + dt.timedelta(days=1)
        return dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone).astimezone(dt.UTC)
    local = base.replace(hour=minute // 60, minute=minute % 60)
    return local.astimezone(dt.UTC)


def _utc(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("working-time arithmetic needs aware datetimes")
    return at.astimezone(dt.UTC)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
