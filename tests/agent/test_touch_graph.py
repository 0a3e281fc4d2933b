"""The touch graph end to end: real SMTP (aiosmtpd), real databases, the real drafter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from world import MONDAY, PEOPLE, Clock, World, add_prospects, enroll, make_world, walk

from cadenza.agent.retry_later import SCHEDULE
from cadenza.agent.service import Agent, open_agent
from cadenza.errors import LLMError
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Fact, Handoff, Prospect, Task, Touch
from cadenza.store.suppressions import suppress

from support.smtp import SmtpServer


@contextmanager
def agent_for(world: World, clock: Clock, **kw: Any) -> Iterator[Agent]:
    """The agent with no send jitter and short retry waits (what a retry does is tested here,
    not how long LangGraph waits before it)."""
    with open_agent(world.settings, world.db, clock=clock, jitter=(0.0, 0.0),
                    retry_interval=0.01, retry_jitter=False, **kw) as agent:
        yield agent


@pytest.mark.calendar
def test_four_agent_touches_threaded_then_handoff(database: Database, tmp_path: Path,
                                                   smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE)
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        walk(agent, world, clock)
    received = smtp_server.sink.messages
    assert len(received) == 6  # steps 1, 2 and 4 are emails, for two prospects
    by_rcpt: dict[str, list[Any]] = {}
    for r in received:
        by_rcpt.setdefault(r.rcpt_tos[0], []).append(r.message)
    for person in PEOPLE:
        first, second, fourth = by_rcpt[person["email"]]
        assert second["Subject"] == f"Re: {first['Subject']}"
        assert second["In-Reply-To"] == first["Message-ID"]
        assert first["Message-ID"] in fourth["References"]
        for msg in (first, second, fourth):
            assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert "/u/" in msg["List-Unsubscribe"]
            assert msg["Auto-Submitted"] is None
            text = msg.get_body(("plain",)).get_content()
            assert "500 Howard" in text or "Northwind" in text
    with database.session() as s:
        tasks = s.exec(select(Task)).all()
        assert sorted(t.kind for t in tasks) == ["linkedin_connect", "linkedin_connect"]
        assert all(t.link.startswith("https://www.linkedin.com/in/") and t.body for t in tasks)
        enrollments = s.exec(select(Enrollment)).all()
        assert {(e.state, e.stop_reason) for e in enrollments} == {("completed", "handed_to_rep")}
        handoffs = s.exec(select(Handoff)).all()
        assert len(handoffs) == 2 and all(h.intent == "cadence_handoff" for h in handoffs)
        touches = s.exec(select(Touch).order_by(col(Touch.step))).all()
        assert sorted({t.state for t in touches}) == ["sent", "task_open"]
        sent_days = sorted({t.sent_at.date() for t in touches if t.sent_at})
        assert sent_days[0] == MONDAY.date() and sent_days[-1] > MONDAY.date() + dt.timedelta(5)
        assert all(t.sent_at.weekday() < 5 for t in touches if t.sent_at)
        # what was drafted, from which facts, by which drafter and how it was checked is
        # stored with every touch (the claim writes it for emails, the task for LinkedIn)
        assert all(t.drafter == "template" and t.checks and t.body for t in touches)
        assert all(t.checks.get("compliance_footer", True) for t in touches if t.sent_at)


@pytest.mark.calendar
def test_opt_out_between_touches_stops_everything(database: Database, tmp_path: Path,
                                                  smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        agent.scheduler.tick()
        assert len(smtp_server.sink.messages) == 1
        with database.session() as s:
            suppress(session=s, workspace_id=world.workspace.id or 0,
                     value=PEOPLE[0]["email"], reason="unsubscribe")
            e = s.exec(select(Enrollment)).one()
            e.next_due_at = clock.now  # due again right away: the guard must catch it
            s.add(e)
        clock.advance(days=3)
        report = agent.scheduler.tick()
    assert len(smtp_server.sink.messages) == 1
    assert [r.outcome for r in report.results] == ["cancelled"]
    with database.session() as s:
        e = s.exec(select(Enrollment)).one()
        assert (e.state, e.stop_reason) == ("stopped", "suppressed")


class Exploding:
    name = "exploding"

    def __init__(self) -> None:
        self.calls = 0

    def draft(self, request: Any) -> Any:
        self.calls += 1
        raise LLMError("endpoint down")


def test_a_drafter_that_keeps_failing_is_put_off_then_fails_visibly(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """An LLM endpoint down is an outage: each pass retries the node three times, then the
    touch is put off along the schedule; only when the schedule is spent does it fail, with
    the reason, the enrollment and an event saying so."""
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    drafter = Exploding()
    clock = Clock()
    outcomes = []
    with agent_for(world, clock, drafter=drafter) as agent:
        for _ in range(len(SCHEDULE) + 1):
            report = agent.scheduler.tick()
            outcomes += [r.outcome for r in report.results]
            with sqlite_db.session() as s:  # to the moment it is due again (window, weekend)
                due = s.exec(select(Enrollment)).one().next_due_at
            if due is not None:
                clock.now = max(clock.now, due.replace(tzinfo=dt.UTC))
    assert outcomes == ["retry_later"] * len(SCHEDULE) + ["failed"]
    assert drafter.calls == 3 * (len(SCHEDULE) + 1)
    assert "gave up after 7 tries" in report.results[0].reason
    assert "endpoint down" in report.results[0].reason
    with sqlite_db.session() as s:
        touch = s.exec(select(Touch)).one()
        assert touch.state == "failed" and "endpoint down" in touch.reason
        e = s.exec(select(Enrollment)).one()
        assert e.state == "failed"
        assert s.exec(select(Event).where(Event.kind == "touch.failed")).first() is not None
        assert len(s.exec(select(Event).where(Event.kind == "touch.retry_later")).all()) == 6
    assert smtp_server.sink.messages == []


def test_transient_smtp_error_is_retried_and_sent_once(sqlite_db: Database, tmp_path: Path,
                                                       smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    smtp_server.sink.fail_next("451 4.3.0 try again later")
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
    assert [r.outcome for r in report.results] == ["sent"]
    assert len(smtp_server.sink.messages) == 1
    with sqlite_db.session() as s:
        assert s.exec(select(Touch)).one().attempts == 2


def test_permanent_smtp_rejection_is_a_hard_bounce(sqlite_db: Database, tmp_path: Path,
                                                   smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    smtp_server.sink.fail_next("550 5.1.1 user unknown")
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
    assert report.results[0].outcome == "failed"
    with sqlite_db.session() as s:
        assert s.exec(select(Prospect)).one().email_status == "bounced"
        assert s.exec(select(Enrollment)).one().stop_reason == "hard_bounce"


@pytest.mark.calendar
def test_mailbox_daily_cap_defers_the_rest(sqlite_db: Database, tmp_path: Path,
                                           smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, daily_cap=2)
    add_prospects(world, [{"id": f"c{i}", "email": f"p{i}@co{i}.example", "first_name": "Sam"}
                          for i in range(5)])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        report = agent.scheduler.tick()
        assert report.count("sent") == 2 and report.deferred == 3
        clock.advance(hours=1)
        assert agent.scheduler.tick().claimed == 0  # still capped within 24 h
    with sqlite_db.session() as s:
        waiting = [e for e in s.exec(select(Enrollment)) if e.next_step == 1]
        assert len(waiting) == 3
        assert all(e.next_due_at and e.next_due_at >= MONDAY + dt.timedelta(hours=23)
                   for e in waiting)


@pytest.mark.calendar
def test_domain_cap_spreads_one_company(sqlite_db: Database, tmp_path: Path,
                                        smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"domain_daily_cap": 2})
    add_prospects(world, [{"id": f"d{i}", "email": f"person{i}@samecorp.example",
                           "first_name": "Alex"} for i in range(4)])
    enroll(world)
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
    assert report.count("sent") == 2 and report.deferred == 2


def test_country_policy_holds_cold_email(sqlite_db: Database, tmp_path: Path,
                                         smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"hold_countries": ["DE"]})
    add_prospects(world, [dict(PEOPLE[0], country="DE")])
    enroll(world)
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
        assert report.results[0].outcome == "waiting"
        assert report.results[0].waiting and report.results[0].waiting["kind"] == "held"
        # approving a held draft unedited is refused: it is never sent as is
        result = agent.runner.resume(report.results[0].touch_id, {"action": "approve"})
        assert result.outcome == "rejected"
    assert smtp_server.sink.messages == []


def test_role_accounts_are_skipped(sqlite_db: Database, tmp_path: Path,
                                   smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, [{"id": "r", "email": "info@company.example"}])
    enroll(world)
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
    assert report.results[0].outcome == "skipped"
    assert smtp_server.sink.messages == []
    with sqlite_db.session() as s:
        assert s.exec(select(Touch)).one().reason == "role_account"


@pytest.mark.parametrize("mode", ["always", "first_n"])
def test_approval_interrupts_and_edits_are_rechecked(mode: str, sqlite_db: Database,
                                                      tmp_path: Path,
                                                      smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, approval=mode)
    add_prospects(world, PEOPLE)
    enroll(world)
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
        assert [r.outcome for r in report.results] == ["waiting", "waiting"]
        first, second = (r.touch_id for r in report.results)
        with sqlite_db.session() as s:
            waiting = s.get(Touch, first)
            assert waiting is not None and waiting.state == "awaiting_approval"
            assert waiting.body and waiting.checks and waiting.drafter == "template"
        payload = agent.runner.waiting(first)
        assert payload and payload["draft"]["body"] and payload["kind"] == "approval"
        # an edit that drops the compliance footer fails the checker: held, not sent
        bad = agent.runner.resume(first, {"action": "edit", "by": "olivia",
                                          "body": "Hi Dana, quick one. Worth a chat?"})
        assert bad.outcome == "waiting" and bad.waiting and bad.waiting["kind"] == "held"
        assert smtp_server.sink.messages == []
        good_body = payload["draft"]["body"].replace("\n\n", "\n\nA personal note. ", 1)
        ok = agent.runner.resume(first, {"action": "edit", "by": "olivia", "body": good_body})
        assert ok.outcome == "sent", ok
        rejected = agent.runner.resume(second, {"action": "reject", "by": "olivia"})
        assert rejected.outcome == "rejected"
    assert len(smtp_server.sink.messages) == 1
    assert "A personal note." in smtp_server.sink.messages[0].message.get_body(
        ("plain",)).get_content()
    with sqlite_db.session() as s:
        touches = {t.id: t for t in s.exec(select(Touch))}
        assert touches[first].approved_by == "olivia"
        assert touches[second].state == "rejected"
        # a rejected touch skips that step; the cadence goes on
        assert {e.next_step for e in s.exec(select(Enrollment))} == {2}


def test_refused_sender_is_our_problem_not_the_prospects(sqlite_db: Database, tmp_path: Path,
                                                         smtp_server: SmtpServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from cadenza.store.models import Mailbox, Suppression

    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    with sqlite_db.session() as s:  # the server wants a login the mailbox cannot give
        box = s.get(Mailbox, world.mailbox_id)
        assert box is not None
        box.smtp_username, box.smtp_password_ref = "maya", "env:CADENZA_TEST_SMTP_SECRET"
        s.add(box)
    clock = Clock()
    with agent_for(world, clock) as agent:
        # first this process lacks the secret: its own problem — the touch waits, and the
        # mailbox stays in rotation for every other process
        waited = agent.scheduler.tick()
        assert [r.outcome for r in waited.results] == ["deferred"]
        with sqlite_db.session() as s:
            assert s.get(Mailbox, world.mailbox_id).active is True  # type: ignore[union-attr]
            assert s.exec(select(Touch)).one().state in ("approved", "pending")  # not sent
        monkeypatch.setenv("CADENZA_TEST_SMTP_SECRET", "pw")
        clock.advance(hours=1)
        report = agent.scheduler.tick()
    assert report.results[0].outcome == "failed"
    with sqlite_db.session() as s:
        assert s.exec(select(Suppression)).all() == []
        assert s.exec(select(Prospect)).one().email_status == "valid"
        e = s.exec(select(Enrollment)).one()
        assert (e.state, e.stop_reason) == ("paused", "delivery_refused")
        assert s.get(Mailbox, world.mailbox_id).active is False  # type: ignore[union-attr]
        assert s.exec(select(Task).where(Task.kind == "deliverability_alert")).one()


@pytest.mark.calendar
def test_step_cancelled_during_a_pause_runs_after_resume(sqlite_db: Database, tmp_path: Path,
                                                         smtp_server: SmtpServer) -> None:
    """An out-of-office pause that lands while a touch is claimed cancels that touch; when the
    pause ends the same step must still go out (not stall the enrollment forever)."""
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        agent.scheduler.tick()                              # step 1 sent
        with sqlite_db.session() as s:
            e = s.exec(select(Enrollment)).one()
            s.add(Touch(workspace_id=e.workspace_id, enrollment_id=e.id or 0,
                        prospect_id=e.prospect_id, step=2, channel="email",
                        state="cancelled", reason="enrollment paused"))
            e.state, e.paused_until = "paused", clock.now + dt.timedelta(days=2)
            s.add(e)
        clock.advance(days=3)
        report = agent.scheduler.tick()
    assert report.resumed == 1 and [r.outcome for r in report.results] == ["sent"]
    assert len(smtp_server.sink.messages) == 2


@pytest.mark.calendar
def test_recovery_moves_on_an_enrollment_whose_touch_settled(sqlite_db: Database,
                                                             tmp_path: Path,
                                                             smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        agent.scheduler.tick()
        with sqlite_db.session() as s:   # as if the process died before `record` ran
            e = s.exec(select(Enrollment)).one()
            e.next_step, e.claimed_at = 1, clock.now  # still claimed at step 1
            s.add(e)
        assert agent.scheduler.recover(clock.now) == 1
    with sqlite_db.session() as s:
        e = s.exec(select(Enrollment)).one()
        assert e.next_step == 2 and e.next_due_at is not None and e.claimed_at is None


def test_gdpr_notice_line_when_the_workspace_asks(sqlite_db: Database, tmp_path: Path,
                                                  smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"gdpr_notice": True})
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    with agent_for(world, Clock()) as agent:
        assert [r.outcome for r in agent.scheduler.tick().results] == ["sent"]
    message = smtp_server.sink.messages[0].message
    assert "Why you are hearing from me" in message.get_body(("plain",)).get_content()
    assert "Why you are hearing from me" in message.get_body(("html",)).get_content()


def test_after_a_rejected_opener_the_next_email_is_a_first_touch(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """Reviewers read "a quick addition to my last email" in a prospect's first mail: the
    opener had been held. A step after an email that was never sent is written as an
    opener — no reference to earlier mail, no "Re:", no threading headers."""
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, approval="always")
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        report = agent.scheduler.tick()
        (opener,) = (r.touch_id for r in report.results)
        assert agent.runner.resume(opener, {"action": "reject", "by": "olivia"}).outcome \
            == "rejected"
        for _ in range(20):  # until step 2 is drafted and waits for a person
            with sqlite_db.session() as s:
                due = [e.next_due_at for e in s.exec(select(Enrollment)) if e.next_due_at]
            if not due:
                break
            clock.now = max(min(due), clock.now + dt.timedelta(seconds=1))
            waiting = [r.touch_id for r in agent.scheduler.tick().results
                       if r.outcome == "waiting"]
            if waiting:
                break
        (second,) = waiting
        payload = agent.runner.waiting(second)
        assert payload is not None
        body = payload["draft"]["body"]
        assert not payload["draft"]["subject"].lower().startswith("re:")
        for orphan in ("my last email", "my earlier note", "my note", "Following up",
                       "follow-up", "what I meant", "Adding one thing"):
            assert orphan.lower() not in body.lower(), body
        assert agent.runner.resume(second, {"action": "approve", "by": "olivia"}).outcome \
            == "sent"
    (sent,) = smtp_server.sink.messages
    assert sent.message["In-Reply-To"] is None and sent.message["References"] is None
    with sqlite_db.session() as s:
        assert s.get(Touch, second) is not None and s.get(Touch, second).step == 2  # type: ignore[union-attr]


def test_a_prospect_dominated_by_sensitive_facts_is_held_at_every_step(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """The guard defers the prospect as the batch drafter does: step 1 held, and after a
    person rejects it, step 2 is held too — never drafted as a follow-up."""
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    facts = [{"id": "f1", "kind": "post", "text": "Nach meinem Herzinfarkt und drei Monaten "
                                                  "Reha bin ich wieder da."},
             {"id": "f2", "kind": "news", "text": "Kestrel Freight baut 20 Stellen ab"},
             {"id": "f3", "kind": "post", "text": "Mit der Pfarrgemeinde auf Wallfahrt."}]
    add_prospects(world, PEOPLE[:1])
    with sqlite_db.session() as s:
        row = s.exec(select(Prospect)).one()
        for f in facts:
            s.add(Fact(prospect_id=row.id or 0, key=f["id"], kind=f["kind"], text=f["text"],
                       date=dt.date(2026, 10, 1)))
        s.commit()
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        report = agent.scheduler.tick()
        (first,) = report.results
        assert first.outcome == "waiting" and first.waiting and first.waiting["kind"] == "held"
        assert agent.runner.resume(first.touch_id, {"action": "reject"}).outcome == "rejected"
        waiting: list[Any] = []
        for _ in range(20):
            with sqlite_db.session() as s:
                due = [e.next_due_at for e in s.exec(select(Enrollment)) if e.next_due_at]
            if not due:
                break
            clock.now = max(min(due), clock.now + dt.timedelta(seconds=1))
            waiting = [r for r in agent.scheduler.tick().results if r.outcome == "waiting"]
            if waiting:
                break
        assert waiting and all(r.waiting and r.waiting["kind"] == "held" for r in waiting)
        with sqlite_db.session() as s:
            reasons = [t.reason for t in s.exec(select(Touch).order_by(col(Touch.step)))]
    assert reasons[0] == "rejected" and len(reasons) >= 2, reasons
    assert all("sensitive_record" in (r or "") for r in reasons[1:]), reasons
    assert smtp_server.sink.messages == []
