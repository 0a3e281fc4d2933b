"""Running an inbound lead's first touch the moment its enrollment is committed.

Not a special path: :meth:`cadenza.agent.scheduler.Scheduler.run_now` claims the enrollment
with the very claim a worker's pass makes (send window, mailbox cap and gap, domain cap) and
runs the touch through the touch graph (the same checks, approval policy and outbox). If a cap
puts it off, or a worker claimed it first, the worker delivers it; nothing is sent twice.

The agent (checkpointer, drafter, SMTP connections) is opened on the first lead and kept until
:meth:`LeadRunner.close`; runs go through one lock, as approvals do.
"""

from __future__ import annotations

import logging

from cadenza.agent.scheduler import TickReport
from cadenza.agent.service import AgentHandle

log = logging.getLogger(__name__)


class LeadRunner(AgentHandle):
    """The API's (or a bench's) handle on the agent for inbound leads."""

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
