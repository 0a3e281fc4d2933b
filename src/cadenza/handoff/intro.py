"""Copying the rep into the prospect's thread (Saleswhale's handoff pattern, opt-in).

When a reply is handed to a rep and the workspace's routing rules say ``cc_rep_in_thread``,
the mailbox that wrote to the prospect answers in the same thread with the rep in Cc, so the
conversation moves to a person without the prospect having to start over. It is the only
message Cadenza sends with a Cc; it carries the same compliance footer and one-click
unsubscribe as every touch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session, col, select

from cadenza.config import workspace_public_base_url
from cadenza.errors import DeliveryError
from cadenza.handoff.notify import Notice
from cadenza.handoff.rules import routing_for
from cadenza.mailbox.compose import compose_email, message_id_for
from cadenza.mailbox.send import MailSender
from cadenza.mailbox.unsubscribe import make_token, unsubscribe_url
from cadenza.sender import SenderProfile
from cadenza.store.events import record_event
from cadenza.store.models import (
    Enrollment,
    Handoff,
    Mailbox,
    Prospect,
    Rep,
    Reply,
    Touch,
    Workspace,
)

log = logging.getLogger(__name__)
INTRO_STEP_BASE = 10_000  # message ids of intros never collide with a touch's step


def _subject(reply_subject: str, fallback: str) -> str:
    base = (reply_subject or fallback or "").strip()
    return base if base.lower().startswith(("re:", "aw:", "sv:")) else f"Re: {base}"


class ThreadIntroNotifier:
    """A :class:`~cadenza.handoff.notify.Notifier` that writes the introduction on assignment."""

    def __init__(self, *, sender_for: Callable[[Mailbox], MailSender], signing_key: bytes,
                 public_base_url: str, environment: str = "development") -> None:
        self.sender_for = sender_for
        self.signing_key = signing_key
        self.public_base_url = public_base_url  # the process's; a workspace may have its own
        self.environment = environment

    def notify(self, notice: Notice, *, session: Session) -> None:
        if notice.kind != "assigned" or not notice.rep_email:
            return
        handoff = session.get(Handoff, notice.handoff_id)
        if handoff is None or handoff.reply_id is None or handoff.enrollment_id is None:
            return  # a cadence that ended without a reply has no thread to join
        workspace = session.get(Workspace, handoff.workspace_id)
        if workspace is None or not routing_for(workspace).cc_rep_in_thread:
            return
        reply = session.get(Reply, handoff.reply_id)
        prospect = session.get(Prospect, handoff.prospect_id)
        enrollment = session.get(Enrollment, handoff.enrollment_id)
        rep = session.get(Rep, handoff.rep_id) if handoff.rep_id else None
        mailbox = session.get(Mailbox, enrollment.mailbox_id) if enrollment and \
            enrollment.mailbox_id else None
        if reply is None or prospect is None or rep is None or mailbox is None:
            return
        touches = session.exec(select(Touch).where(
            Touch.enrollment_id == handoff.enrollment_id, Touch.state == "sent",
            Touch.channel == "email").order_by(col(Touch.step))).all()
        thread = [t.message_id for t in touches if t.message_id]
        if reply.message_id:
            thread.append(reply.message_id)
        sender = SenderProfile.model_validate(workspace.sender or {"company": workspace.name})
        text = self._text(sender, prospect, rep)
        token = make_token(key=self.signing_key, prospect_id=prospect.id or 0)
        try:
            message = compose_email(
                from_name=" ".join(p for p in (sender.sender.first_name,
                                               sender.sender.last_name) if p)
                or mailbox.display_name or sender.company,
                from_address=mailbox.email, to_address=prospect.email, cc=[rep.email],
                subject=_subject(reply.subject, touches[0].subject if touches else ""),
                text=text, html="", in_reply_to=thread[-1] if thread else None,
                references=thread,
                message_id=message_id_for(workspace_id=workspace.id or 0,
                                          enrollment_id=handoff.enrollment_id,
                                          step=INTRO_STEP_BASE + (handoff.id or 0),
                                          domain=mailbox.email.rsplit("@", 1)[-1],
                                          key=self.signing_key),
                unsubscribe_url=unsubscribe_url(workspace_public_base_url(
                    workspace.settings, default=self.public_base_url,
                    environment=self.environment), token))
            self.sender_for(mailbox).send(message, envelope_from=mailbox.email,
                                          recipients=[prospect.email, rep.email])
        except DeliveryError as exc:
            log.warning("thread introduction for handoff %s failed: %s", handoff.id, exc)
            record_event(session=session, kind="handoff.intro_failed",
                         workspace_id=workspace.id, subject_type="handoff",
                         subject_id=handoff.id, reason=str(exc))
            return
        record_event(session=session, kind="handoff.intro_sent", workspace_id=workspace.id,
                     subject_type="handoff", subject_id=handoff.id, rep=rep.email,
                     message_id=message["Message-ID"])

    @staticmethod
    def _text(sender: SenderProfile, prospect: Prospect, rep: Rep) -> str:
        first = prospect.first_name.strip() or "there"
        company = f" at {prospect.company}" if prospect.company else ""
        me = sender.sender.first_name or sender.company
        footer = "\n".join(x for x in (sender.postal_address, sender.unsubscribe.text) if x)
        return (f"Hi {first},\n\nThanks for getting back to me. I'm copying {rep.name}, who "
                f"works with teams{company} on our side and will take it from here.\n\n"
                f"Best,\n{me}\n\n{footer}").strip()
