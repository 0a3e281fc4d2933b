"""The dashboard read from the rollup (per-hour partials folded from the trigger-written change
log) gives exactly what a recomputation over every touch gives: on the constructed history
whose answers are known, after every kind of change, under concurrent writers, and over
random histories (hypothesis), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_world import SINCE, UNTIL, WEEK1, WEEK2, History, build_history
from sqlalchemy import text
from sqlmodel import Session, select

from cadenza.metrics import rollup
from cadenza.metrics.dashboard import Dashboard, TestMetric, dashboard, recomputed_dashboard
from cadenza.playbooks import parse_playbook
from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import (
    Enrollment,
    Handoff,
    Playbook,
    Prospect,
    Reply,
    Touch,
    Workspace,
)
from cadenza.store.results import Outcome

H, D, M = dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(minutes=1)
METRICS: tuple[TestMetric, ...] = ("positive_reply_rate", "reply_rate", "meeting_rate")


def both(db: Database, workspace_id: int, since: dt.datetime, until: dt.datetime,
         playbook: str | None = None,
         metric: TestMetric = "positive_reply_rate") -> tuple[Dashboard, Dashboard]:
    with db.session() as s:
        fast = dashboard(s, workspace_id=workspace_id, since=since, until=until,
                         playbook=playbook, metric=metric)
    with db.session() as s:
        full = recomputed_dashboard(s, workspace_id=workspace_id, since=since, until=until,
                                    playbook=playbook, metric=metric)
    return fast, full


def assert_same(db: Database, workspace_id: int, since: dt.datetime, until: dt.datetime,
                playbook: str | None = None, metric: TestMetric = "positive_reply_rate",
                ) -> Dashboard:
    fast, full = both(db, workspace_id, since, until, playbook, metric)
    assert fast.model_dump() == full.model_dump()
    for test in fast.variants:  # an arm's successes are among the prospects it reached
        assert all(0 <= arm.successes <= arm.touched for arm in test.arms), test
    for row in fast.funnel:
        assert row.replied <= row.touched, row
    return fast


@pytest.fixture
def history(database: Database) -> History:
    return build_history(database)


def test_the_known_answers_from_the_rollup(database: Database, history: History) -> None:
    board = assert_same(database, history.workspace_id, SINCE, UNTIL)
    t = board.total  # the hand-worked figures of test_metrics_history, now from the rollup
    assert (t.enrolled, t.touched, t.completed, t.replied, t.positive) == (8, 7, 1, 3, 1)
    assert (t.sent, t.bounced, t.opt_outs, t.meetings, t.pipeline) == (14, 3, 2, 1, 12000.0)
    assert (t.dropped, t.first_reply_minutes_p50) == (5, 3000.0)
    one, two, three = board.funnel
    assert (one.touched, one.replied, one.dropped, two.replied, three.sent) == (7, 2, 2, 1, 2)
    [test] = board.variants  # E2 answered step 1, not its step 2 (b): no positive for b
    assert [(a.name, a.touched, a.successes) for a in test.arms] == [("a", 2, 0), ("b", 2, 0)]
    assert [w.key for w in board.weeks] == ["2026-11-30", "2026-12-07"]
    with database.session() as s:
        assert rollup.pending(s, workspace_id=history.workspace_id) == 0
        stored = s.exec(select(rollup.MetricsPartial.hour)).all()
    assert sorted(set(stored)) == ["2026-11-20 08", "2026-11-30 08", "2026-12-07 08"]  # E9 too


@pytest.mark.parametrize("metric", METRICS)
def test_periods_of_instants_playbooks_and_metrics(database: Database, history: History,
                                                   metric: TestMetric) -> None:
    w = history.workspace_id
    for since, until in ((SINCE, UNTIL), (WEEK1 + 30 * M, UNTIL - 90 * M),
                         (WEEK1 - 10 * D, WEEK2 + 8 * H + 30 * M),  # E9; an edge mid-hour
                         (WEEK2 + 8 * H + 10 * M, WEEK2 + 8 * H + 20 * M),  # inside one hour
                         (WEEK2, WEEK1)):  # ends before it starts: empty
        for playbook in (None, "ab-test", "other"):
            assert_same(database, w, since, until, playbook, metric)


def test_every_kind_of_change_is_followed(database: Database, history: History) -> None:
    """A view, then each change the figures depend on, then a view: always the recomputation."""
    w, e, p, t = (history.workspace_id, history.enrollments, history.prospects,
                  history.touches)
    before = assert_same(database, w, SINCE, UNTIL)
    assert before.total.replied == 3
    changes = [
        # E7's pending step 2 goes out, and E7 answers it (threaded): a fourth reply
        lambda s: s.exec(text("UPDATE touch SET state='sent', sent_at=:at WHERE id=:id"),
                         params={"at": WEEK2 + 3 * D, "id": t[("E7", 2, 1)]}),
        lambda s: s.add(Reply(workspace_id=w, raw=b"x", state="processed", intent="interested",
                              uid=900, prospect_id=p["E7"], received_at=WEEK2 + 3 * D + H,
                              touch_id=t[("E7", 2, 1)])),
        # the enrollment stops: it ended, by the prospect's own hand
        lambda s: s.exec(text("UPDATE enrollment SET state='stopped' WHERE id=:id"),
                         params={"id": e["E7"]}),
        # an unthreaded reply to E1, after its last send: credited to step 3
        lambda s: s.add(Reply(workspace_id=w, raw=b"x", state="processed", intent="question",
                              uid=901, prospect_id=p["E1"], received_at=WEEK1 + 8 * D)),
        # a reply read later: stored first, classified afterwards
        lambda s: s.exec(text("UPDATE reply SET intent='not_now' WHERE uid=901")),
        # a handoff of E7's reply, accepted; a meeting; an opt-out click on E1's step 2
        lambda s: s.add(Handoff(workspace_id=w, prospect_id=p["E7"], enrollment_id=e["E7"],
                                reply_id=s.exec(select(Reply.id).where(Reply.uid == 900)).one(),
                                intent="interested", state="accepted",
                                created_at=WEEK2 + 3 * D + 2 * H,
                                accepted_at=WEEK2 + 3 * D + 3 * H)),
        lambda s: s.add(Outcome(workspace_id=w, prospect_id=p["E7"], kind="meeting_booked",
                                touch_id=t[("E7", 2, 1)], source="rep")),
        lambda s: record_event(session=s, kind="prospect.unsubscribed", workspace_id=w,
                               subject_type="touch", subject_id=t[("E1", 2, 1)]),
        # a touch refused by the server after all; a variant renamed
        lambda s: s.exec(text("UPDATE touch SET state='failed', reason='smtp: 550' "
                              "WHERE id=:id"), params={"id": t[("E4", 1, 1)]}),
        lambda s: s.exec(text("UPDATE touch SET variant='b' WHERE id=:id"),
                         params={"id": t[("E3", 2, 1)]}),
        # an enrollment moved to another day, and one deleted with its touches and replies
        lambda s: s.exec(text("UPDATE enrollment SET started_at=:at WHERE id=:id"),
                         params={"at": WEEK1 + 3 * D + 30 * M, "id": e["E5"]}),
        lambda s: [s.exec(text(stmt), params={"id": e["E4"]}) for stmt in (
            "DELETE FROM reply WHERE touch_id IN (SELECT id FROM touch WHERE enrollment_id=:id)",
            "DELETE FROM touch WHERE enrollment_id = :id",
            "DELETE FROM enrollment WHERE id = :id")],
    ]
    for change in changes:
        with database.session() as s:
            change(s)
        assert_same(database, w, SINCE, UNTIL)
        assert_same(database, w, WEEK1 + 30 * M, UNTIL - 90 * M, "ab-test", "meeting_rate")
    after = assert_same(database, w, SINCE, UNTIL)
    assert (after.total.enrolled, after.total.replied, after.total.meetings) == (7, 5, 2)


def test_a_signal_on_a_refused_step_counts_for_the_enrollment_not_the_arm(
        database: Database, history: History) -> None:
    """The case a random history found: a reply and a meeting credited to a step the server
    refused. The prospect's meeting is the cohort's, but arm a never reached them, so it must
    not count among a's successes (two successes for one prospect touched broke the A/B
    interval's arithmetic)."""
    w, p, t = history.workspace_id, history.prospects, history.touches
    before = assert_same(database, w, SINCE, UNTIL, metric="meeting_rate")
    with database.session() as s:
        s.exec(text("UPDATE touch SET state='failed', reason='smtp: 550' WHERE id=:id"),
               params={"id": t[("E7", 2, 1)]})
        s.add(Reply(workspace_id=w, raw=b"x", state="processed", intent="interested", uid=950,
                    prospect_id=p["E7"], received_at=WEEK2 + 3 * D,
                    touch_id=t[("E7", 2, 1)]))
        s.add(Outcome(workspace_id=w, prospect_id=p["E7"], kind="meeting_booked",
                      touch_id=t[("E7", 2, 1)], source="rep"))
    after = assert_same(database, w, SINCE, UNTIL, metric="meeting_rate")
    assert (after.total.meetings, after.total.replied) == (before.total.meetings + 1,
                                                           before.total.replied + 1)
    arms = [(a.name, a.touched, a.successes) for a in after.variants[0].arms]
    assert arms == [(a.name, a.touched, a.successes) for a in before.variants[0].arms]
    def step_two(board: Dashboard) -> int:
        return next(r.replied for r in board.funnel if r.key.endswith("step 2"))
    assert step_two(after) == step_two(before)


