"""The touch graph: ``load_context → guard → draft → check → (revise) → approve → deliver →
record``, one LangGraph thread per touch (``thread_id = touch-<id>``), checkpointed durably.
``draft``, ``check`` and ``revise`` run the steps of :mod:`cadenza.writing.revising`, the loop
``cadenza eval drafts`` runs too.

Built by a factory from its collaborators; nothing is compiled at import time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, RetryPolicy
from sqlalchemy import update
from sqlmodel import col

from cadenza.agent import nodes
from cadenza.agent.deps import AgentDeps
from cadenza.agent.retry_later import gave_up, is_transient, put_off
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Touch
from cadenza.store.outage import is_outage

log = logging.getLogger(__name__)
Durability = Literal["sync", "async", "exit"]


def _transient(exc: Exception) -> bool:
    """What a node retries at once: a server's 4xx, a lost connection, the LLM endpoint. Not
    a database error: a node retried after its write failed could act on a half-done step
    (the outbox's claim taken, the send done); the runner puts such a touch off instead."""
    return is_transient(exc) and not is_outage(exc)


def build_touch_graph(*, checkpointer: BaseCheckpointSaver[str] | None,
                      retry_attempts: int = 3, retry_interval: float = 0.5,
                      retry_jitter: bool = True) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Compile the graph; collaborators arrive per run as ``context=AgentDeps(...)``.

    A failing ``draft`` or ``deliver`` is retried after ``retry_interval`` seconds, doubling,
    plus up to a second of jitter (so workers that failed together do not retry together)."""
    retry = RetryPolicy(max_attempts=retry_attempts, initial_interval=retry_interval,
                        jitter=retry_jitter, retry_on=_transient)
    g: StateGraph[Any, Any, Any, Any] = StateGraph(nodes.TouchState, context_schema=AgentDeps)
    g.add_node("load_context", nodes.load_context, destinations=("guard", "__end__"))
    g.add_node("guard", nodes.guard, destinations=("draft", "hold", "record"))
    g.add_node("draft", nodes.draft, retry_policy=retry, destinations=("check", "approve"))
    g.add_node("check", nodes.check_node, destinations=("approve", "revise", "hold"))
    g.add_node("revise", nodes.revise, destinations=("draft",))
    g.add_node("hold", nodes.hold, destinations=("deliver", "record", "hold"))
    g.add_node("approve", nodes.approve, destinations=("deliver", "record", "hold"))
    g.add_node("deliver", nodes.deliver, retry_policy=retry, destinations=("record",))
    g.add_node("record", nodes.record, destinations=("__end__",))
    g.add_edge(START, "load_context")
    return g.compile(checkpointer=checkpointer, name="touch")


def thread_config(touch_id: int) -> dict[str, Any]:
    return {"configurable": {"thread_id": f"touch-{touch_id}"}}


@dataclass(frozen=True)
class TouchResult:
    """How one run of a touch ended: settled, waiting for a person, or failed."""

    touch_id: int
    outcome: str
    reason: str = ""
    waiting: dict[str, Any] | None = None


class TouchRunner:
    """Runs and resumes touch threads; turns a crash inside the graph into a visible failure."""

    def __init__(self, graph: CompiledStateGraph[Any, Any, Any, Any], deps: AgentDeps, *,
                 durability: Durability = "exit") -> None:
        self.graph = graph
        self.deps = deps
        self.durability: Durability = durability

    def run(self, touch_id: int) -> TouchResult:
        return self._invoke(touch_id, {"touch_id": touch_id})

    def resume(self, touch_id: int, answer: dict[str, Any]) -> TouchResult:
        """Resume a touch waiting for approval: ``{"action": approve|edit|reject, …}``."""
        if self.waiting(touch_id) is None:
            return TouchResult(touch_id, "not_waiting", "the touch is not waiting for a person")
        return self._invoke(touch_id, Command(resume=answer))

    def waiting(self, touch_id: int) -> dict[str, Any] | None:
        """The interrupt payload a touch is waiting on, or None."""
        snapshot = self.graph.get_state(thread_config(touch_id))  # type: ignore[arg-type]
        for task in snapshot.tasks:
            for intr in task.interrupts:
                return dict(intr.value)
        return None

    def _invoke(self, touch_id: int, payload: Any) -> TouchResult:
        try:
            out = self.graph.invoke(payload, thread_config(touch_id),  # type: ignore[call-overload]
                                    context=self.deps, durability=self.durability,
                                    version="v2")
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"[:500]
            if is_outage(exc):
                # our own database away says nothing about this touch: the caller waits it
                # out (the worker's loop), then the touch is due again at once, not failed
                # and not put off along the schedule
                raise
            if is_transient(exc):  # a 4xx, a lost connection, the LLM endpoint down
                return self._retry_later(touch_id, reason)
            log.exception("touch %s failed", touch_id)
            self._fail(touch_id, reason)
            return TouchResult(touch_id, "failed", reason)
        if out.interrupts:
            return TouchResult(touch_id, "waiting", waiting=dict(out.interrupts[0].value))
        value = out.value or {}
        return TouchResult(touch_id, str(value.get("outcome", "")), str(value.get("reason", "")))

    def _retry_later(self, touch_id: int, reason: str) -> TouchResult:
        """Put the touch off (:mod:`cadenza.agent.retry_later`); fail it once the schedule is
        spent."""
        schedule = self.deps.settings.retry_schedule()
        with self.deps.db.session() as s:
            outcome, until = put_off(s, touch_id=touch_id, reason=reason, now=self.deps.clock(),
                                     schedule=schedule)
        if outcome == "spent":
            reason = gave_up(reason, schedule)
            log.error("touch %s failed: %s", touch_id, reason)
            self._fail(touch_id, reason)
            return TouchResult(touch_id, "failed", reason)
        if outcome == "retry_later" and until is not None:
            return TouchResult(touch_id, outcome, f"{reason}; again at {until.isoformat()}")
        return TouchResult(touch_id, outcome, reason)

    def _fail(self, touch_id: int, reason: str) -> None:
        """A touch that keeps failing ends ``failed`` with its reason, never silently."""
        with self.deps.db.session() as s:
            touch = s.get(Touch, touch_id)
            if touch is None:
                return
            if touch.state != "sending":  # in flight: recovery decides, not a guess
                s.execute(update(Touch).where(col(Touch.id) == touch_id).values(
                    state="failed", reason=reason, updated_at=self.deps.clock()))
            enrollment = s.get(Enrollment, touch.enrollment_id)
            if enrollment is not None and enrollment.state == "active":
                enrollment.state, enrollment.stop_reason = "failed", reason[:200]
                enrollment.next_due_at = None
                s.add(enrollment)
            record_event(session=s, kind="touch.failed", workspace_id=touch.workspace_id,
                         subject_type="touch", subject_id=touch_id, reason=reason)
