"""The work inside the touch graph's nodes: drafting, checking, delivering, opening tasks.

Kept apart from the node wiring so each piece can be read (and tested) on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import col
from sqlmodel import select as sm_select

from cadenza.agent.deps import AgentDeps
from cadenza.agent.lifecycle import stop_enrollments, wait_for_person
from cadenza.agent.outbox import (
    claim_for_sending,
    mark_sent,
    recover_in_flight,
    release_claim,
)
from cadenza.agent.policy import workspace_policy
from cadenza.agent.retry_later import due_again
from cadenza.agent.send_caps import send_time_refusal
from cadenza.errors import DeliveryError
from cadenza.mailbox.compose import compose_email, message_id_for
from cadenza.mailbox.resting import note_hard_bounce
from cadenza.mailbox.send import (
    DeliveryUncertain,
    RecipientRefused,
    SecretUnavailable,
    SenderSetupError,
)
from cadenza.mailbox.unsubscribe import make_token, unsubscribe_url
from cadenza.prompts import render
from cadenza.prospects import ProspectIn
from cadenza.states import UNSENT, TouchState
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Mailbox, Prospect, Task, Touch
from cadenza.store.outage import is_outage, wait_for_database
from cadenza.store.suppressions import suppress
from cadenza.writing.checker import check_draft
from cadenza.writing.composing import footer_block
from cadenza.writing.drafting import Draft, DraftRequest
from cadenza.writing.facts import rank_facts
from cadenza.writing.names import display_first_name
from cadenza.writing.revising import step_request

log = logging.getLogger(__name__)


def touch_request(ctx: dict[str, Any], deps: AgentDeps) -> DraftRequest:
    """The draft loop's input for this touch (:func:`cadenza.writing.revising.step_request`)."""
    spec = ctx["playbook"]
    return step_request(
        prospect=ProspectIn.model_validate(ctx["prospect"]), sender=_sender(ctx),
        step=ctx["step"], channel=ctx["channel"], template=ctx["template"],
        today=deps.today(), previous_subject=ctx.get("previous_subject"),
        previous_fact_ids=frozenset(ctx.get("previous_fact_ids", [])),
        mailed_fact_ids=frozenset(ctx.get("mailed_fact_ids", [])),
        emailed_before=bool(ctx.get("emailed_before")),
        previous_bodies=tuple(ctx.get("previous_bodies") or ()),
        linkedin_note_limit=int(spec.get("linkedin_note_limit") or 300),
        subject_style=str(ctx.get("subject_style") or "template"),  # the A/B variant's
    )


def _sender(ctx: dict[str, Any]) -> Any:
    from cadenza.sender import SenderProfile

    return SenderProfile.model_validate(ctx["sender"])


def draft_data(draft: Draft) -> dict[str, Any]:
    """A draft as plain data for the graph state (checkpoints hold JSON, not models)."""
    data = draft.model_dump(mode="json")
    data["input_tokens"] = draft.usage.input_tokens
    data["output_tokens"] = draft.usage.output_tokens
    return data


def draft_model(draft: dict[str, Any]) -> Draft:
    """A draft from the graph state back as the model the checker reads."""
    return Draft.model_validate({k: v for k, v in draft.items() if k in Draft.model_fields})


def check(ctx: dict[str, Any], draft: dict[str, Any], deps: AgentDeps,
          ) -> tuple[bool, dict[str, Any], list[str]]:
    """The deterministic checker on a draft a person edited (the ``check`` node judges the
    drafter's own drafts)."""
    request = touch_request(ctx, deps)
    report = check_draft(draft_model(draft), prospect=request.prospect, sender=request.sender,
                         request=request)
    return report.passed, dict(report.checks), report.failures


def with_footer(ctx: dict[str, Any], draft: dict[str, Any], body: str, deps: AgentDeps) -> str:
    """A person's edit of an email, with the compliance footer at its end.

    The footer (postal address, opt-out) is the product's duty, not the editor's: an edit that
    leaves it out gets it back, as sequencing tools append theirs, instead of being held for a
    missing footer the person never meant to remove. What the person wrote is kept as written
    and checked like any draft.
    """
    request = touch_request(ctx, deps)
    footer = footer_block(request.sender, str(draft.get("language") or request.lang))
    text = body.rstrip()
    return text if text.endswith(footer) else f"{text}\n\n{footer}"


