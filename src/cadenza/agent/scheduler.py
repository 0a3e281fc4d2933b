"""The scheduler behind ``cadenza worker``: finds due touches and runs them.

Due enrollments come from the partial index ``ix_enrollment_due`` (active rows with a due
time, by ``next_due_at``); on PostgreSQL several workers claim them with ``FOR UPDATE SKIP
LOCKED``, and on any database the touch row's unique ``(enrollment, step)`` key stops two
workers from creating the same touch. Claiming stamps ``claimed_at`` (the in-flight marker)
in the same transaction and leaves ``next_due_at`` alone, so that PostgreSQL updates the row in
place without touching an index (:func:`find_due`, :func:`mark_taken`: the two statements
``cadenza bench scheduler`` times); writing a due time ends the claim. Caps are applied at
claim time: the mailbox's daily cap (rolling 24 h), the workspace's per-recipient-domain cap,
and a minimum gap with jitter between two sends of one mailbox, kept in the database so that
every worker and every restart sees it. The daily cap is the day's, after warm-up
(:mod:`cadenza.mailbox.warmup`); a resting mailbox's touches wait for it
(:mod:`cadenza.mailbox.resting`). On PostgreSQL the claim locks the mailboxes and domains it
counts (:mod:`cadenza.agent.send_caps`), so two workers never both take the last place under a
cap, and the send checks once more. An enrollment without a mailbox is given the one that will
send it (the rotation's pick, :mod:`cadenza.mailbox.rotation`) before the caps are counted.
Each claimed touch records the worker that claimed it (:mod:`cadenza.agent.workers`): a worker
that stops releases the touches it has not started, and a dead worker's are settled by another.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import random
import threading
import typing
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    TableValuedAlias,
    bindparam,
    cast,
    func,
    insert,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, load_only
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert, ReturningUpdate, Update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from cadenza.agent.graph import TouchResult, TouchRunner
from cadenza.agent.outbox import recover_in_flight
from cadenza.agent.pacing import domain_counts, sent_last_day, take_send_slot
from cadenza.agent.policy import workspace_policy
from cadenza.agent.send_caps import lock_domains, lock_mailboxes
from cadenza.agent.variants import Winners, chosen_step
from cadenza.agent.workers import WorkerLease, release_touches, settle_dead, settle_orphans
from cadenza.mailbox.resting import is_resting, rest_ends
from cadenza.mailbox.rotation import load_rotation
from cadenza.mailbox.warmup import daily_cap
from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.playbooks.schema import Step
from cadenza.states import ADVANCING, RESUMABLE, EnrollmentState, TouchState
from cadenza.store.events import record_event
from cadenza.store.models import (
    Enrollment,
    Mailbox,
    Playbook,
    Prospect,
    Touch,
    Worker,
    Workspace,
    among,
    inline,
)
from cadenza.store.outage import Backoff, is_outage
from cadenza.timing.send_window import next_open, zone_for

log = logging.getLogger(__name__)


#: An enrollment the caps put off: its id, why, and when it is due again.
Deferral = tuple[int, str, dt.datetime]


@dataclass
class TickReport:
    """What one scheduler pass did."""

    claimed: int = 0
    deferred: int = 0
    resumed: int = 0
    results: list[TouchResult] = field(default_factory=list)
    #: Each enrollment the caps put off: (enrollment id, why, when it is due again).
    deferrals: list[Deferral] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    def outcomes(self) -> dict[str, int]:
        """How many touches ended each way (sent, waiting, skipped, held, failed, …)."""
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        return counts


#: What the claim reads of a due enrollment: its keys, step and mailbox. The other columns
#: (its thread, its timestamps, ``claimed_at``, which the claim writes unread) stay unread:
#: reading every column of 1,000 rows cost more than finding and locking them, most of it
#: turning five timestamps into datetimes. Reading one on a claimed enrollment raises.
_CLAIM_READS = load_only(*(typing.cast("QueryableAttribute[Any]", col(c)) for c in (
    Enrollment.workspace_id, Enrollment.prospect_id, Enrollment.playbook_id,
    Enrollment.mailbox_id, Enrollment.next_step, Enrollment.attempt)), raiseload=True)


def find_due(now: dt.datetime, *, limit: int, only: list[int] | None = None,
             lock: bool = True) -> SelectOfScalar[Enrollment]:
    """The claim's find: active enrollments due by ``now`` and not claimed, earliest first,
    read through ``ix_enrollment_due`` (``active`` spelled in the SQL so the planner can use
    that partial index; a claimed row is still in it and is skipped on the heap: there are as
    many as the touches in flight), only the columns the claim uses; with ``lock``
    (PostgreSQL), locked ``FOR UPDATE SKIP LOCKED`` so that concurrent workers each read other
    rows."""
    stmt = (select(Enrollment).options(_CLAIM_READS)
            .where(col(Enrollment.state) == inline(EnrollmentState.ACTIVE),
                   col(Enrollment.next_due_at) <= now, col(Enrollment.claimed_at).is_(None))
            .order_by(col(Enrollment.next_due_at)).limit(limit))
    if only is not None:
        stmt = stmt.where(col(Enrollment.id).in_(only))
    return stmt.with_for_update(skip_locked=True) if lock else stmt


#: The mark's statement with its parameters (``conn.execute(*mark_taken(…))``).
Mark = tuple[ReturningUpdate[int | None], dict[str, Any]]


def mark_taken(picks: list[tuple[int, int]], now: dt.datetime, *, sqlite: bool) -> Mark:
    """The claim's mark: stamp ``claimed_at`` (the in-flight marker) on each ``(enrollment
    id, step)`` in ``picks`` still active, due, unclaimed and at that step; the statement
    returns the ids it marked. No column of an index changes, so PostgreSQL updates each row
    in place when its page has room (HOT: clearing ``next_due_at`` gave each row a new version
    and three index entries, most of the claim's time at 1M). On PostgreSQL the picks travel
    as two array parameters joined through ``unnest`` (one plan whatever their number; a
    row-value ``IN`` list of 1,000 pairs cost 5 ms to plan and was run as 1,000 bitmap probes)
    into a statement built once (building it per claim cost ~3 ms of 1,000 picks); SQLite has
    no arrays and gets the ``IN`` list."""
    if sqlite:
        match = tuple_(col(Enrollment.id), col(Enrollment.next_step)).in_(picks)
        return _mark(update(Enrollment).where(match)), {"now": now}
    return _mark_by_arrays(), {"picked_ids": [i for i, _ in picks],
                               "picked_steps": [step for _, step in picks], "now": now}


def _unnest(alias: str, arrays: dict[str, ColumnElement[Any]]) -> TableValuedAlias:
    """Parallel array parameters read back as rows, one column per array (PostgreSQL's
    ``unnest``): how the claim's statements take a batch, so that their text does not grow
    with it."""
    return func.unnest(*arrays.values()).table_valued(*arrays).render_derived(name=alias)


@functools.cache
def _mark_by_arrays() -> ReturningUpdate[int | None]:
    given = _unnest("picked", {
        "id": cast(bindparam("picked_ids", type_=ARRAY(Integer)), ARRAY(Integer)),
        "step": cast(bindparam("picked_steps", type_=ARRAY(Integer)), ARRAY(Integer))})
    return _mark(update(Enrollment).where(col(Enrollment.id) == given.c.id,
                                          col(Enrollment.next_step) == given.c.step))


@functools.cache
def _assign_by_arrays() -> Update:
    """The rotation's picks, written in one statement (PostgreSQL): the ORM's flush wrote them
    as one ``UPDATE`` per enrollment, a quarter of a claim of new prospects."""
    given = _unnest("assigned", {"id": bindparam("assigned_ids", type_=ARRAY(Integer)),
                                 "box": bindparam("assigned_boxes", type_=ARRAY(Integer))})
    return (update(Enrollment).where(col(Enrollment.id) == given.c.id)
            .values(mailbox_id=given.c.box).execution_options(synchronize_session=False))


def _mark(stmt: Update) -> ReturningUpdate[int | None]:
    now = bindparam("now", type_=Enrollment.__table__.c.claimed_at.type)  # type: ignore[attr-defined]
    return (stmt.where(col(Enrollment.state) == inline(EnrollmentState.ACTIVE),
                       col(Enrollment.claimed_at).is_(None),
                       col(Enrollment.next_due_at).is_not(None),
                       col(Enrollment.next_due_at) <= now)
            .values(claimed_at=now, updated_at=now)
            .returning(col(Enrollment.id))
            .execution_options(synchronize_session=False))


_INSERTED = (col(Touch.id), col(Touch.enrollment_id), col(Touch.step), col(Touch.attempt))
_INSERT_TOUCHES = insert(Touch).returning(*_INSERTED)
_TOUCH_COLUMNS = Touch.__table__.c  # type: ignore[attr-defined]


def insert_touches(rows: list[dict[str, Any]]) -> ReturningInsert[int | None, int, int, int]:
    """One PostgreSQL statement inserting ``rows``: the columns whose value differs between
    rows are passed as arrays and read back with ``unnest``, the others once each.

    Why not the many-row ``VALUES`` SQLAlchemy writes for a list of rows: with 30 columns a
    batch of 100 touches is 3,000 parameters, and turning them into a statement cost about 30
    ms a claim, most of the claim (``cadenza bench claim``); arrays of the few columns that
    vary are a dozen parameters, whatever the batch size.
    """
    names = list(rows[0])
    varying = [n for n in names if any(row[n] != rows[0][n] for row in rows)] or names[:1]
    source = _unnest("v", {n: bindparam(f"a_{n}", [row[n] for row in rows],
                                        type_=ARRAY(_TOUCH_COLUMNS[n].type)) for n in varying})
    picks = [source.c[n] if n in varying else
             bindparam(f"k_{n}", rows[0][n], type_=_TOUCH_COLUMNS[n].type) for n in names]
    return (insert(Touch).from_select(names, select(*picks).select_from(source))
            .returning(*_INSERTED))
#: A touch's key: enrollment, step and delivery attempt (the table's unique key).
Key = tuple[int, int, int]


@functools.cache
def _touch_defaults() -> dict[str, Any]:
    """A new touch's column defaults, worked out once (building a Touch costs ~0.3 ms, mostly
    pydantic inspecting its default factories)."""
    return Touch(workspace_id=0, enrollment_id=0, prospect_id=0, step=0,
                 channel="").model_dump(exclude={"id", "created_at", "updated_at"})


def _touch_row(now: dt.datetime, **values: Any) -> dict[str, Any]:
    """A new touch row, stamped with the scheduler's clock (the send-time check compares a
    reply's arrival with the moment its touch was scheduled)."""
    return {**_touch_defaults(), "created_at": now, "updated_at": now, **values}


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
        self._specs: dict[int, PlaybookSpec] = {}
        #: This process's registration (:class:`~cadenza.agent.workers.WorkerLease`), stamped
        #: on the touches it claims; None when it has none (SQLite, a test's bare scheduler).
        self.lease: WorkerLease | None = None
        #: The pass under way: the lease id it claimed under and the touches it claimed.
        self._pass: tuple[int | None, list[int]] = (None, [])

    # -- claiming ---------------------------------------------------------------------------
    def _spec(self, session: Session, playbook_id: int) -> PlaybookSpec:
        if playbook_id not in self._specs:
            row = session.get(Playbook, playbook_id)
            assert row is not None
            self._specs[playbook_id] = stored_spec(row.definition)
        return self._specs[playbook_id]

    def _defer(self, session: Session, enrollment: Enrollment, spec: PlaybookSpec,
               until: dt.datetime, why: str, prospect_timezone: str | None,
               country: str | None, deferrals: list[Deferral]) -> None:
        zone = zone_for(spec, prospect_timezone)
        enrollment.next_due_at = next_open(until, window=spec.send_window,
                                           business_days=spec.business_days, zone=zone,
                                           country=country)
        session.add(enrollment)
        deferrals.append((enrollment.id or 0, why, enrollment.next_due_at))
        record_event(session=session, kind="enrollment.deferred",
                     workspace_id=enrollment.workspace_id, subject_type="enrollment",
                     subject_id=enrollment.id, reason=why,
                     until=enrollment.next_due_at.isoformat())

    def claim(self, now: dt.datetime, *,
              only: list[int] | None = None) -> tuple[list[int], list[Deferral]]:
        """Claim due touches (committed); returns the touch ids and the enrollments the caps
        put off (id, why, when due again). ``only``: among these enrollments alone.

        One batch costs a fixed handful of statements (due enrollments, their prospects, the
        cap counts, one conditional update, the touches), whatever its size.
        """
        deferrals: list[Deferral] = []
        with self.deps.db.session() as s:
            due = list(s.exec(find_due(now, limit=self.batch, only=only,
                                       lock=not self.deps.db.is_sqlite)))
            if not due:
                return [], deferrals
            sqlite = self.deps.db.is_sqlite
            # count-and-take under the mailboxes' locks: the next claimer counts ours
            lock_mailboxes(s, [i for i in s.exec(select(Mailbox.id).where(
                col(Mailbox.workspace_id).in_({e.workspace_id for e in due}))) if i is not None],
                sqlite=sqlite)
            sent = sent_last_day(s, now)
            mailboxes = {m.id: m for m in s.exec(select(Mailbox))}
            recipients = {pid: (email, tz, country) for pid, email, tz, country in s.exec(
                select(Prospect.id, Prospect.email, Prospect.timezone, Prospect.country).where(
                    among(col(Prospect.id), {e.prospect_id for e in due}, sqlite=sqlite)))}
            policies = {ws.id: workspace_policy(ws.settings) for ws in s.exec(
                select(Workspace).where(col(Workspace.id).in_({e.workspace_id for e in due})))}

            nobody: tuple[str, str | None, str | None] = ("", None, None)
            emails = {e.id: recipients.get(e.prospect_id, nobody)[0] or "" for e in due}
            domains = {i: a.rsplit("@", 1)[-1].lower() if "@" in a else ""
                       for i, a in emails.items()}
            winners: Winners = {}
            chosen = {e.id: chosen_step(s, workspace_id=e.workspace_id,
                                        spec=self._spec(s, e.playbook_id), step=e.next_step,
                                        prospect_id=e.prospect_id, winners=winners)
                      for e in due}  # the A/B variant each due touch runs, and its step
            steps = {i: step for i, (_, step) in chosen.items()}
            variants = {i: name for i, (name, _) in chosen.items()}
            rotation = load_rotation(
                s, {e.workspace_id for e in due if e.mailbox_id is None}, now,
                prospect_ids={e.prospect_id for e in due if e.mailbox_id is None},
                mailboxes=mailboxes, sent=sent,
                schedules={w: p.warmup for w, p in policies.items() if w is not None})
            domain_keys = {(e.workspace_id, domains[e.id]) for e in due
                           if steps[e.id].channel == "email" and domains[e.id]}
            lock_domains(s, domain_keys, sqlite=sqlite)
            per_domain = domain_counts(s, domain_keys, now, sqlite=sqlite)
            taken: list[Enrollment] = []
            assigned: list[tuple[int, int]] = []  # (enrollment, mailbox) the rotation picked
            for enrollment in due:
                spec = self._spec(s, enrollment.playbook_id)
                step = steps[enrollment.id]
                _, timezone, country = recipients.get(enrollment.prospect_id, nobody)
                if step.channel == "email" and enrollment.mailbox_id is None:
                    # the mailbox that will really send it, from the rotation: fixed now, so
                    # its caps and gap count this send and the thread's later touches follow
                    picked = rotation.pick(enrollment.workspace_id, enrollment.prospect_id)
                    if picked is not None and not sqlite:  # written below, in one statement
                        set_committed_value(enrollment, "mailbox_id", picked)
                        assigned.append((enrollment.id or 0, picked))
                    else:
                        enrollment.mailbox_id = picked
                        s.add(enrollment)
                    if enrollment.mailbox_id is None and \
                            rotation.has_mailboxes(enrollment.workspace_id):
                        self._defer(s, enrollment, spec, now + dt.timedelta(hours=1),
                                    "no mailbox in rotation (all disabled or resting)",
                                    timezone, country, deferrals)
                        continue
                domain = domains[enrollment.id] if step.channel == "email" else ""
                key = (enrollment.workspace_id, domain)
                policy = policies.get(enrollment.workspace_id) or workspace_policy({})
                box = mailboxes.get(enrollment.mailbox_id) if step.channel == "email" else None
                if box is not None:
                    assert box.id is not None
                    if not box.active:  # a policy block or a refused login: hold its sends
                        self._defer(s, enrollment, spec, now + dt.timedelta(hours=1),
                                    f"mailbox {box.email} is disabled", timezone, country,
                                    deferrals)
                        continue
                    if is_resting(box, now):  # its own prospects wait, never moved mid-thread
                        self._defer(s, enrollment, spec, rest_ends(box, now) or
                                    now + dt.timedelta(hours=1),
                                    f"mailbox {box.email} is resting: {box.rest_reason}",
                                    timezone, country, deferrals)
                        continue
                    if sent.get(box.id, 0) >= daily_cap(box, now, policy.warmup):
                        self._defer(s, enrollment, spec, now + dt.timedelta(hours=24) -
                                    dt.timedelta(minutes=1), f"mailbox {box.email} daily cap",
                                    timezone, country, deferrals)
                        continue
                # the domain before the send slot: a slot taken for a touch the domain's cap
                # then puts off would hold the mailbox back for nothing
                if domain and per_domain[key] >= policy.domain_daily_cap:
                    self._defer(s, enrollment, spec, now + dt.timedelta(hours=24),
                                f"domain {domain} daily cap", timezone, country, deferrals)
                    continue
                if box is not None:
                    free_at = take_send_slot(s, box, now, jitter=self.jitter, rng=self.rng)
                    if free_at is not None:
                        enrollment.next_due_at = free_at
                        s.add(enrollment)
                        deferrals.append((enrollment.id or 0, f"mailbox {box.email} "
                                          "minimum gap between sends", free_at))
                        continue
                    sent[box.id or 0] = sent.get(box.id or 0, 0) + 1
                if domain:
                    per_domain[key] += 1
                taken.append(enrollment)
            if assigned:
                s.execute(_assign_by_arrays(), {"assigned_ids": [i for i, _ in assigned],
                                                "assigned_boxes": [b for _, b in assigned]})
            s.flush()
            won = self._take(s, taken, now)
            claimed = self._touches_for(s, [e for e in taken if e.id in won], steps, now,
                                        variants, emails)
        return claimed, deferrals

    def _take(self, session: Session, enrollments: list[Enrollment],
              now: dt.datetime) -> set[int]:
        """Atomically stamp ``claimed_at`` (the in-flight marker) on the chosen enrollments,
        each still at the step it was read at; only one worker wins each. Returns the winners."""
        if not enrollments:
            return set()
        result = session.execute(*mark_taken([(e.id or 0, e.next_step) for e in enrollments],
                                             now, sqlite=self.deps.db.is_sqlite))
        won = {int(row[0]) for row in result}
        for enrollment in enrollments:
            if enrollment.id in won:
                session.expire(enrollment, ["claimed_at"])
        return won

    def _touches_for(self, session: Session, enrollments: list[Enrollment],
                     steps: dict[int | None, Step], now: dt.datetime,
                     variants: dict[int | None, str] | None = None,
                     emails: dict[int | None, str] | None = None) -> list[int]:
        """The touch of each enrollment's current step and attempt: reused when it exists and
        may still run, created otherwise (the unique key settles any race). Each is stamped
        with this worker, the claim's time and its recipient: it counts against the caps
        from now on, before it is sent."""
        if not enrollments:
            return []
        keys = [(e.id or 0, e.next_step, e.attempt) for e in enrollments]
        existing = {(t.enrollment_id, t.step, t.attempt): t for t in session.exec(
            select(Touch).where(self._among_keys(keys)))}
        ids: dict[Key, int] = {}
        fresh: list[dict[str, Any]] = []
        worker_id = self.lease.id if self.lease is not None else None
        claim = {"worker_id": worker_id, "claimed_at": now}
        for enrollment in enrollments:
            address = (emails or {}).get(enrollment.id, "")
            key = (enrollment.id or 0, enrollment.next_step, enrollment.attempt)
            touch = existing.get(key)
            if touch is None:
                step = steps[enrollment.id]
                fresh.append(_touch_row(now, workspace_id=enrollment.workspace_id,
                                        enrollment_id=key[0], prospect_id=enrollment.prospect_id,
                                        step=key[1], attempt=key[2], channel=step.channel,
                                        owner=step.owner, to_address=address,
                                        variant=(variants or {}).get(enrollment.id, ""),
                                        **claim))
            elif touch.state == TouchState.CANCELLED:
                # cancelled while the enrollment was paused (e.g. out of office): the
                # enrollment is active again, so the step runs after all — scheduled anew, so
                # the send-time check measures replies from now on
                touch.state, touch.reason = TouchState.PENDING, ""
                touch.created_at = now
                session.add(touch)
                ids[key] = touch.id or 0
            elif touch.state in (*RESUMABLE, TouchState.DEFERRED):
                ids[key] = touch.id or 0
            if touch is not None and key in ids:
                touch.worker_id, touch.claimed_at = worker_id, now
                touch.to_address = touch.to_address or address
                session.add(touch)
        ids.update(self._insert(session, fresh, sqlite=self.deps.db.is_sqlite))
        return [ids[key] for key in keys if key in ids]

    def _among_keys(self, keys: list[Key]) -> ColumnElement[bool]:
        """Touches with these (enrollment, step, attempt) keys; on PostgreSQL the keys come
        as three arrays (one statement text whatever their number, see :func:`among`)."""
        columns = tuple_(col(Touch.enrollment_id), col(Touch.step), col(Touch.attempt))
        if self.deps.db.is_sqlite:
            return columns.in_(keys)
        given = _unnest("given", {name: bindparam(f"key_{i}", [key[i] for key in keys],
                                                  type_=ARRAY(Integer))
                                  for i, name in enumerate(("e", "s", "a"))})
        return columns.in_(select(given.c.e, given.c.s, given.c.a))

    @staticmethod
    def _insert(session: Session, rows: list[dict[str, Any]], *,
                sqlite: bool) -> dict[Key, int]:
        """Insert new touches in one statement; on a unique-key race, one by one, leaving the
        touches another worker created first to that worker."""
        if not rows:
            return {}
        try:
            with session.begin_nested():
                result = (session.execute(_INSERT_TOUCHES, rows) if sqlite
                          else session.execute(insert_touches(rows)))
                return {(enrollment_id, step, attempt): touch_id
                        for touch_id, enrollment_id, step, attempt in result}
        except IntegrityError:
            pass
        created: dict[Key, int] = {}
        for row in rows:
            try:
                with session.begin_nested():
                    touch_id = session.execute(_INSERT_TOUCHES, [row]).first()
            except IntegrityError:
                continue  # another worker created it first: theirs to run
            if touch_id is not None:
                created[(row["enrollment_id"], row["step"], row["attempt"])] = touch_id[0]
        return created

    # -- running ----------------------------------------------------------------------------
    def recover(self, now: dt.datetime) -> int:
        """After a crash: settle in-flight sends and re-run touches a crash interrupted (a
        touch some worker claimed is left to that worker, or settled once it is found dead)."""
        self.settle_dead(now)
        with self.deps.db.session() as s:
            running = select(Worker.id).where(col(Worker.stopped_at).is_(None))
            unowned = col(Touch.worker_id).is_(None) | col(Touch.worker_id).not_in(running)
            recover_in_flight(s, now=now, in_sent_folder=self._in_sent_folder,
                              only=[t for t in s.exec(select(Touch.id).where(
                                  Touch.state == TouchState.SENDING, unowned)) if t])
            stale = now - dt.timedelta(minutes=5)
            rows = s.exec(select(Touch.id).join(
                Enrollment, col(Enrollment.id) == Touch.enrollment_id).where(
                col(Touch.state).in_(RESUMABLE), col(Touch.updated_at) <= stale, unowned,
                Enrollment.state == EnrollmentState.ACTIVE,
                col(Enrollment.claimed_at).is_not(None))).all()
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
                & (col(Touch.step) == Enrollment.next_step)
                & (col(Touch.attempt) == Enrollment.attempt)).where(
                Enrollment.state == EnrollmentState.ACTIVE, col(Enrollment.claimed_at).is_not(None),
                col(Touch.state).in_(ADVANCING))).all()
            for enrollment, touch in stuck:
                advance_enrollment(s, enrollment_id=enrollment.id or 0, done_step=touch.step,
                                   now=now, message_id=touch.message_id, subject=touch.subject,
                                   channel=touch.channel)
                n += 1
        return n

    def _in_sent_folder(self, touch: Touch) -> bool | None:
        """Whether the mailbox's Sent folder holds the touch; None when it cannot tell."""
        from cadenza.mailbox.sent_folder import sent_folder_shows

        with self.deps.db.session() as s:
            enrollment = s.get(Enrollment, touch.enrollment_id)
            box = s.get(Mailbox, enrollment.mailbox_id) if enrollment and \
                enrollment.mailbox_id else None
        return None if box is None else sent_folder_shows(box, touch.message_id)

    def resume_paused(self, now: dt.datetime) -> int:
        """Paused enrollments whose ``paused_until`` has passed (e.g. out of office) go on."""
        from cadenza.agent.lifecycle import resume_due_enrollments

        with self.deps.db.session() as s:
            return resume_due_enrollments(s, now)

    def settle_dead(self, now: dt.datetime) -> int:
        """Settle the touches of workers that died (PostgreSQL); how many were in flight."""
        me = self.lease.renew() if self.lease is not None else None
        with self.deps.db.session() as s:
            return len(settle_dead(s, me=me, now=now, in_sent_folder=self._in_sent_folder))

    def tick(self, now: dt.datetime | None = None, *,
             stop: threading.Event | None = None) -> TickReport:
        """One pass: resume ended pauses, claim what is due, run each touch. When ``stop`` is
        set, the touch running finishes and the claimed ones not started are released."""
        now = now or self.deps.clock()
        report = TickReport()
        if self.lease is not None and not self.lease.holds():
            return report  # not registered (the database away): claim nothing until it is
        report.resumed = self.resume_paused(now)
        ids, report.deferrals = self.claim(now)
        report.deferred = len(report.deferrals)
        report.claimed = len(ids)
        self._pass = (self.lease.id if self.lease is not None else None, list(ids))
        for n, touch_id in enumerate(ids):
            if stop is not None and stop.is_set():
                self._release(ids[n:])
                break
            if self.lease is not None and not self.lease.holds():
                # a database restart took the lock: another worker may be settling these
                # claims already, so this one stops acting on them (settle_dead, here or
                # there, makes them due again once the lock is found free)
                log.warning("worker lock lost: leaving %d claimed touches to recovery",
                            len(ids) - n)
                break
            report.results.append(self.runner.run(touch_id))
        own = [r.touch_id for r in report.results if r.outcome == "in_flight"]
        if own:  # left at SMTP by a run of this worker (the database went away after the send)
            self.settle_pass(self.deps.clock(), only=own)
        self._pass = (None, [])
        return report

    def settle_pass(self, now: dt.datetime, *, only: list[int] | None = None) -> None:
        """Settle what this worker's last pass left half-done when an outage cut it short (or
        ``only`` these touches of it): nothing of this worker is running them any more."""
        worker_id, ids = self._pass
        ids = only if only is not None else ids
        if not ids:
            return
        with self.deps.db.session() as s:
            settle_orphans(s, touch_ids=ids, worker_id=worker_id, now=now,
                           in_sent_folder=self._in_sent_folder)
        self._pass = (None, [])

    def release_own(self) -> None:
        """At a clean stop: every touch this worker claimed and did not take to SMTP is due
        again (the others would wait for it to be found dead, and a stopped one never is)."""
        if self.lease is None or self.lease.id is None:
            return
        with self.deps.db.session() as s:
            release_touches(s, worker_ids=[self.lease.id], now=self.deps.clock())

    def _release(self, touch_ids: list[int]) -> None:
        """Claimed touches this worker will not start (it is stopping): due again at once."""
        with self.deps.db.session() as s:
            n = release_touches(s, touch_ids=touch_ids, now=self.deps.clock())
        log.info("stopping: released %d claimed touches, due again", n)

    def run_now(self, enrollment_ids: list[int], now: dt.datetime) -> TickReport:
        """Run these enrollments' due touches at once — an inbound lead's first touch — by
        the very claim (caps, gap, send window) and graph a pass uses; one not due yet, or
        put off by a cap, is left to the worker."""
        report = TickReport()
        ids, report.deferrals = self.claim(now, only=enrollment_ids)
        report.deferred, report.claimed = len(report.deferrals), len(ids)
        for touch_id in ids:
            report.results.append(self.runner.run(touch_id))
        return report

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 5.0) -> None:
        """The worker loop: recover, then settle dead workers and tick until ``stop`` is set
        (the touch running then finishes; the claimed ones not started are released). A
        database outage is waited out, never a reason to exit: when the database is back,
        what the cut-short pass left half-done is settled and recovery runs again."""
        backoff = Backoff()
        recovered = False
        while not stop.is_set():
            try:
                if not recovered:  # at start, and after an outage: what it left half-done
                    self.settle_pass(self.deps.clock())
                    self.recover(self.deps.clock())
                    recovered = True
                self.settle_dead(self.deps.clock())
                report = self.tick(stop=stop)
            except Exception as exc:
                if not is_outage(exc):
                    raise
                # a database restart or failover: wait and go on, never exit over it
                recovered = False
                delay = backoff.next()
                log.warning("the database is away (%s); trying again in %.0f s",
                            str(exc).splitlines()[0][:200], delay)
                stop.wait(delay)
                continue
            backoff.reset()
            for result in report.results:
                log.info("touch %s: %s%s", result.touch_id, result.outcome,
                         f" ({result.reason})" if result.reason else "")
            for enrollment_id, why, until in report.deferrals:
                log.info("enrollment %s: deferred to %s (%s)", enrollment_id,
                         until.isoformat(), why)
            if report.claimed < self.batch:
                stop.wait(poll_seconds)
