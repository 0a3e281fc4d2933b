"""Due times: business days, send windows and the prospect's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cadenza.playbooks import parse_playbook
from cadenza.playbooks.schema import SendWindow
from cadenza.timing.send_window import add_days, next_open, step_due_at, zone_for

pytestmark = pytest.mark.calendar

UTC = dt.UTC
SPEC = parse_playbook(
    "name: t1\nsend_window: {start: '09:00', end: '17:00'}\nsteps:\n"
    "  - {day: 1, channel: email, template: email_opener}\n"
    "  - {day: 3, channel: email, template: email_followup}\n"
    "  - {day: 6, channel: email, template: email_value}\n", origin="t").spec


def test_business_days_skip_weekends() -> None:
    w = SendWindow()
    friday = dt.date(2026, 11, 27)
    assert add_days(friday, 1, window=w, business_days=True) == dt.date(2026, 11, 30)
    assert add_days(friday, 5, window=w, business_days=True) == dt.date(2026, 12, 4)
    assert add_days(friday, 1, window=w, business_days=False) == dt.date(2026, 11, 30)


def test_window_opens_in_the_prospect_time_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    # 2026-11-24 10:00 UTC is 19:00 in Tokyo: closed; next opening is 09:00 Wednesday Tokyo.
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    opened = next_open(moment, window=SPEC.send_window, business_days=True, zone=tokyo)
    assert opened.astimezone(tokyo) == dt.datetime(2026, 11, 25, 9, 0, tzinfo=tokyo)
    # the same moment is inside the window in Berlin (11:00): due at once
    berlin = ZoneInfo("Europe/Berlin")
    assert next_open(moment, window=SPEC.send_window, business_days=True, zone=berlin) == moment


def test_saturday_enrollment_starts_monday() -> None:
    ny = ZoneInfo("America/New_York")
    saturday = dt.datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    due = step_due_at(spec=SPEC, step=SPEC.steps[0], started_at=saturday, zone=ny, key="k")
    assert due.astimezone(ny).date() == dt.date(2026, 11, 30)
    assert due.astimezone(ny).hour == 9


def test_later_steps_count_business_days_from_the_first_send_day() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    thursday = dt.datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    d3 = step_due_at(spec=SPEC, step=SPEC.steps[1], started_at=thursday, zone=berlin, key="k")
    d6 = step_due_at(spec=SPEC, step=SPEC.steps[2], started_at=thursday, zone=berlin, key="k")
    assert d3.astimezone(berlin).date() == dt.date(2026, 11, 30)   # Thu + 2 business days
    assert d6.astimezone(berlin).date() == dt.date(2026, 12, 3)    # Thu + 5 business days
    for due in (d3, d6):
        local = due.astimezone(berlin)
        assert 9 <= local.hour < 13  # inside the first half of the window


def test_spread_differs_between_enrollments() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    times = {step_due_at(spec=SPEC, step=SPEC.steps[1], started_at=start, zone=berlin,
                         key=f"{i}:2") for i in range(20)}
    assert len(times) > 10


def test_zone_falls_back_when_the_prospect_has_none_or_a_bad_one() -> None:
    assert zone_for(SPEC, None, "Europe/Paris").key == "Europe/Paris"
    assert zone_for(SPEC, "Not/AZone", None).key == "UTC"
    assert zone_for(SPEC, "Asia/Tokyo", "Europe/Paris").key == "Asia/Tokyo"
