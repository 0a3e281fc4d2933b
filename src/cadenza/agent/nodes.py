"""The nodes of the touch graph.

Each node is idempotent against the touch row: LangGraph re-runs an interrupted node from its
top on resume, and a crashed run is restarted from its last checkpoint, so a node first looks
at the row's state and skips work already done. Nodes return ``Command(goto=…, update=…)``.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, TypedDict

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from sqlalchemy import bindparam, select, update
from sqlmodel import col

from cadenza.addresses import is_personal_webmail, is_role_account
from cadenza.agent.context import load_touch_context
from cadenza.agent.deps import AgentDeps
from cadenza.agent.leads import record_lead_contacted
from cadenza.agent.lifecycle import stop_enrollments
from cadenza.agent.policy import workspace_policy
from cadenza.agent.progress import advance_enrollment
from cadenza.agent.touch_work import (
    check,
    deliver_email,
    draft_data,
    draft_model,
    open_task,
    render_call,
    touch_request,
    with_footer,
)
from cadenza.errors import NotFoundError
from cadenza.prospects import ProspectIn
from cadenza.states import ADVANCING, SETTLED, TERMINAL
from cadenza.states import TouchState as Touches
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Prospect, Touch
from cadenza.store.suppressions import is_suppressed
from cadenza.writing.composing import to_html
from cadenza.writing.deferral import defer_reason
from cadenza.writing.revising import draft_attempt, judge

log = logging.getLogger(__name__)


class TouchState(TypedDict, total=False):
    """The graph's state: plain JSON, so checkpoints load anywhere."""

    touch_id: int
    ctx: dict[str, Any]
    draft: dict[str, Any] | None
    checks: dict[str, Any]
    failures: list[str]  # the failed checks: shown to a person, stored as a held touch's reason
    feedback: list[str]  # the checker's reasons: what a revision is asked to fix
    attempt: int  # revisions of the draft so far
    approved_by: str
    outcome: str
    reason: str



def _touch_update(deps: AgentDeps, touch_id: int, **values: Any) -> None:
    """Update the touch row unless it is already in flight or settled (defence in depth
    against a duplicate run of the same thread)."""
    with deps.db.session() as s:
        s.execute(update(Touch).where(col(Touch.id) == touch_id,
                                      col(Touch.state).not_in(SETTLED))
                  .values(updated_at=deps.clock(), **values)
                  .execution_options(synchronize_session=False))