def render_call(ctx: dict[str, Any], deps: AgentDeps) -> str:
    """A talk track for an agent-owned call or social step (a person does it)."""
    prospect = ProspectIn.model_validate(ctx["prospect"])
    sender = _sender(ctx)
    facts = rank_facts(prospect, sender, today=deps.today()) if prospect.facts else []
    value = sender.value_propositions[0].text if sender.value_propositions else ""
    name = display_first_name(prospect)
    template = "tasks/social_engagement.j2" if ctx["channel"] == "manual" else \
        "tasks/call_script.j2"
    return render(template, name=name, title=prospect.title or "",
                  company=prospect.company or "", fact=facts[0].phrase if facts else "",
                  value=value, topic=sender.product_name or sender.company,
                  sender_name=sender.sender.first_name or sender.company,
                  sender_company=sender.company)


_MAILBOX = select(Mailbox).where(col(Mailbox.id) == bindparam("id"))


_MAILBOX_OBJECTS: dict[str, Mailbox] = {}


def _mailbox_of(row: str, values: dict[str, Any]) -> Mailbox:
    """One Mailbox object per distinct row: building one costs more than reading the row, and
    any change to the row (credentials, cap, active) makes a new one."""
    box = _MAILBOX_OBJECTS.get(row)
    if box is None:
        if len(_MAILBOX_OBJECTS) > 1024:
            _MAILBOX_OBJECTS.clear()
        box = _MAILBOX_OBJECTS[row] = Mailbox(**values)
    return box


class MailboxDisabled(Exception):
    """The enrollment's mailbox was taken out of rotation (a policy block, a refused login)."""


def _mailbox(deps: AgentDeps, ctx: dict[str, Any]) -> Mailbox | None:
    """The enrollment's mailbox if it is still active (read now: a refused login or a policy
    block takes a mailbox out of rotation), else the workspace's first active one when the
    enrollment has none. A disabled mailbox of the enrollment raises :class:`MailboxDisabled`:
    its touches wait for it rather than go out from another address mid-thread."""
    with deps.db.session() as s:
        if ctx.get("mailbox_id"):
            row = s.connection().execute(_MAILBOX, {"id": ctx["mailbox_id"]}).first()
            if row is not None and row.active:
                return _mailbox_of(repr(tuple(row)), row._asdict())
            if row is not None:
                raise MailboxDisabled(f"mailbox {row.email} is disabled")
        return s.exec(sm_select(Mailbox).where(Mailbox.workspace_id == ctx["workspace_id"],
                                               Mailbox.active == True)  # noqa: E712
                      .order_by(col(Mailbox.id))).first()


def _gdpr_line(ctx: dict[str, Any], body: str) -> str:
    policy = workspace_policy(ctx["policy"])
    return f"{body}\n\n{policy.gdpr_notice_text}" if policy.gdpr_notice else body