def test_a_new_workspace_and_the_migrations_backfill(database: Database,
                                                     history: History) -> None:
    """What the migration leaves (one "every day" row per workspace) folds the whole history;
    partials that nothing backs any more go."""
    w = history.workspace_id
    with database.session() as s:
        s.exec(text("DELETE FROM metrics_change"))
        s.exec(text("DELETE FROM metrics_partial"))
        s.exec(text("INSERT INTO metrics_partial (workspace_id, hour, playbook_id, payload) "
                    "VALUES (:w, '2020-01-01 00', 1, '{}')"), params={"w": w})
        s.exec(text("INSERT INTO metrics_change (workspace_id) VALUES (:w)"), params={"w": w})
    assert_same(database, w, SINCE, UNTIL)
    with database.session() as s:
        hours = set(s.exec(select(rollup.MetricsPartial.hour)).all())
    assert "2020-01-01 00" not in hours and "2026-11-30 08" in hours
    with database.session() as s:
        other = Workspace(slug="empty", name="Empty")
        s.add(other)
        s.flush()
        empty = other.id or 0
    board = assert_same(database, empty, SINCE, UNTIL)
    assert board.total.enrolled == 0 and board.funnel == [] and board.variants == []


def test_concurrent_writers_never_make_it_drift(database: Database, history: History) -> None:
    """Writers change touches, replies and enrollments while views fold the log; once they
    stop, one more view equals the recomputation."""
    w, p, t = history.workspace_id, history.prospects, history.touches
    names = sorted(p)
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer(seed: int) -> None:
        try:
            for i in range(20):
                name = names[(seed + i) % len(names)]
                with database.session() as s:
                    s.add(Reply(workspace_id=w, raw=b"x", state="processed",
                                intent=("interested", "not_now", "auto_reply")[i % 3],
                                uid=10_000 * seed + i, prospect_id=p[name],
                                received_at=WEEK2 + (i + 1) * H))
                    touch = t.get((name, 1, 1))
                    if touch is not None:
                        s.exec(text("UPDATE touch SET sent_at=:at WHERE id=:id"),
                               params={"at": WEEK1 + (i % 5) * H, "id": touch})
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    def viewer() -> None:
        try:
            while not stop.is_set():
                with database.session() as s:
                    dashboard(s, workspace_id=w, since=SINCE, until=UNTIL)
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    watch = threading.Thread(target=viewer)
    watch.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    stop.set()
    watch.join()
    assert errors == []
    assert_same(database, w, SINCE, UNTIL)


