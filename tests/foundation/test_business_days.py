"""Business days skip the recipient country's public holidays, not only weekends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cadenza.playbooks import parse_playbook
from cadenza.playbooks.schema import SendWindow
from cadenza.timing.business_days import holiday_name, is_business_day
from cadenza.timing.send_window import add_days, next_open, step_due_at

pytestmark = pytest.mark.calendar  # scheduling, pauses and SLAs: run at shifted dates too

SPEC = parse_playbook(
    "name: t1\nsend_window: {start: '09:00', end: '17:00'}\nsteps:\n"
    "  - {day: 1, channel: email, template: email_opener}\n"
    "  - {day: 3, channel: email, template: email_followup}\n", origin="t").spec


def test_christmas_and_a_german_holiday_are_not_business_days() -> None:
    assert not is_business_day(dt.date(2026, 12, 25), "US")
    assert not is_business_day(dt.date(2026, 12, 25), "de")  # codes in any case
    assert not is_business_day(dt.date(2026, 10, 3), "DE")  # Saturday anyway
    assert is_business_day(dt.date(2027, 10, 4), "DE")  # the Monday after: a working day
    assert not is_business_day(dt.date(2027, 5, 6), "DE")  # Ascension Day (Thursday)
    assert is_business_day(dt.date(2027, 5, 6), "US")
    assert holiday_name(dt.date(2026, 12, 25), "GB") is not None


def test_an_unknown_or_missing_country_means_weekends_only() -> None:
    christmas = dt.date(2026, 12, 25)  # a Friday
    for country in (None, "", "XX", "Germany", "1A"):
        assert is_business_day(christmas, country)


def test_adding_business_days_steps_over_holidays() -> None:
    w = SendWindow()
    wednesday = dt.date(2026, 12, 23)
    # DE: 24th is a working day, 25th/26th holidays, 27th Sunday → the 2nd day is the 28th
    assert add_days(wednesday, 2, window=w, business_days=True, country="DE") == \
        dt.date(2026, 12, 28)
    assert add_days(wednesday, 2, window=w, business_days=True) == dt.date(2026, 12, 25)


def test_a_touch_due_on_a_holiday_waits_for_the_next_business_day() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    moment = dt.datetime(2026, 12, 24, 17, 30, tzinfo=berlin)  # after the window on the 24th
    opened = next_open(moment, window=SPEC.send_window, business_days=True, zone=berlin,
                       country="DE")
    assert opened.astimezone(berlin) == dt.datetime(2026, 12, 28, 9, 0, tzinfo=berlin)
    started = dt.datetime(2026, 12, 23, 10, 0, tzinfo=dt.UTC)
    due = step_due_at(spec=SPEC, step=SPEC.step(2), started_at=started, zone=berlin,
                      key="p:2", country="DE")
    assert due.astimezone(berlin).date() == dt.date(2026, 12, 28)
