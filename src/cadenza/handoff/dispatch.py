"""The notifier a running service uses: each workspace's own channels, built from its rules.

``route_pending`` and ``check_sla`` take one notifier for every workspace; this one looks at
the notice's workspace and fans out to what that workspace configured — email to the rep from
its first active mailbox, its signed webhook, and the introduction in the prospect's thread.

No network call inside the caller's transaction: a notice is recorded (``notification.queued``)
and kept on the session; it goes out only after that transaction commits, each in a session of
its own for the delivery log. So a slow or dead webhook, retried with backoff, never holds the
row locks of the routing or SLA pass, and a pass that rolls back tells nobody anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlmodel import Session, col, select

from cadenza.config import workspace_public_base_url
from cadenza.handoff.intro import ThreadIntroNotifier
from cadenza.handoff.notify import (
    EmailNotifier,
    FanoutNotifier,
    Notice,
    Notifier,
    SmtpNotificationMailer,
)
from cadenza.handoff.routing import route_pending
from cadenza.handoff.rules import routing_for
from cadenza.handoff.webhook import WebhookNotifier
from cadenza.mailbox.send import MailSender
from cadenza.store.database import Database
from cadenza.store.events import record_event
from cadenza.store.models import Mailbox, Workspace

log = logging.getLogger(__name__)


class WorkspaceNotifier:
    """A :class:`~cadenza.handoff.notify.Notifier` that dispatches by workspace."""

    def __init__(self, *, sender_for: Callable[[Mailbox], MailSender], signing_key: bytes,
                 public_base_url: str, environment: str = "development") -> None:
        self.public_base_url = public_base_url
        self.environment = environment
        self.intro = ThreadIntroNotifier(sender_for=sender_for, signing_key=signing_key,
                                         public_base_url=public_base_url,
                                         environment=environment)

    def for_workspace(self, session: Session, workspace_id: int) -> Notifier:
        """The channels one workspace configured (rebuilt per notice: rules can change), its
        ticket links on the workspace's own ``public_base_url`` when it has one (``default``:
        the process's; ``environment``: the process's, whose rules a stored address obeys)."""
        workspace = session.get(Workspace, workspace_id)
        channels: list[Notifier] = [self.intro]
        if workspace is None:
            return FanoutNotifier(*channels)
        base_url = workspace_public_base_url(workspace.settings, default=self.public_base_url,
                                             environment=self.environment)
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
                                                 public_base_url=base_url))
        if rules.webhook is not None:
            channels.append(WebhookNotifier(url=rules.webhook.url,
                                            secret_ref=rules.webhook.secret,
                                            public_base_url=base_url,
                                            slack=rules.webhook.slack))
        return FanoutNotifier(*channels)

    def notify(self, notice: Notice, *, session: Session) -> None:
        """Queue the notice on the session; it is delivered after the session commits."""
        session.info.setdefault(_PENDING, []).append(notice)
        record_event(session=session, kind="notification.queued",
                     workspace_id=notice.workspace_id, subject_type="handoff",
                     subject_id=notice.handoff_id, notice=notice.kind)
        if not sa_event.contains(session, "after_commit", self._after_commit):
            sa_event.listen(session, "after_commit", self._after_commit)
            sa_event.listen(session, "after_rollback", _forget)

    def deliver(self, notice: Notice, *, session: Session) -> None:
        """Send one notice now through its workspace's channels (logged in ``session``)."""
        self.for_workspace(session, notice.workspace_id).notify(notice, session=session)

    def _after_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            # SQLAlchemy fires after_commit when a SAVEPOINT is released too: the outer
            # transaction may still roll back (and, on SQLite, holds the write lock)
            return
        notices: list[Notice] = session.info.pop(_PENDING, [])
        for notice in notices:
            try:
                with Session(session.get_bind()) as own:
                    self.deliver(notice, session=own)
                    own.commit()
            except Exception:  # one channel's failure must not lose the others' notices
                log.exception("notice %s for handoff %s could not be delivered", notice.kind,
                              notice.handoff_id)


def service_notifier(*, signing_key: bytes, public_base_url: str,
                     environment: str = "development") -> WorkspaceNotifier:
    """The notifier of a running process (``watch``, ``worker``, ``run``, the API, the CLI):
    each workspace's channels, rep email going out from that workspace's own mailbox."""
    from cadenza.mailbox.smtp import sender_for_mailbox

    return WorkspaceNotifier(sender_for=sender_for_mailbox, signing_key=signing_key,
                             public_base_url=public_base_url, environment=environment)


_PENDING = "cadenza.notices.pending"


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def route_on_creation(*, db: Database, notifier: Notifier | None,
                      clock: Callable[[], dt.datetime]) -> Callable[[int], None]:
    """The callback that routes a handoff the moment its reply is committed, and tells the rep.

    The watcher calls it after each commit (``on_handoff``), in ``cadenza watch`` as in
    ``cadenza run``, so a rep hears of an interested reply in about a second instead of at the
    next sweep. It routes in a transaction of its own; if routing fails (a bad rules file, a
    database hiccup) the handoff stays unrouted and the sweep (``cadenza handoff route``, and
    ``cadenza run`` every 30 seconds) picks it up — nothing is lost either way.
    """

    def on_handoff(handoff_id: int) -> None:
        try:
            with db.session() as session:
                decisions = route_pending(session=session, now=clock(),
                                          handoff_ids=[handoff_id], notifier=notifier)
        except Exception:  # the reply is already committed: never undo it for a routing bug
            log.exception("routing handoff %s failed; the next sweep routes it", handoff_id)
            return
        for decision in decisions:
            log.info("handoff %s routed to %s (queue %s): %s", handoff_id,
                     decision.rep_email or "no rep", decision.queue, decision.reason)

    return on_handoff