def load_context(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    deps = runtime.context
    with deps.db.session() as s:
        try:
            ctx = load_touch_context(s, state["touch_id"])
        except NotFoundError:
            if s.get(Touch, state["touch_id"]) is not None:
                raise  # the touch is there but lost what it belongs to: fail visibly
            return Command(goto="__end__", update={"outcome": "missing", "reason": "no touch"})
        touch = s.get(Touch, state["touch_id"])  # already loaded with the context: no query
        if touch is not None and touch.state in TERMINAL:
            return Command(goto="__end__", update={"outcome": touch.state,
                                                   "reason": "already settled"})
    return Command(goto="guard", update={"ctx": ctx.__dict__, "attempt": 0})


#: The enrollment and address as they are now (built once: it runs for every touch).
_NOW = (select(col(Enrollment.state), col(Enrollment.next_step), col(Prospect.email),
               col(Prospect.email_status))
        .join(Prospect, col(Prospect.id) == bindparam("prospect_id"))
        .where(col(Enrollment.id) == bindparam("enrollment_id")))


def guard(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    """Re-read suppression and enrollment state *now*: an opt-out stops everything at once."""
    deps = runtime.context
    ctx = state["ctx"]
    with deps.db.session() as s:
        row = s.connection().execute(_NOW, {"enrollment_id": ctx["enrollment_id"],
                                            "prospect_id": ctx["prospect_row_id"]}).one()
        policy = workspace_policy(ctx["policy"])
        reason = ""
        if is_suppressed(session=s, workspace_id=ctx["workspace_id"], address=row.email):
            reason = "suppressed"
        elif row.state != "active":
            reason = f"enrollment {row.state}"
        elif row.next_step != ctx["step"]:
            reason = "enrollment moved on"
        elif row.email_status != "valid" and ctx["channel"] == "email":
            reason = f"email {row.email_status}"
    if reason:
        return Command(goto="record", update={"outcome": "cancelled", "reason": reason})
    country = (ctx["prospect"].get("country") or "").upper()
    if ctx["channel"] == "email" and country and country in {
            c.upper() for c in policy.hold_countries}:
        return Command(goto="hold", update={"failures": [f"country_policy:{country}"]})
    if ctx["channel"] == "email" and is_role_account(ctx["email"]):
        return Command(goto="record", update={"outcome": "skipped", "reason": "role_account"})
    if ctx["channel"] == "email" and is_personal_webmail(
            ctx["email"], ctx["prospect"].get("company_domain")):
        return Command(goto="hold", update={"failures": ["personal_email"]})
    deferred = defer_reason(ProspectIn.model_validate(ctx["prospect"]), today=deps.today(),
                            competitors=(ctx.get("sender") or {}).get("competitors") or ())
    if deferred is not None and ctx["channel"] not in ("call", "manual"):
        # the prospect as a whole is a person's (the batch drafter decides the same): every
        # step is held, none drafted as a follow-up to a touch that never went out
        return Command(goto="hold", update={"failures": [deferred]})
    if ctx["channel"] in ("linkedin_connect", "linkedin_message") and not ctx["prospect"].get(
            "linkedin_url"):
        return Command(goto="record", update={"outcome": "skipped",
                                              "reason": "no_linkedin_url"})
    return Command(goto="draft")


def draft(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    """One attempt of the draft → check → revise loop (:mod:`cadenza.writing.revising`, the
    steps ``cadenza eval drafts`` runs too); calls and manual steps get a talk track for a
    person instead (nothing to check: nobody receives it)."""
    deps = runtime.context
    ctx = state["ctx"]
    if ctx["channel"] in ("call", "manual"):
        text = render_call(ctx, deps)
        return Command(goto="approve", update={
            "draft": {"channel": ctx["channel"], "subject": None, "body": text, "html": None,
                      "fact_ids": [], "drafter": "template", "template": ctx["template"] or ""},
            "checks": {}, "failures": []})
    result = draft_attempt(deps.drafter, touch_request(ctx, deps),
                           attempt=state.get("attempt", 0), feedback=state.get("feedback", []))
    return Command(goto="check", update={"draft": draft_data(result)})


def draft_columns(state: TouchState) -> dict[str, Any]:
    """The draft as touch-row columns. Written once, with the step that settles or pauses the
    touch (the outbox claim, the task, the pause for a person), not after every check: a
    draft nobody will see or send needs no row write of its own."""
    result = state.get("draft") or {}
    return {"subject": result.get("subject") or "", "body": result.get("body") or "",
            "html": result.get("html") or "", "fact_ids": result.get("fact_ids", []),
            "drafter": result.get("drafter", ""), "input_tokens": result.get("input_tokens", 0),
            "output_tokens": result.get("output_tokens", 0), "checks": state.get("checks", {})}


#: Where the loop's verdict leads in this graph.
_AFTER_CHECK = {"pass": "approve", "revise": "revise", "hold": "hold"}


def check_node(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    """Judge the draft: on to approval, back for a revision, or held for a person."""
    deps = runtime.context
    verdict = judge(draft_model(state["draft"] or {}), touch_request(state["ctx"], deps),
                    attempt=state.get("attempt", 0), max_revisions=deps.max_revisions)
    report = verdict.report
    return Command(goto=_AFTER_CHECK[verdict.next], update={
        "checks": dict(report.checks), "failures": report.failures,
        "feedback": list(report.reasons)})


def revise(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    return Command(goto="draft", update={"attempt": state.get("attempt", 0) + 1})


def _needs_approval(deps: AgentDeps, ctx: dict[str, Any], touch_id: int) -> bool:
    """Whether this touch waits for a person. Decided once: LangGraph re-runs the ``approve``
    node from its top when a decision resumes it, and by then the ``first_n`` count may have
    been reached by other approvals — so a touch already waiting keeps waiting for its answer
    instead of slipping through as auto-approved."""
    from sqlmodel import func, select

    from cadenza.store.models import Playbook

    policy = workspace_policy(ctx["policy"]).approval
    if policy.mode == "never":
        return False
    if policy.mode == "always":
        return True
    with deps.db.session() as s:
        if s.connection().execute(_TOUCH_STATE, {"touch_id": touch_id}).scalar() == \
                Touches.AWAITING_APPROVAL:
            return True
        approved = s.exec(select(func.count()).select_from(Touch)
                          .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
                          .join(Playbook, col(Playbook.id) == Enrollment.playbook_id).where(
            Touch.workspace_id == ctx["workspace_id"],
            Playbook.name == ctx["playbook"]["name"],
            col(Touch.approved_by).not_in(["", "auto"]))).one()
        return int(approved) < policy.first_n


def _decide(state: TouchState, deps: AgentDeps, kind: str) -> dict[str, Any]:
    """Pause for a person; the answer arrives as ``Command(resume=…)``, maybe in another process."""
    _touch_update(deps, state["touch_id"],
                  state="awaiting_approval" if kind == "approval" else "held",
                  reason="; ".join(state.get("failures", [])), **draft_columns(state))
    answer = interrupt({"kind": kind, "touch_id": state["touch_id"], "draft": state.get("draft"),
                        "failures": state.get("failures", []),
                        "facts": state["ctx"]["prospect"].get("facts", [])})
    if not isinstance(answer, dict) or answer.get("action") not in ("approve", "edit", "reject"):
        raise ValueError(f"approval answer must be approve/edit/reject, got {answer!r}")
    return answer


def approve(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    deps = runtime.context
    if not _needs_approval(deps, state["ctx"], state["touch_id"]):
        if state["ctx"]["channel"] != "email":  # tasks: no outbox claim to carry the marker
            _touch_update(deps, state["touch_id"], state="approved", approved_by="auto",
                          **draft_columns(state))
        return Command(goto="deliver", update={"approved_by": "auto"})
    return _apply_answer(state, deps, _decide(state, deps, "approval"))


def hold(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    """A draft that failed its checks (or a country rule) waits for a person; never sent as is."""
    deps = runtime.context
    answer = _decide(state, deps, "held")
    if answer["action"] == "approve":
        answer = {**answer, "action": "reject", "note": "a held draft cannot be approved unedited"}
    return _apply_answer(state, deps, answer)


def _apply_answer(state: TouchState, deps: AgentDeps, answer: dict[str, Any]) -> Command[Any]:
    by = str(answer.get("by") or "operator")
    if answer["action"] == "reject":
        _touch_update(deps, state["touch_id"], state="rejected", approved_by=by,
                      reason=str(answer.get("note") or "rejected by a person"))
        return Command(goto="record", update={"outcome": "rejected", "approved_by": by,
                                              "reason": "rejected"})
    current = dict(state.get("draft") or {})
    if answer["action"] == "edit":
        current["subject"] = answer.get("subject", current.get("subject"))
        current["body"] = str(answer.get("body", current.get("body")) or "")
        if current.get("channel") == "email":
            current["body"] = with_footer(state["ctx"], current, current["body"], deps)
        current["html"] = to_html(current["body"])
        current["edited_by"] = by
        if current.get("channel") == "email":
            passed, checks, failures = check(state["ctx"], current, deps)
            if not passed:
                _touch_update(deps, state["touch_id"], state="held", checks=checks,
                              reason="edited draft failed: " + ", ".join(failures))
                return Command(goto="hold", update={"draft": current, "checks": checks,
                                                    "failures": failures})
        _touch_update(deps, state["touch_id"], subject=current.get("subject") or "",
                      body=current["body"])
    _touch_update(deps, state["touch_id"], state="approved", approved_by=by)
    return Command(goto="deliver", update={"draft": current, "approved_by": by})


def deliver(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    deps = runtime.context
    ctx = state["ctx"]
    if ctx["channel"] == "email":
        outcome, reason = deliver_email(ctx, state["draft"] or {}, deps, state["touch_id"],
                                        approved_by=state.get("approved_by", "auto"),
                                        columns=draft_columns(state))
    else:
        outcome, reason = open_task(ctx, state["draft"] or {}, deps, state["touch_id"])
    return Command(goto="record", update={"outcome": outcome, "reason": reason})


_TOUCH_STATE = select(col(Touch.state)).where(col(Touch.id) == bindparam("touch_id"))

#: The touch as it is now, and its settlement (built once: both run for every touch).
_TOUCH_NOW = (select(col(Touch.state), col(Touch.reason), col(Touch.message_id),
                     col(Touch.subject), col(Touch.to_address), col(Touch.sent_at),
                     col(Touch.attempt)).where(col(Touch.id) == bindparam("touch_id")))
_SETTLE = (update(Touch).where(col(Touch.id) == bindparam("touch_id"),
                               # in flight: only the outbox (sent, released, recovered)
                               col(Touch.state).not_in(("sent", "task_open", "sending")))
           .values(state=bindparam("state"), reason=bindparam("reason"),
                   updated_at=bindparam("now")))


def record(state: TouchState, runtime: Runtime[AgentDeps]) -> Command[Any]:
    """Settle the touch and move the enrollment on (or hand it to a rep)."""
    deps = runtime.context
    ctx = state["ctx"]
    touch_id = state["touch_id"]
    outcome: Literal["sent", "task_open", "skipped", "rejected", "cancelled", "failed"] | str
    outcome = state.get("outcome", "failed")
    now = deps.clock()
    with deps.db.session() as s:
        conn = s.connection()
        # in flight (recovery settles it), put off (the scheduler), or another run's to settle
        if outcome in ("in_flight", "deferred", "elsewhere"):
            record_event(session=s, kind=f"touch.{outcome}", workspace_id=ctx["workspace_id"],
                         subject_type="touch", subject_id=touch_id, reason=state.get("reason"))
            return Command(goto="__end__", update={"outcome": outcome})
        touch = conn.execute(_TOUCH_NOW, {"touch_id": touch_id}).one()
        settled, reason = touch.state, touch.reason
        if settled not in ("sent", "task_open"):
            settled = outcome if outcome in TERMINAL else "failed"
            reason = state.get("reason", touch.reason)
            conn.execute(_SETTLE, {"touch_id": touch_id, "state": settled, "reason": reason,
                                   "now": now})
        # the ids and fields a webhook subscriber gets with touch.sent (cadenza.event_types)
        record_event(session=s, kind=f"touch.{settled}", workspace_id=ctx["workspace_id"],
                     subject_type="touch", subject_id=touch_id, step=ctx["step"],
                     channel=ctx["channel"], reason=reason,
                     enrollment_id=ctx["enrollment_id"], touch_id=touch_id,
                     prospect_id=ctx["prospect_row_id"], playbook=ctx["playbook"].get("name"),
                     attempt=touch.attempt, subject=touch.subject,
                     message_id=touch.message_id, to_address=touch.to_address,
                     sent_at=touch.sent_at.isoformat() if touch.sent_at else None)
        if settled == Touches.SENT and ctx["step"] == 1 and \
                ctx["playbook"].get("kind") == "inbound":
            record_lead_contacted(s, ctx=ctx, touch_id=touch_id, delivered_at=touch.sent_at)
        if outcome in ADVANCING:
            advance_enrollment(s, enrollment_id=ctx["enrollment_id"], done_step=ctx["step"],
                               now=now, message_id=touch.message_id, subject=touch.subject,
                               channel=ctx["channel"], definition=ctx["playbook"],
                               prospect_timezone=ctx["prospect"].get("timezone"),
                               prospect_country=ctx["prospect"].get("country"),
                               workspace_timezone=ctx["policy"].get("timezone"))
        elif outcome == Touches.CANCELLED and reason == "suppressed":
            stop_enrollments(s, prospect_id=ctx["prospect_row_id"], reason="suppressed",
                             now=now, source=f"touch {touch_id}")
    return Command(goto="__end__", update={"outcome": outcome})