# -- random histories -------------------------------------------------------------------------
PLAYBOOK = """
name: random
steps:
  - {day: 1, channel: email, template: email_opener}
  - day: 3
    channel: email
    template: email_followup
    variants: [{name: a}, {name: b, subject_style: company}]
  - {day: 5, channel: linkedin_connect, template: linkedin_connect}
  - {day: 8, channel: call, owner: rep}
"""
START = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
INTENTS = ("interested", "meeting_request", "question", "referral", "not_now", "not_interested",
           "unsubscribe", "out_of_office", "auto_reply", "bounce", "unclear", "")
TOUCH_STATES = ("sent", "sending", "task_open", "failed", "pending", "cancelled")
ENROLLMENT_STATES = ("active", "paused", "waiting", "completed", "stopped", "skipped", "failed")

reply_st = st.fixed_dictionaries({
    "intent": st.sampled_from(INTENTS), "step": st.integers(0, 3),  # 0: unthreaded
    "after": st.integers(0, 6 * 24 * 60),
    "state": st.sampled_from(("processed", "processed", "triage", "duplicate", "stored")),
    "handoff": st.booleans()})
enrollment_st = st.fixed_dictionaries({
    "start": st.integers(-2 * 24, 16 * 24),  # hours from START: some before the period
    "minute": st.integers(0, 59),
    "state": st.sampled_from(ENROLLMENT_STATES),
    "touches": st.lists(st.tuples(st.sampled_from(TOUCH_STATES), st.sampled_from("ab"),
                                  st.booleans()), max_size=3),  # (state, variant, retried)
    "replies": st.lists(reply_st, max_size=3),
    "outcome": st.sampled_from(("", "meeting_booked", "opportunity", "disqualified")),
    "click": st.booleans(),
    "late": st.booleans(),  # written after the first view
})


