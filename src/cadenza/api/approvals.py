"""Approve, edit or reject a draft waiting in the agent's ``interrupt``.

The agent (checkpointer, drafter, SMTP connections) is opened on the first decision, not at start
up, and kept until the app shuts down: most API processes never approve anything. Decisions go
through one lock, because a resume may deliver an email and the checkpointer connection is shared.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from cadenza.agent.service import AgentHandle
from cadenza.states import TouchState
from cadenza.store.models import Touch

log = logging.getLogger(__name__)

Action = Literal["approve", "edit", "reject"]
WAITING_STATES = (TouchState.AWAITING_APPROVAL, TouchState.HELD)


class ApprovalConflict(Exception):
    """The touch is not waiting for this decision (already decided, or held and unedited)."""


@dataclass(frozen=True)
class Decision:
    touch_id: int
    outcome: str
    reason: str
    state: str


class ApprovalService(AgentHandle):
    """The app's handle on the agent for human decisions; closed by the app's lifespan."""

    def decide(self, touch_id: int, action: Action, *, by: str, subject: str | None = None,
               body: str | None = None, note: str = "") -> Decision:
        """Resume the touch's graph with the decision; on approve the email is delivered."""
        answer: dict[str, Any] = {"action": action, "by": by}
        if action == "edit":
            answer["body"] = body or ""
            if subject is not None:
                answer["subject"] = subject
        if action == "reject" and note:
            answer["note"] = note
        with self._lock:
            agent = self._open()
            waiting = agent.runner.waiting(touch_id)
            if waiting is None:
                raise ApprovalConflict("this draft is not waiting for a decision")
            with self._db.session() as session:
                row = session.get(Touch, touch_id)
                if row is None or row.state not in WAITING_STATES:
                    # called off while it waited (an opt-out, a reply, a bounce): the graph
                    # would refuse to send it at the outbox, but say so plainly here
                    why = f" ({row.reason})" if row is not None and row.reason else ""
                    raise ApprovalConflict(
                        f"this draft is no longer waiting: it is "
                        f"{row.state if row else 'gone'}{why}")
            if action == "approve" and waiting.get("kind") == "held":
                # The graph would turn this into a rejection: say so instead of surprising anyone.
                raise ApprovalConflict("a held draft failed its checks: edit it or reject it")
            result = agent.runner.resume(touch_id, answer)
        with self._db.session() as session:
            touch = session.get(Touch, touch_id)
            state = touch.state if touch is not None else "missing"
        log.info("touch %s: %s by %s -> %s", touch_id, action, by, result.outcome)
        return Decision(touch_id, result.outcome, result.reason, state)
