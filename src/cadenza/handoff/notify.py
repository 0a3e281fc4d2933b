"""Tell people about tickets: the notice, the notifier contract, and the email notifier.

A :class:`Notice` is built once from the database (plain text only: the reply's raw HTML never
leaves the ticket) and handed to every notifier. The rep's email is an *internal* message: it
carries ``Auto-Submitted: auto-generated`` so the rep's out-of-office does not answer it, which
prospect mail must never carry. That is why it has its own small builder and transport
(:class:`SmtpNotificationMailer`: the same SMTP client, with only the envelope check) instead
of ``compose_email`` and the prospect-mail compliance layer, which refuses that header by
design.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
import uuid
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Literal, Protocol, cast

from sqlmodel import Session

from cadenza.addresses import validate_email_address
from cadenza.errors import DeliveryError, NotFoundError
from cadenza.handoff.decision import RoutingDecision
from cadenza.handoff.rules import RoutingConfig
from cadenza.handoff.summary import INTENT_LABELS, person, summarize
from cadenza.mailbox.compose import check_envelope
from cadenza.mailbox.quotes import strip_reply
from cadenza.mailbox.smtp import Security, SMTPSender
from cadenza.store.events import record_event
from cadenza.store.models import Handoff, Prospect, Rep, Reply

log = logging.getLogger(__name__)

NoticeKind = Literal["assigned", "escalated", "reassigned", "queued"]


@dataclass(frozen=True)
class Notice:
    """What happened to which ticket, in plain text, and who should hear about it."""

    kind: NoticeKind
    workspace_id: int
    handoff_id: int
    recipients: tuple[str, ...]
    rep_email: str | None
    queue: str
    prospect: str
    intent: str
    priority: int
    summary: str
    reason: str
    sla_due_at: dt.datetime | None
    at: dt.datetime

    def url(self, public_base_url: str) -> str:
        """The ticket page."""
        return f"{public_base_url.rstrip('/')}/tickets/{self.handoff_id}"

    def title(self) -> str:
        label = INTENT_LABELS.get(self.intent, self.intent)
        verb = {"assigned": "New handoff", "escalated": "SLA missed",
                "reassigned": "Reassigned to you", "queued": "Handoff in queue"}[self.kind]
        return f"{verb}: {self.prospect} ({label})"

    def payload(self, public_base_url: str) -> dict[str, Any]:
        """The webhook body: a ticket summary, never the raw reply."""
        return {
            "event": f"handoff.{self.kind}", "handoff_id": self.handoff_id,
            "workspace_id": self.workspace_id, "rep_email": self.rep_email,
            "queue": self.queue, "prospect": self.prospect, "intent": self.intent,
            "priority": self.priority, "summary": self.summary, "reason": self.reason,
            "sla_due_at": self.sla_due_at.isoformat() if self.sla_due_at else None,
            "at": self.at.isoformat(), "url": self.url(public_base_url),
        }


class Notifier(Protocol):
    """Delivers a notice. Implementations never raise on a failed delivery: they log it
    (an event, a delivery row) and return, so a dead webhook cannot stop routing or the SLA
    timer. Writes go to ``session`` and commit with the caller's transaction."""

    def notify(self, notice: Notice, *, session: Session) -> None: ...