def _write(s: Session, w: int, playbook_id: int, n: int, e: dict[str, object]) -> None:
    start = START + int(e["start"]) * H + int(e["minute"]) * M  # type: ignore[call-overload]
    prospect = Prospect(workspace_id=w, email=f"p{n}@x{w}.example")
    s.add(prospect)
    s.flush()
    enrollment = Enrollment(workspace_id=w, prospect_id=prospect.id or 0,
                            playbook_id=playbook_id, state=str(e["state"]), started_at=start,
                            created_at=start, updated_at=start)
    s.add(enrollment)
    s.flush()
    touches = []
    for step, (state, variant, retried) in enumerate(e["touches"], start=1):  # type: ignore[arg-type]
        sent = start + (step - 1) * D + step * H
        for attempt in (1, 2) if retried else (1,):
            touch = Touch(workspace_id=w, enrollment_id=enrollment.id or 0,
                          prospect_id=prospect.id or 0, step=step, attempt=attempt,
                          channel="linkedin_connect" if step == 3 else "email",
                          variant=variant if step == 2 else "", state=state,
                          reason="smtp: 550" if state == "failed" else "",
                          sent_at=sent + (attempt - 1) * H if state in ("sent", "sending")
                          else None, created_at=sent, updated_at=sent)
            s.add(touch)
            s.flush()
            if attempt == 1:
                touches.append(touch.id or 0)
    for i, r in enumerate(e["replies"]):  # type: ignore[arg-type]
        step = int(r["step"])
        reply = Reply(workspace_id=w, raw=b"x", uid=1000 * n + i, prospect_id=prospect.id,
                      state=r["state"], intent=r["intent"],
                      received_at=start + int(r["after"]) * M,
                      touch_id=touches[step - 1] if 0 < step <= len(touches) else None)
        s.add(reply)
        s.flush()
        if r["handoff"]:
            s.add(Handoff(workspace_id=w, prospect_id=prospect.id or 0,
                          enrollment_id=enrollment.id, reply_id=reply.id, intent="x",
                          created_at=reply.received_at + 5 * M,
                          accepted_at=reply.received_at + 50 * M))
    if e["outcome"] and touches:
        s.add(Outcome(workspace_id=w, prospect_id=prospect.id or 0, kind=str(e["outcome"]),
                      touch_id=touches[-1], amount=1000.0 + n, source="rep",
                      recorded_at=start + 9 * D))
    if e["click"] and touches:
        record_event(session=s, kind="prospect.unsubscribed", workspace_id=w,
                     subject_type="touch", subject_id=touches[0])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(enrollments=st.lists(enrollment_st, max_size=12),
       since=st.integers(-24, 8 * 24), minutes=st.integers(0, 59),
       length=st.integers(1, 10 * 24), metric=st.sampled_from(METRICS),
       filtered=st.booleans())
def test_random_histories(database: Database, enrollments: list[dict[str, object]],
                          since: int, minutes: int, length: int, metric: TestMetric,
                          filtered: bool) -> None:
    db = database
    with db.session() as s:
        ws = Workspace(slug=f"r{len(s.exec(select(Workspace.id)).all())}", name="R")
        s.add(ws)
        s.flush()
        w = ws.id or 0
        spec = parse_playbook(PLAYBOOK, origin="test").spec
        book = Playbook(workspace_id=w, name="random", content_hash="r" * 64,
                        definition=spec.model_dump(mode="json"))
        s.add(book)
        s.flush()
        playbook_id = book.id or 0
    period = (START + since * H + minutes * M, START + (since + length) * H)
    playbook = "random" if filtered else None
    for late in (False, True):  # a view between the two writes folds the first half
        with db.session() as s:
            for n, e in enumerate(enrollments):
                if bool(e["late"]) == late:
                    _write(s, w, playbook_id, n, e)
        assert_same(db, w, *period, playbook, metric)
        assert_same(db, w, START - 2 * D, START + 20 * D)
