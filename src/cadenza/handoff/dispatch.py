"""The notifier a running service uses: each workspace's own channels, built from its rules.

``route_pending`` and ``check_sla`` take one notifier for every workspace; this one looks at
the notice's workspace and fans out to what that workspace configured — email to the rep from
its first active mailbox, its signed webhook, and the introduction in the prospect's thread.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from cadenza.handoff.intro import ThreadIntroNotifier
from cadenza.handoff.notify import (
    EmailNotifier,
    FanoutNotifier,
    Notice,
    Notifier,
    SmtpNotificationMailer,
)
from cadenza.handoff.rules import routing_for
from cadenza.handoff.webhook import WebhookNotifier
from cadenza.mailbox.send import MailSender
from cadenza.store.models import Mailbox, Workspace


class WorkspaceNotifier:
    """A :class:`~cadenza.handoff.notify.Notifier` that dispatches by workspace."""

    def __init__(self, *, sender_for: Callable[[Mailbox], MailSender], signing_key: bytes,
                 public_base_url: str) -> None:
        self.public_base_url = public_base_url
        self.intro = ThreadIntroNotifier(sender_for=sender_for, signing_key=signing_key,
                                         public_base_url=public_base_url)

    def for_workspace(self, session: Session, workspace_id: int) -> Notifier:
        """The channels one workspace configured (rebuilt per notice: rules can change)."""
        workspace = session.get(Workspace, workspace_id)
        channels: list[Notifier] = [self.intro]
        if workspace is None:
            return FanoutNotifier(*channels)
        rules = routing_for(workspace).notifications
        if rules.email:
            box = session.exec(select(Mailbox).where(
                Mailbox.workspace_id == workspace_id, Mailbox.active == True)  # noqa: E712
                .order_by(col(Mailbox.id))).first()
            if box is not None:
                mailer = SmtpNotificationMailer(host=box.smtp_host, port=box.smtp_port,
                                                security=box.smtp_security,
                                                username=box.smtp_username,
                                                password_ref=box.smtp_password_ref)
                channels.insert(0, EmailNotifier(mailer=mailer, from_address=box.email,
                                                 public_base_url=self.public_base_url))
        if rules.webhook is not None:
            channels.append(WebhookNotifier(url=rules.webhook.url,
                                            secret_ref=rules.webhook.secret,
                                            public_base_url=self.public_base_url,
                                            slack=rules.webhook.slack))
        return FanoutNotifier(*channels)

    def notify(self, notice: Notice, *, session: Session) -> None:
        self.for_workspace(session, notice.workspace_id).notify(notice, session=session)
