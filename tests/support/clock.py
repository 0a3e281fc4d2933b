"""The wall clock, read in this one place: tests use fixed times everywhere else."""

from __future__ import annotations

import datetime as dt


def wall_clock() -> dt.datetime:
    """Now, in UTC: only for tests whose other side is a real server that stamps with the wall
    clock, such as dovecot's INTERNALDATE, which a watcher's first sync searches SINCE."""
    return dt.datetime.now(dt.UTC)
