"""The scheduler behind ``cadenza worker``: finds due touches and runs them.

Due enrollments come from the indexed ``(state, next_due_at)``; on PostgreSQL several workers
claim them with ``FOR UPDATE SKIP LOCKED``, and on any database the touch row's unique
``(enrollment, step)`` key stops two workers from creating the same touch. Claiming clears
``next_due_at`` (the in-flight marker) in the same transaction. Caps are applied at claim time:
the mailbox's daily cap (rolling 24 h), the workspace's per-recipient-domain cap, and a minimum
gap with jitter between two sends of one mailbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cadenza.agent.graph import TouchResult, TouchRunner
from cadenza.agent.outbox import recover_in_flight
from cadenza.agent.policy import workspace_policy
from cadenza.agent.timing import next_open, zone_for
from cadenza.playbooks import PlaybookSpec
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Mailbox, Playbook, Prospect, Touch, Workspace

log = logging.getLogger(__name__)
RESUMABLE = ("pending", "drafted", "approved")


@dataclass
class TickReport:
    """What one scheduler pass did."""

    claimed: int = 0
    deferred: int = 0
    resumed: int = 0
    results: list[TouchResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)


class Scheduler:
    """Claims due touches, applies caps, and runs each through the touch graph."""

    def __init__(self, runner: TouchRunner, *, batch: int = 100,
                 jitter_seconds: tuple[float, float] = (0.0, 30.0),
                 rng: random.Random | None = None) -> None:
        self.runner = runner
        self.deps = runner.deps
        self.batch = batch
        self.jitter = jitter_seconds
        self.rng = rng or random.Random()
        self._mailbox_free_at: dict[int, dt.datetime] = {}
        self._specs: dict[int, PlaybookSpec] = {}

    # -- claiming ---------------------------------------------------------------------------
    def _spec(self, session: Session, playbook_id: int) -> PlaybookSpec:
        if playbook_id not in self._specs:
            row = session.get(Playbook, playbook_id)
            assert row is not None
            self._specs[playbook_id] = PlaybookSpec.model_validate(row.definition)
        return self._specs[playbook_id]

    def _sent_last_day(self, session: Session, now: dt.datetime) -> dict[int, int]:
        since = now - dt.timedelta(hours=24)
        rows = session.exec(
            select(Enrollment.mailbox_id, func.count()).select_from(Touch)
            .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
            .where(col(Touch.state).in_(("sent", "sending")), col(Touch.sent_at) >= since,
                   Touch.channel == "email").group_by(col(Enrollment.mailbox_id))).all()
        return {mb: int(n) for mb, n in rows if mb is not None}

    def _domain_count(self, session: Session, workspace_id: int, domain: str,
                      now: dt.datetime) -> int:
        since = now - dt.timedelta(hours=24)
        return int(session.exec(select(func.count()).select_from(Touch).where(
            Touch.workspace_id == workspace_id, col(Touch.state).in_(("sent", "sending")),
            col(Touch.sent_at) >= since, col(Touch.to_address).like(f"%@{domain}"))).one())

    def _defer(self, session: Session, enrollment: Enrollment, spec: PlaybookSpec,
               until: dt.datetime, why: str) -> None:
        prospect = session.get(Prospect, enrollment.prospect_id)
        zone = zone_for(spec, prospect.timezone if prospect else None)
        enrollment.next_due_at = next_open(until, window=spec.send_window,
                                           business_days=spec.business_days, zone=zone)
        session.add(enrollment)
        record_event(session=session, kind="enrollment.deferred",
                     workspace_id=enrollment.workspace_id, subject_type="enrollment",
                     subject_id=enrollment.id, reason=why,
                     until=enrollment.next_due_at.isoformat())

    def claim(self, now: dt.datetime) -> tuple[list[int], int]:
        """Claim due touches (committed); returns (touch ids, number deferred by caps)."""
        claimed: list[int] = []
        deferred = 0
        with self.deps.db.session() as s:
            stmt = (select(Enrollment).where(Enrollment.state == "active",
                                             col(Enrollment.next_due_at) <= now)
                    .order_by(col(Enrollment.next_due_at)).limit(self.batch))
            if not self.deps.db.is_sqlite:
                stmt = stmt.with_for_update(skip_locked=True)
            due = list(s.exec(stmt))
            sent = self._sent_last_day(s, now)
            mailboxes = {m.id: m for m in s.exec(select(Mailbox))}
            policies = {}
            per_domain: dict[tuple[int, str], int] = {}
            for enrollment in due:
                spec = self._spec(s, enrollment.playbook_id)
                step = spec.step(enrollment.next_step)
                if step.channel == "email" and enrollment.mailbox_id in mailboxes:
                    box = mailboxes[enrollment.mailbox_id]
                    assert box.id is not None
                    if sent.get(box.id, 0) >= box.daily_cap:
                        self._defer(s, enrollment, spec, now + dt.timedelta(hours=24) -
                                    dt.timedelta(minutes=1), f"mailbox {box.email} daily cap")
                        deferred += 1
                        continue
                    free_at = self._mailbox_free_at.get(box.id, now)
                    if free_at > now:
                        enrollment.next_due_at = free_at
                        s.add(enrollment)
                        deferred += 1
                        continue
                    gap = box.min_gap_seconds + self.rng.uniform(*self.jitter)
                    self._mailbox_free_at[box.id] = now + dt.timedelta(seconds=gap)
                    sent[box.id] = sent.get(box.id, 0) + 1
                if step.channel == "email":
                    if enrollment.workspace_id not in policies:
                        ws = s.get(Workspace, enrollment.workspace_id)
                        policies[enrollment.workspace_id] = workspace_policy(
                            ws.settings if ws else {})
                    prospect = s.get(Prospect, enrollment.prospect_id)
                    domain = prospect.email.rsplit("@", 1)[-1] if prospect else ""
                    cap = policies[enrollment.workspace_id].domain_daily_cap
                    key = (enrollment.workspace_id, domain)
                    if key not in per_domain:
                        per_domain[key] = self._domain_count(s, enrollment.workspace_id,
                                                             domain, now)
                    if domain and per_domain[key] >= cap:
                        self._defer(s, enrollment, spec, now + dt.timedelta(hours=24),
                                    f"domain {domain} daily cap")
                        deferred += 1
                        continue
                    per_domain[key] += 1
                if not self._take(s, enrollment, now):
                    continue  # another worker claimed it between our read and our write
                touch_id = self._touch_for(s, enrollment, step.channel, step.owner)
                if touch_id is not None:
                    claimed.append(touch_id)
        return claimed, deferred

    def _take(self, session: Session, enrollment: Enrollment, now: dt.datetime) -> bool:
        """Atomically clear ``next_due_at`` (the in-flight marker); only one worker wins."""
        result = session.execute(
            update(Enrollment).where(
                col(Enrollment.id) == enrollment.id, col(Enrollment.state) == "active",
                col(Enrollment.next_step) == enrollment.next_step,
                col(Enrollment.next_due_at).is_not(None), col(Enrollment.next_due_at) <= now)
            .values(next_due_at=None, updated_at=now))
        session.flush()
        won = bool(result.rowcount)  # type: ignore[attr-defined]
        if won:
            session.expire(enrollment, ["next_due_at"])
        return won

    def _touch_for(self, session: Session, enrollment: Enrollment, channel: str,
                   owner: str) -> int | None:
        existing = session.exec(select(Touch).where(
            Touch.enrollment_id == enrollment.id, Touch.step == enrollment.next_step)).first()
        if existing is not None:
            if existing.state == "cancelled":
                # cancelled while the enrollment was paused (e.g. out of office): the
                # enrollment is active again, so the step runs after all
                existing.state, existing.reason = "pending", ""
                session.add(existing)
                return existing.id
            return existing.id if existing.state in (*RESUMABLE, "deferred") else None
        touch = Touch(workspace_id=enrollment.workspace_id, enrollment_id=enrollment.id or 0,
                      prospect_id=enrollment.prospect_id, step=enrollment.next_step,
                      channel=channel, owner=owner)
        try:
            with session.begin_nested():
                session.add(touch)
                session.flush()
        except IntegrityError:
            return None  # another worker created it first: theirs to run
        return touch.id

    # -- running ----------------------------------------------------------------------------
    def recover(self, now: dt.datetime) -> int:
        """After a crash: settle in-flight sends and re-run touches a crash interrupted."""
        with self.deps.db.session() as s:
            recover_in_flight(s, now=now, in_sent_folder=self._in_sent_folder)
            stale = now - dt.timedelta(minutes=5)
            rows = s.exec(select(Touch.id).join(
                Enrollment, col(Enrollment.id) == Touch.enrollment_id).where(
                col(Touch.state).in_(RESUMABLE), col(Touch.updated_at) <= stale,
                Enrollment.state == "active", col(Enrollment.next_due_at).is_(None))).all()
        resumed = [t for t in rows if t is not None]
        for touch_id in resumed:
            self.runner.run(touch_id)
        return len(resumed) + self._advance_settled(now)

    def _advance_settled(self, now: dt.datetime) -> int:
        """Enrollments whose current touch settled but which never moved on (a crash between
        the touch's last write and ``record``) are moved on now."""
        from cadenza.agent.progress import advance_enrollment

        n = 0
        with self.deps.db.session() as s:
            stuck = s.exec(select(Enrollment, Touch).join(
                Touch, (col(Touch.enrollment_id) == Enrollment.id)
                & (col(Touch.step) == Enrollment.next_step)).where(
                Enrollment.state == "active", col(Enrollment.next_due_at).is_(None),
                col(Touch.state).in_(("sent", "task_open", "skipped", "rejected")))).all()
            for enrollment, touch in stuck:
                advance_enrollment(s, enrollment_id=enrollment.id or 0, done_step=touch.step,
                                   now=now, message_id=touch.message_id, subject=touch.subject,
                                   channel=touch.channel)
                n += 1
        return n

    def _in_sent_folder(self, touch: Touch) -> bool | None:
        """Whether the mailbox's Sent folder holds the touch; None when it cannot tell."""
        from cadenza.errors import MailboxError
        from cadenza.mailbox.sent_folder import sent_folder_has

        with self.deps.db.session() as s:
            enrollment = s.get(Enrollment, touch.enrollment_id)
            box = s.get(Mailbox, enrollment.mailbox_id) if enrollment and \
                enrollment.mailbox_id else None
        if box is None or not box.sent_folder or not box.imap_host or not touch.message_id:
            return None
        try:
            return sent_folder_has(mailbox=box, message_id=touch.message_id)
        except MailboxError as exc:
            log.warning("cannot search the Sent folder of %s: %s", box.email, exc)
            return None

    def resume_paused(self, now: dt.datetime) -> int:
        """Paused enrollments whose ``paused_until`` has passed (e.g. out of office) go on."""
        from cadenza.mailbox.lifecycle import resume_due_enrollments

        with self.deps.db.session() as s:
            return resume_due_enrollments(s, now)

    def tick(self, now: dt.datetime | None = None) -> TickReport:
        """One pass: resume ended pauses, claim what is due, run each touch."""
        now = now or self.deps.clock()
        report = TickReport()
        report.resumed = self.resume_paused(now)
        ids, report.deferred = self.claim(now)
        report.claimed = len(ids)
        for touch_id in ids:
            report.results.append(self.runner.run(touch_id))
        return report

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 5.0) -> None:
        """The worker loop: recover once, then tick until ``stop`` is set."""
        self.recover(self.deps.clock())
        while not stop.is_set():
            report = self.tick()
            if report.claimed:
                log.info("ran %d touches (%d sent, %d waiting, %d failed)", report.claimed,
                         report.count("sent"), report.count("waiting"), report.count("failed"))
            if report.claimed < self.batch:
                stop.wait(poll_seconds)
