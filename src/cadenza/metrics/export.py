"""A metrics table as CSV (what agencies paste into their weekly client report) and the
period people ask for in words (``--since 2026-11-30``, or the last N days)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from cadenza.handoff.export import write_csv
from cadenza.metrics.model import COLUMNS, MetricsTable

#: The columns before the figures: which table a row came from.
HEAD: tuple[str, ...] = ("dimension", "since", "until", "playbook")


def write_table_csv(table: MetricsTable, out: TextIO) -> int:
    """The rows, then the whole cohort's ``total`` row; every cell spreadsheet-safe."""
    head = {"dimension": table.by, "since": table.since.isoformat(),
            "until": table.until.isoformat(), "playbook": table.playbook or ""}
    rows = [{**head, **{k: ("" if v is None else v) for k, v in row.model_dump().items()}}
            for row in [*table.rows, table.total]]
    return write_csv(out, (*HEAD, *COLUMNS), rows)


def period(*, now: dt.datetime, since: dt.date | dt.datetime | None = None,
           until: dt.date | dt.datetime | None = None, days: int = 28,
           strict: bool = True) -> tuple[dt.datetime, dt.datetime]:
    """``[since, until)`` as aware UTC instants: a date means its midnight UTC (``until`` a
    date includes that whole day); by default the ``days`` days up to ``now``. A period that
    ends before it starts is an error when ``strict``, else simply empty (the API's answer)."""
    end = _clamped(_instant(until, end=True) if until is not None else now)
    start = _clamped(_instant(since, end=False) if since is not None
                     else end - dt.timedelta(days=days))
    if start >= end and strict:
        raise ValueError(f"since ({start.isoformat()}) must be before until ({end.isoformat()})")
    return start, end


#: No touch is older or newer than these; a period reaching past them (``since=0001-01-01``)
#: is cut to them, so hour arithmetic near the calendar's ends cannot overflow.
_EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


def _clamped(value: dt.datetime) -> dt.datetime:
    if value.year < _EARLIEST.year:
        return _EARLIEST  # converting it to UTC could leave the calendar ("0001-01-01+01:00")
    if value.year >= _LATEST.year:
        return _LATEST
    return min(max(value.astimezone(dt.UTC), _EARLIEST), _LATEST)


def _instant(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    midnight = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    if end and value >= dt.date.max:
        return midnight  # 9999-12-31: the end of the calendar, cut to _LATEST anyway
    return midnight + dt.timedelta(days=1) if end else midnight