def deliver_email(ctx: dict[str, Any], draft: dict[str, Any], deps: AgentDeps,
                  touch_id: int, *, approved_by: str = "auto",
                  columns: dict[str, Any] | None = None) -> tuple[str, str]:
    """Send one email exactly once (see :mod:`cadenza.agent.outbox`); ``columns`` are the
    draft's other columns (facts used, drafter, tokens, checks), stored with the claim."""
    try:
        mailbox = _mailbox(deps, ctx)
    except MailboxDisabled as exc:
        _come_back(deps, ctx, touch_id, str(exc), dt.timedelta(hours=1))
        return "deferred", str(exc)
    if mailbox is None:
        return "failed", "no active mailbox in the workspace"
    sender = _sender(ctx)
    domain = mailbox.email.rsplit("@", 1)[-1]
    message_id = message_id_for(workspace_id=ctx["workspace_id"],
                                enrollment_id=ctx["enrollment_id"], step=ctx["step"],
                                domain=domain, key=deps.signing_key,
                                attempt=int(ctx.get("attempt", 1)))
    token = make_token(key=deps.signing_key, prospect_id=ctx["prospect_row_id"],
                       touch_id=touch_id)
    thread = list(ctx.get("thread_message_ids", []))
    from_name = " ".join(p for p in (sender.sender.first_name, sender.sender.last_name) if p)
    text = _gdpr_line(ctx, draft["body"])
    html = draft.get("html") if text == draft["body"] else None
    if not html:
        from cadenza.writing.composing import to_html

        html = to_html(text)
    now = deps.clock()
    message = compose_email(
        from_name=from_name or mailbox.display_name or sender.company,
        from_address=mailbox.email, to_address=ctx["email"],
        subject=draft.get("subject") or "", text=text, html=html, message_id=message_id,
        in_reply_to=thread[-1] if thread else None, references=tuple(thread),
        unsubscribe_url=unsubscribe_url(deps.settings.public_base_url_for(ctx["policy"]),
                                        token),
        unsubscribe_mailto=f"mailto:{mailbox.email}?subject=unsubscribe", date=now,
    )
    try:
        with deps.db.session() as s:
            content = {**(columns or {}), "to_address": ctx["email"],
                       "in_reply_to": thread[-1] if thread else "", "references": " ".join(thread),
                       "subject": draft.get("subject") or "", "body": text, "html": html,
                       "approved_by": approved_by}
            refusal = send_time_refusal(
                s, touch_id=touch_id, mailbox=mailbox, workspace_id=ctx["workspace_id"],
                address=ctx["email"], now=now, sqlite=deps.db.is_sqlite,
                domain_cap=workspace_policy(ctx["policy"]).domain_daily_cap,
                warmup=workspace_policy(ctx["policy"]).warmup)
            if refusal is not None:  # a cap would break: put off until it allows, not dropped
                s.rollback()
                _come_back(deps, ctx, touch_id, refusal.reason, refusal.until - now)
                return "deferred", refusal.reason
            claim = claim_for_sending(s, touch_id=touch_id, message_id=message_id, now=now,
                                      **content)
            if claim.reason.startswith("unread"):
                _come_back(deps, ctx, touch_id, claim.reason, dt.timedelta(minutes=10))
                return "deferred", claim.reason
            if claim.safety:
                _refused_at_send_time(s, ctx, touch_id, claim.reason, now)
                return "cancelled", claim.reason
            if not claim:
                current = s.get(Touch, touch_id)
                if current is not None and current.state == TouchState.SENDING:
                    # another run has it at SMTP (a worker whose lease a database restart took):
                    # that run or recovery settles it; settling it here could undo a send
                    return "elsewhere", claim.reason
                return (current.state if current else "failed"), claim.reason
    except Exception as exc:
        if is_outage(exc):  # the database went away before the send: nothing went out
            _give_back_unsent(deps, touch_id, now)
        raise
    transport = deps.sender_for(mailbox)
    try:
        transport.send(message, envelope_from=mailbox.email, recipients=[ctx["email"]])
    except DeliveryUncertain as exc:
        # the body was handed over and then the connection broke: it may have gone out, so a
        # blind retry could send twice. Settled now, as recovery would (the Sent folder, else
        # held for a person): left in flight, the touch was owned by this live worker, which
        # nobody settles until it dies, and its enrollment waited with no due time for ever
        log.warning("touch %s: delivery uncertain: %s", touch_id, exc)
        if _settle_uncertain(deps, mailbox, touch_id, message_id):
            return "sent", ""
        return "in_flight", f"delivery uncertain: {exc}"
    except SecretUnavailable as exc:
        with deps.db.session() as s:
            release_claim(s, touch_id=touch_id, reason=str(exc), now=deps.clock())
        log.error("touch %s waits: %s (fix this process's environment)", touch_id, exc)
        _come_back(deps, ctx, touch_id, str(exc), dt.timedelta(minutes=15))
        return "deferred", f"this process cannot read the secret: {exc}"
    except DeliveryError as exc:
        with deps.db.session() as s:
            if not getattr(exc, "permanent", False):
                release_claim(s, touch_id=touch_id, reason=str(exc), now=deps.clock())
                raise  # the node's retry policy tries again; nothing went out
            _permanent_failure(s, ctx, touch_id, exc, deps.clock())
        return "failed", f"smtp: {exc}"
    _write_down_accepted(deps, touch_id)
    if mailbox.sent_folder and mailbox.imap_host:  # the operator asked for Sent copies
        _copy_to_sent(mailbox, message.as_bytes())
    return "sent", ""


