"""The wall clock, read in this one place: tests use fixed times everywhere else."""

from __future__ import annotations

import datetime as dt


def wall_clock() -> dt.datetime:
    """Now, in UTC: only for tests whose other side is a real server that stamps with the wall
    clock, such as dovecot's INTERNALDATE, which a watcher's first sync searches SINCE."""
    return dt.datetime.now(dt.UTC)


#: The fixed Monday the tests' worlds start on.
MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock a test moves by hand (``advance``); pass it where the product takes a clock."""

    def __init__(self, start: dt.datetime = MONDAY) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)
