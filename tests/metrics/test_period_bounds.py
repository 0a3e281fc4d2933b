"""A period reaching the calendar's ends is cut to when touches can exist, not a 500.

The API's schema fuzzer asked for ``/api/dashboard?since=0001-01-01T00:00:01+00:01`` and
``until=0001-01-01``; hour arithmetic on those overflowed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.metrics.export import period

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("since", [
    dt.date(1, 1, 1),
    dt.datetime(1, 1, 1, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(minutes=1))),
    dt.datetime(1, 1, 1),
])
def test_a_start_before_1970_is_1970(since: dt.date) -> None:
    assert period(now=NOW, since=since, strict=False) == (EARLIEST, NOW)


def test_an_end_at_the_calendars_start_is_an_empty_period() -> None:
    assert period(now=NOW, until=dt.date(1, 1, 1), days=1, strict=False) == (EARLIEST, EARLIEST)


@pytest.mark.parametrize("until", [dt.date.max, dt.datetime.max,
                                   dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)])
def test_an_end_at_the_calendars_end_is_9000(until: dt.date) -> None:
    assert period(now=NOW, until=until, days=28, strict=False) == (
        LATEST - dt.timedelta(days=28), LATEST)


def test_an_ordinary_period_is_unchanged() -> None:
    assert period(now=NOW, since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 30)) == (
        dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