def _give_back_unsent(deps: AgentDeps, touch_id: int, claimed_at: dt.datetime) -> None:
    """``sending → approved`` for a touch this run never handed to SMTP: the database went
    away while it was being claimed, and the claim may have been written all the same. Left
    ``sending``, recovery could only hold it as unconfirmed for a person; this run knows it
    did not go out, so it gives it back (and the cut-short pass makes it due again). Only this
    run's own claim is given back (``sending_at`` is the moment it claimed at): a claim never
    written, or another run's touch at SMTP, is left as it is."""
    def give_back() -> None:
        with deps.db.session() as s:
            release_claim(s, touch_id=touch_id, now=deps.clock(), sending_at=claimed_at,
                          reason="the database went away before the send")

    _once_reachable(deps, give_back)


def _write_down_accepted(deps: AgentDeps, touch_id: int) -> None:
    """``sent``, once the server accepted the message. Only this run knows it went out: if
    the database is away now, the touch is still ``sending`` there, and left so, recovery
    could only hold it as unconfirmed (with no Sent folder to search) for a person to sort
    out a send that certainly happened. ``mark_sent`` sets ``sent`` whatever recovery did
    meanwhile, since the server's acceptance outranks its guess."""
    def write() -> None:
        with deps.db.session() as s:
            mark_sent(s, touch_id=touch_id, now=deps.clock())

    _once_reachable(deps, write)


def _once_reachable(deps: AgentDeps, write: Callable[[], None]) -> None:
    """Run ``write`` — what only this run knows about a touch — trying again while the
    database is away, for up to ``CADENZA_DATABASE_WAIT_SECONDS``."""
    wait_for_database(write, stop=threading.Event(),
                      patience=deps.settings.database_wait_seconds)


def _settle_uncertain(deps: AgentDeps, mailbox: Mailbox, touch_id: int,
                      message_id: str) -> bool:
    """Settle a touch whose delivery is uncertain by the outbox's recovery; True when the
    mailbox's Sent folder shows it went out (``sent``), else it is ``held`` as
    ``delivery_unconfirmed``."""
    from cadenza.mailbox.sent_folder import sent_folder_shows

    found = sent_folder_shows(mailbox, message_id)
    with deps.db.session() as s:
        if found:  # it went out: the ordinary path, so ``record`` announces it once
            mark_sent(s, touch_id=touch_id, now=deps.clock())
            return True
        recover_in_flight(s, now=deps.clock(), older_than=dt.timedelta(0),
                          in_sent_folder=lambda _touch: found, only=[touch_id])
    return False


def _come_back(deps: AgentDeps, ctx: dict[str, Any], touch_id: int, reason: str,
               after: dt.timedelta) -> None:
    """Not now, nothing lost: the touch keeps its state and the enrollment is due again
    ``after`` from now (a disabled mailbox, a reply not read yet, a cap). The worker's claim
    is given up: the touch no longer counts against the caps until it is claimed again."""
    now = deps.clock()
    with deps.db.session() as s:
        due_again(s, touch_id=touch_id, enrollment_id=ctx["enrollment_id"], at=now + after,
                  now=now)


def _refused_at_send_time(session: Any, ctx: dict[str, Any], touch_id: int, reason: str,
                          now: dt.datetime) -> None:
    """The send-time check said no: the touch is called off, and when a person's reply is the
    cause (a path that should have stopped the cadence did not) the prospect waits for a
    person rather than risk a follow-up to someone who answered."""
    session.execute(update(Touch).where(col(Touch.id) == touch_id,
                                        col(Touch.state).in_(sorted(UNSENT)))
                    .values(state=TouchState.CANCELLED, reason=f"at send time: {reason}",
                            updated_at=now))
    if reason.startswith("replied"):
        wait_for_person(session, prospect_id=ctx["prospect_row_id"], now=now,
                        reason=f"send-time check: {reason}")
    record_event(session=session, kind="touch.refused_at_send", workspace_id=ctx["workspace_id"],
                 subject_type="touch", subject_id=touch_id, reason=reason)
    session.commit()
    log.warning("touch %s not sent: %s", touch_id, reason)


