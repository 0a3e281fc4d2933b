"""Loaded by every Python process of scripts/test's shifted-date runs (via PYTHONPATH).

libfaketime 0.9.10 (Debian 12) cannot both fake the date and keep Python's waits working: with
CLOCK_MONOTONIC faked, lock and condition timeouts never expire (glibc's ``sem_clockwait`` is not
intercepted); with FAKETIME_DONT_FAKE_MONOTONIC=1, which scripts/test sets, those work but
``clock_nanosleep(TIMER_ABSTIME)``, behind ``time.sleep``, fails with EINVAL. So ``time.sleep``
waits in ``select`` instead, which libfaketime leaves alone.
"""

import os
import select
import time

if os.environ.get("FAKETIME"):

    def _sleep(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            select.select([], [], [], left)

    time.sleep = _sleep