def build_notice(*, session: Session, handoff_id: int, kind: NoticeKind, now: dt.datetime,
                 extra_recipients: tuple[str, ...] = ()) -> Notice:
    """The notice for one ticket as it is now; the assigned rep is the first recipient."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.id is None:
        raise NotFoundError(f"no handoff {handoff_id}")
    prospect = session.get(Prospect, handoff.prospect_id)
    rep = session.get(Rep, handoff.rep_id) if handoff.rep_id is not None else None
    reply = session.get(Reply, handoff.reply_id) if handoff.reply_id is not None else None
    said = _reply_text(reply)
    recipients = [rep.email] if rep is not None else []
    recipients += [r for r in extra_recipients if r not in recipients]
    return Notice(kind=kind, workspace_id=handoff.workspace_id, handoff_id=handoff.id,
                  recipients=tuple(recipients), rep_email=rep.email if rep else None,
                  queue=handoff.queue, prospect=person(prospect), intent=handoff.intent,
                  priority=handoff.priority, summary=summarize(handoff, prospect, said),
                  reason=handoff.route_reason, sla_due_at=handoff.sla_due_at, at=now)


def _reply_text(reply: Reply | None) -> str:
    if reply is None:
        return ""
    return strip_reply(reply.text).text


def notify_decision(*, session: Session, decision: RoutingDecision, kind: NoticeKind,
                    notifier: Notifier, config: RoutingConfig,
                    extra_recipients: tuple[str, ...] = ()) -> Notice:
    """Build and send the notice for a routing decision (the owner cc'd when configured)."""
    if decision.rep_id is None and kind == "assigned":
        kind = "queued"
    notice = build_notice(session=session, handoff_id=decision.handoff_id, kind=kind,
                          now=decision.routed_at,
                          extra_recipients=tuple(decision.cc) + extra_recipients)
    notifier.notify(notice, session=session)
    return notice


class NotificationMailer(Protocol):
    """Sends one internal message; raises :class:`DeliveryError` when it could not."""

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> None: ...


class SmtpNotificationMailer:
    """Internal notifications over the one SMTP client (:class:`~cadenza.mailbox.smtp.SMTPSender`)
    with only the envelope check: a notice carries ``Auto-Submitted``, which the prospect-mail
    compliance layer refuses by design. One connection per notice (they are rare)."""

    def __init__(self, *, host: str, port: int, security: str = "starttls", username: str = "",
                 password_ref: str = "", timeout: float = 15.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        if security not in ("starttls", "tls", "none"):
            raise DeliveryError(f"smtp security {security!r} must be starttls, tls or none",
                                permanent=True)
        self.sender = SMTPSender(host=host, port=port, security=cast(Security, security),
                                 username=username, password_ref=password_ref,
                                 timeout=timeout, ssl_context=ssl_context,
                                 check=check_envelope)

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> None:
        with self.sender:
            self.sender.send(message, envelope_from=envelope_from, recipients=recipients)


@dataclass
class MemoryMailer:
    """The in-memory twin: keeps what it was given (tests, demos)."""

    sent: list[tuple[EmailMessage, list[str]]] = field(default_factory=list)

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> None:
        self.sent.append((message, list(recipients)))


def notification_email(notice: Notice, *, from_address: str, from_name: str = "Cadenza",
                       public_base_url: str) -> EmailMessage:
    """The rep's plain-text email with a link to the ticket page."""
    sender = validate_email_address(from_address)
    if sender is None:
        raise DeliveryError(f"notification sender {from_address!r} is not an address",
                            permanent=True)
    msg = EmailMessage()
    msg["From"] = Address(display_name=from_name, addr_spec=sender)
    msg["To"] = ", ".join(notice.recipients)
    msg["Subject"] = notice.title()
    msg["Date"] = format_datetime(notice.at.astimezone(dt.UTC))
    msg["Message-ID"] = f"<handoff-{notice.handoff_id}-{notice.kind}-{uuid.uuid4().hex[:12]}" \
                        f"@{sender.rsplit('@', 1)[1]}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    due = notice.sla_due_at.strftime("%Y-%m-%d %H:%M UTC") if notice.sla_due_at else "none"
    lines = [notice.summary, "", f"Open the ticket: {notice.url(public_base_url)}", "",
             f"Priority: {notice.priority}   Accept by: {due}"]
    if notice.kind == "escalated":
        lines += ["", "This ticket was not accepted within the SLA."]
    lines += ["", "Why it was routed here:", notice.reason or "(no reason recorded)"]
    msg.set_content("\n".join(lines) + "\n", charset="utf-8")
    return msg


class EmailNotifier:
    """Emails every recipient of a notice through a :class:`NotificationMailer`."""

    def __init__(self, *, mailer: NotificationMailer, from_address: str,
                 public_base_url: str, from_name: str = "Cadenza") -> None:
        self.mailer, self.from_address, self.from_name = mailer, from_address, from_name
        self.public_base_url = public_base_url

    def notify(self, notice: Notice, *, session: Session) -> None:
        if not notice.recipients:
            return
        try:
            msg = notification_email(notice, from_address=self.from_address,
                                     from_name=self.from_name,
                                     public_base_url=self.public_base_url)
            self.mailer.send(msg, envelope_from=self.from_address,
                             recipients=list(notice.recipients))
        except DeliveryError as exc:
            log.warning("notification email for handoff %s failed: %s", notice.handoff_id, exc)
            record_event(session=session, kind="notification.failed",
                         workspace_id=notice.workspace_id, subject_type="handoff",
                         subject_id=notice.handoff_id, channel="email", error=str(exc))
            return
        record_event(session=session, kind="notification.sent", workspace_id=notice.workspace_id,
                     subject_type="handoff", subject_id=notice.handoff_id, channel="email",
                     notice=notice.kind, recipients=list(notice.recipients))


@dataclass
class MemoryNotifier:
    """Keeps every notice (tests, and a dry run of the SLA check)."""

    notices: list[Notice] = field(default_factory=list)

    def notify(self, notice: Notice, *, session: Session) -> None:
        self.notices.append(notice)


class FanoutNotifier:
    """Several notifiers in turn (email and webhook)."""

    def __init__(self, *notifiers: Notifier) -> None:
        self.notifiers = notifiers

    def notify(self, notice: Notice, *, session: Session) -> None:
        for notifier in self.notifiers:
            notifier.notify(notice, session=session)