def _copy_to_sent(mailbox: Mailbox, raw: bytes) -> None:
    try:
        from cadenza.mailbox.sent_folder import append_sent_copy

        append_sent_copy(mailbox=mailbox, message=raw)
    except Exception as exc:  # a missing Sent copy must not fail a delivered touch
        log.warning("could not copy touch to the Sent folder of %s: %s", mailbox.email, exc)


def _permanent_failure(session: Any, ctx: dict[str, Any], touch_id: int,
                       exc: DeliveryError, now: dt.datetime) -> None:
    """A permanent refusal. Only a refused *recipient* says anything about the prospect (a hard
    bounce); a refused login, TLS or sender address is our mailbox's problem: the mailbox is
    taken out of rotation and a person alerted, and no prospect is suppressed for it."""
    reason = f"smtp: {exc}"
    session.execute(update(Touch).where(col(Touch.id) == touch_id)
                    .values(state=TouchState.FAILED, reason=reason, updated_at=now))
    enrollment = session.get(Enrollment, ctx["enrollment_id"])
    if isinstance(exc, RecipientRefused):
        prospect = session.get(Prospect, ctx["prospect_row_id"])
        if prospect is not None:
            prospect.email_status = "bounced"
            session.add(prospect)
        suppress(session=session, workspace_id=ctx["workspace_id"], value=ctx["email"],
                 reason="hard_bounce", source=f"touch {touch_id}")
        stop_enrollments(session, prospect_id=ctx["prospect_row_id"], reason="hard_bounce",
                         now=now, source=f"touch {touch_id}")
        note_hard_bounce(session, ctx.get("mailbox_id"), now,
                         source=f"touch {touch_id}")  # a spike rests the mailbox
        enrollment = None
    else:
        if isinstance(exc, SenderSetupError) and ctx.get("mailbox_id"):
            box = session.get(Mailbox, ctx["mailbox_id"])
            if box is not None:
                box.active = False
                session.add(box)
        session.add(Task(workspace_id=ctx["workspace_id"], kind="deliverability_alert",
                         touch_id=touch_id, prospect_id=ctx["prospect_row_id"],
                         title="Sending refused: check the mailbox", body=reason))
        if enrollment is not None:
            enrollment.state, enrollment.stop_reason, enrollment.next_due_at = (
                "paused", "delivery_refused", None)
    if enrollment is not None:
        session.add(enrollment)
    record_event(session=session, kind="delivery.refused", workspace_id=ctx["workspace_id"],
                 subject_type="touch", subject_id=touch_id, reason=reason,
                 recipient_refused=isinstance(exc, RecipientRefused))
    session.commit()


def open_task(ctx: dict[str, Any], draft: dict[str, Any], deps: AgentDeps,
              touch_id: int) -> tuple[str, str]:
    """LinkedIn, call and manual steps become a person's task: Cadenza never automates them."""
    prospect = ctx["prospect"]
    name = " ".join(p for p in (prospect.get("first_name"), prospect.get("last_name")) if p)
    titles = {"linkedin_connect": "Send LinkedIn connection request",
              "linkedin_message": "Send LinkedIn message", "call": "Call",
              "manual": "Engage on social"}
    with deps.db.session() as s:
        existing = s.exec(_task_for(touch_id)).first()
        if existing is None:
            s.add(Task(workspace_id=ctx["workspace_id"], kind=ctx["channel"],
                       touch_id=touch_id, prospect_id=ctx["prospect_row_id"],
                       title=f"{titles.get(ctx['channel'], 'Task')}: {name or ctx['email']}",
                       body=draft.get("body", ""), link=prospect.get("linkedin_url") or "",
                       data={"step": ctx["step"], "company": prospect.get("company")}))
        s.execute(update(Touch).where(col(Touch.id) == touch_id).values(
            state="task_open", to_address=prospect.get("linkedin_url") or ctx["email"],
            body=draft.get("body", ""), updated_at=deps.clock()))
    return "task_open", ""


def _task_for(touch_id: int) -> Any:
    from sqlmodel import select

    return select(Task).where(Task.touch_id == touch_id)
