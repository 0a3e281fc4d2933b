"""Business days: not a weekend, and not a public holiday in the recipient's country.

A touch that lands on 25 December, or on a German public holiday, reads as automated and is
read by nobody; every serious sequencer skips them. Holidays come from the maintained
``holidays`` package (data shipped in the package, nothing fetched), by ISO 3166 country code;
an unknown or missing country means weekends only.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Container

import holidays

_WEEKEND = (5, 6)


@functools.lru_cache(maxsize=256)
def public_holidays(country: str | None) -> Container[dt.date]:
    """The country's public holidays (every year, computed on demand); empty when unknown."""
    code = (country or "").strip().upper()
    if len(code) != 2 or not code.isalpha():
        return frozenset()
    try:
        return holidays.country_holidays(code)
    except NotImplementedError:  # a country the package does not know
        return frozenset()


def is_business_day(day: dt.date, country: str | None = None) -> bool:
    """Monday to Friday, and not a public holiday in ``country``."""
    return day.weekday() not in _WEEKEND and day not in public_holidays(country)


def holiday_name(day: dt.date, country: str | None) -> str | None:
    """The holiday's name when ``day`` is one in ``country`` (for explanations)."""
    found = public_holidays(country)
    return found.get(day) if isinstance(found, holidays.HolidayBase) else None
