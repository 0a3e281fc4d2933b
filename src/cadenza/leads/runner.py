"""Running an inbound lead's first touch the moment its enrollment is committed.

Not a special path: :meth:`cadenza.agent.scheduler.Scheduler.run_now` claims the enrollment
with the very claim a worker's pass makes (send window, mailbox cap and gap, domain cap) and
runs the touch through the touch graph (the same checks, approval policy and outbox). If a cap
puts it off, or a worker claimed it first, the worker delivers it; nothing is sent twice.

The agent (checkpointer, drafter, SMTP connections) is opened on the first lead and kept until
:meth:`LeadRunner.close`; runs go through one lock, as approvals do.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from contextlib import ExitStack

from cadenza.agent.scheduler import TickReport
from cadenza.agent.service import Agent, open_agent
from cadenza.config import Settings
from cadenza.store import Database
from cadenza.store.models import utcnow

log = logging.getLogger(__name__)


class LeadRunner:
    """The API's (or a bench's) handle on the agent for inbound leads."""

    def __init__(self, settings: Settings, db: Database, *,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._settings = settings
        self._db = db
        self._clock = clock
        self._stack: ExitStack | None = None
        self._agent: Agent | None = None
        self._lock = threading.Lock()

    def _open(self) -> Agent:
        if self._agent is None:
            stack = ExitStack()
            self._agent = stack.enter_context(open_agent(self._settings, self._db,
                                                         clock=self._clock))
            self._stack = stack
        return self._agent

    def run(self, enrollment_id: int) -> TickReport:
        """Claim and run the enrollment's due touch now; logs what happened."""
        with self._lock:
            agent = self._open()
            report = agent.scheduler.run_now([enrollment_id], self._clock())
        for result in report.results:
            log.info("inbound lead, enrollment %s: touch %s %s%s", enrollment_id,
                     result.touch_id, result.outcome,
                     f" ({result.reason})" if result.reason else "")
        for _, why, until in report.deferrals:
            log.info("inbound lead, enrollment %s: deferred to %s (%s)", enrollment_id,
                     until.isoformat(), why)
        return report

    def close(self) -> None:
        with self._lock:
            if self._stack is not None:
                self._stack.close()
            self._stack, self._agent = None, None
