"""Real ``cadenza worker`` processes on one PostgreSQL database, for the multi-worker tests.

Each runs ``python -m cadenza worker`` from this checkout under libfaketime with an offset
(``faketime -f +Ns``), not a start date: every process then reads the same moving product
clock, starting at ``start`` when the test begins, so their send times compare across
processes. The offset is the one place the wall clock is read (``support.clock.wall_clock``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from support.clock import wall_clock
from support.dovecot import free_port
from support.smtp import SmtpServer, SmtpSink

ROOT = Path(__file__).resolve().parents[2]
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")


@dataclass
class SlowSink(SmtpSink):
    """A sink that stores each message and then keeps the first ``slow`` ones ``delay``
    seconds before answering, so a test can act while a worker is inside the SMTP exchange —
    with the message already delivered, the case where a resend would reach someone twice."""

    delay: float = 0.0
    slow: int = 0
    started: list[float] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.started.append(time.monotonic())
            wait = self.delay if self.slow > 0 else 0.0
            self.slow -= 1
        answer = await super().handle_DATA(server, session, envelope)
        if wait:  # stored, then a slow answer: the worker cannot know it went out
            await asyncio.sleep(wait)
        return answer


@contextmanager
def slow_smtp(delay: float = 0.0, slow: int = 0) -> Iterator[SmtpServer]:
    sink = SlowSink(delay=delay, slow=slow)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(host="127.0.0.1", port=port, sink=sink)
    finally:
        controller.stop()


class Workers:
    """Starts and stops worker processes whose clocks read ``start`` + elapsed time."""

    def __init__(self, *, db_url: str, home: Path, start: dt.datetime, logs: Path) -> None:
        if shutil.which("faketime") is None or not LIBFAKETIME.exists():
            pytest.fail("faketime is not installed: the test command installs it (apt faketime)")
        offset = (start - wall_clock()).total_seconds()
        self.logs = logs
        logs.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("CADENZA_", "OPENAI_"))}
        self.env.update({
            "CADENZA_DATABASE_URL": db_url, "CADENZA_HOME": str(home),
            "CADENZA_SECRET_KEY": "test-secret-key", "TZ": "UTC", "NO_FAKE_STAT": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME": f"{offset:+.3f}s",
            # preloaded directly, not through the faketime wrapper, which forks: a signal
            # sent to the wrapper would not reach the worker
            "LD_PRELOAD": str(LIBFAKETIME),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "scripts" / "faketime"),
                                           str(ROOT / "src"), str(ROOT / "tests")]),
        })
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        n = len(self.procs)
        out = (self.logs / f"worker{n}.out").open("wb")
        err = (self.logs / f"worker{n}.err").open("wb")
        proc = subprocess.Popen([sys.executable, "-m", "cadenza", "worker",
                                 "--poll", "0.2", *args], env=self.env, stdout=out,
                                stderr=err, cwd=self.logs)
        self.procs.append(proc)
        return proc

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        n = self.procs.index(proc)
        return (self.logs / f"worker{n}.err").read_text("utf-8", "replace")

    def stop(self, proc: subprocess.Popen[bytes], timeout: float = 60) -> int:
        """SIGTERM, then the exit code (the test fails if it does not exit in time)."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"worker did not stop on SIGTERM:\n{self.log(proc)}")

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


def wait_for(check: Callable[[], bool], *, timeout: float, what: str,
             procs: list[subprocess.Popen[bytes]] | None = None) -> None:
    """Poll ``check`` until it holds (monotonic time: no wall clock involved)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        for proc in procs or []:
            if proc.poll() not in (None, 0):
                pytest.fail(f"a worker exited {proc.returncode} while waiting for {what}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")
