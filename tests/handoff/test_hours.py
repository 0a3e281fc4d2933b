"""The working-time clock: windows, weekends, lunch gaps, DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cadenza.timing.working_hours import add_working_minutes, parse_week, working_minutes_between

pytestmark = pytest.mark.calendar

BERLIN = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")


def local(zone: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


def test_friday_afternoon_rolls_to_monday_morning_in_the_reps_zone() -> None:
    hours = parse_week({"mon-fri": "09:00-17:00"}, "Europe/Berlin")
    friday = local(BERLIN, 2026, 11, 27, 16, 50)
    due = add_working_minutes(friday.astimezone(dt.UTC), 15, hours)
    assert due.astimezone(BERLIN) == local(BERLIN, 2026, 11, 30, 9, 5)
    assert due.tzinfo is not None
    assert working_minutes_between(friday, due, hours) == pytest.approx(15)


def test_inside_a_window_is_plain_addition() -> None:
    hours = parse_week({"weekdays": "09:00-17:00"}, "America/New_York")
    start = local(NY, 2026, 12, 1, 10, 0)
    assert add_working_minutes(start, 15, hours) == local(NY, 2026, 12, 1, 10, 15)


def test_before_opening_and_zero_minutes_give_the_next_opening() -> None:
    hours = parse_week({"mon-fri": "09:00-17:00"}, "Europe/Berlin")
    saturday = local(BERLIN, 2026, 11, 28, 12, 0)
    assert add_working_minutes(saturday, 0, hours) == local(BERLIN, 2026, 11, 30, 9, 0)
    early = local(BERLIN, 2026, 12, 1, 6, 0)
    assert add_working_minutes(early, 30, hours) == local(BERLIN, 2026, 12, 1, 9, 30)


def test_lunch_gap_is_skipped() -> None:
    hours = parse_week({"mon-fri": ["09:00-12:30", "13:30-17:00"]}, "Europe/Berlin")
    start = local(BERLIN, 2026, 12, 1, 12, 20)
    assert add_working_minutes(start, 15, hours) == local(BERLIN, 2026, 12, 1, 13, 35)
    assert working_minutes_between(start, local(BERLIN, 2026, 12, 1, 13, 35), hours) == 15


def test_later_key_overrides_earlier_days() -> None:
    hours = parse_week({"mon-fri": "09:00-17:00", "fri": "09:00-13:00"}, "UTC")
    friday = dt.datetime(2026, 12, 4, 12, 55, tzinfo=dt.UTC)
    assert add_working_minutes(friday, 10, hours) == dt.datetime(2026, 12, 7, 9, 5,
                                                                 tzinfo=dt.UTC)


def test_dst_end_night_window_counts_real_minutes() -> None:
    # Europe/Berlin leaves summer time on 25 Oct 2026 at 03:00 → 02:00: the local window
    # 00:00-06:00 that night lasts seven real hours.
    hours = parse_week({"daily": "00:00-06:00"}, "Europe/Berlin")
    start = local(BERLIN, 2026, 10, 25, 0, 0)
    end = local(BERLIN, 2026, 10, 25, 6, 0)
    assert working_minutes_between(start, end, hours) == 7 * 60
    assert add_working_minutes(start, 7 * 60, hours) == end.astimezone(dt.UTC)


def test_dst_start_weekend_keeps_local_opening_time() -> None:
    # US summer time starts Sunday 8 Mar 2026; Friday 16:55 + 10 min → Monday 09:05 EDT.
    hours = parse_week({"mon-fri": "09:00-17:00"}, "America/New_York")
    friday = local(NY, 2026, 3, 6, 16, 55)
    due = add_working_minutes(friday, 10, hours)
    assert due.astimezone(NY) == local(NY, 2026, 3, 9, 9, 5)
    assert due.astimezone(dt.UTC).hour == 13  # EDT is UTC-4 (it was UTC-5 on Friday)


@pytest.mark.parametrize("spec, message", [
    ({"mon-fri": "17:00-09:00"}, "ends before it starts"),
    ({"funday": "09:00-17:00"}, "not a day"),
    ({"mon": "9-5"}, "not a window"),
    ({"mon": ["09:00-12:00", "11:00-13:00"]}, "overlap"),
    ({}, "at least one window"),
])
def test_bad_weeks_are_refused(spec: dict[str, str | list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_week(spec, "UTC")


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_week(None, "Mars/Olympus")
