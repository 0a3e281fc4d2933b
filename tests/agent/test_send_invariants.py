"""The last line of defence at send time, approvals in bulk, retries and skipped prospects.

Real SMTP (aiosmtpd on loopback), real databases, the real graph: each test fails on a code
path that once let a message out (or held a cadence for ever) that should not have.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from test_touch_graph import agent_for, walk
from world import MONDAY, PEOPLE, Clock, World, add_prospects, enroll, make_world

from cadenza.mailbox.unsubscribe import UnsubscribeClaim
from cadenza.replies.classify.message import classify_message
from cadenza.replies.optout import apply_opt_out
from cadenza.replies.processing import message_key, process_stored, sender_of
from cadenza.store import Database
from cadenza.store.models import Enrollment, Handoff, Prospect, Reply, Touch
from cadenza.store.suppressions import suppress

from support.mail_builders import dsn_bytes, scripted
from support.smtp import SmtpServer

pytestmark = pytest.mark.calendar  # scheduling, pauses and SLAs: run at shifted dates too


def _held_draft(world: World, clock: Clock, agent: object) -> int:
    report = agent.scheduler.tick()  # type: ignore[attr-defined]
    assert [r.outcome for r in report.results] == ["waiting"]
    touch_id = report.results[0].touch_id
    with world.db.session() as s:
        assert s.get(Touch, touch_id).state == "held"  # type: ignore[union-attr]
    return int(touch_id)


def _good_edit(world: World) -> dict[str, str]:
    """What a person writes for a held draft: a short email with the compliance footer."""
    from cadenza.sender import SenderProfile
    from cadenza.writing.composing import footer_block

    profile = SenderProfile.model_validate(world.workspace.sender)
    body = ("Hi Dana,\n\nWe help freight teams answer carrier questions faster. "
            "Would a short call next week be useful?\n\nMaya\n\n" + footer_block(profile, "en"))
    return {"action": "edit", "by": "olivia", "subject": "Carrier questions", "body": body}


def test_held_draft_opt_out_by_link_then_approved_edit_sends_nothing(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"hold_countries": ["DE"]})
    add_prospects(world, [{**p, "country": "DE"} for p in PEOPLE])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        report = agent.scheduler.tick()
        assert [r.outcome for r in report.results] == ["waiting", "waiting"]
        opted, control = (r.touch_id for r in report.results)
        with database.session() as s:
            assert {s.get(Touch, t).state for t in (opted, control)} == {"held"}  # type: ignore[union-attr]
            address = s.get(Touch, opted).to_address or s.exec(  # type: ignore[union-attr]
                select(Prospect.email).join(Touch, col(Touch.prospect_id) == Prospect.id)
                .where(Touch.id == opted)).one()
        with database.session() as s:  # the one-click link, while a person edits the draft
            result = apply_opt_out(session=s, claim=UnsubscribeClaim(
                world.workspace.id or 0, address, opted), source="link", now=clock.now)
        assert opted in result.cancelled_touches  # a held draft is called off too
        refused = agent.runner.resume(opted, _good_edit(world))
        sent = agent.runner.resume(control, _good_edit(world))  # the same edit goes out
    assert refused.outcome != "sent" and sent.outcome == "sent", (refused, sent)
    assert [m.rcpt_tos for m in smtp_server.sink.messages] == [
        [p["email"] for p in PEOPLE if p["email"] != address]]
    with database.session() as s:
        assert s.get(Touch, opted).state == "cancelled"  # type: ignore[union-attr]


def test_send_time_check_refuses_a_suppressed_address_whatever_the_path(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """Suppressed behind the cadence's back (no cancel ran): the outbox claim still says no."""
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, approval="always")
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        report = agent.scheduler.tick()
        touch_id = report.results[0].touch_id
        with database.session() as s:
            suppress(session=s, workspace_id=world.workspace.id or 0,
                     value=PEOPLE[0]["email"].split("@")[1], reason="manual")  # the domain
        outcome = agent.runner.resume(touch_id, {"action": "approve", "by": "olivia"})
    assert (outcome.outcome, outcome.reason) == ("cancelled", "suppressed")
    assert smtp_server.sink.messages == []
    with database.session() as s:
        touch = s.get(Touch, touch_id)
        assert touch is not None and touch.state == "cancelled"
        assert touch.reason.endswith("suppressed")
        assert s.exec(select(Enrollment)).one().state == "stopped"


def _approve_after_a_reply(world: World, smtp_server: SmtpServer, intent: str) -> Any:
    """One touch waits for approval; a reply of ``intent`` is recorded an hour later without
    the reply policy running (as a buggy path would leave it); then the approval comes."""
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        touch_id = agent.scheduler.tick().results[0].touch_id
        clock.advance(hours=1)
        with world.db.session() as s:
            prospect = s.exec(select(Prospect)).one()
            s.add(Reply(workspace_id=world.workspace.id or 0, mailbox_id=world.mailbox_id,
                        uid=1, raw=b"x", state="processed", intent=intent,
                        prospect_id=prospect.id, from_address=prospect.email,
                        received_at=clock.now))
        return agent.runner.resume(touch_id, {"action": "approve", "by": "olivia"})


def test_send_time_check_refuses_after_a_human_reply(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """The approval does not deliver, and the prospect waits for a person."""
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, approval="always")
    outcome = _approve_after_a_reply(world, smtp_server, "question")
    assert outcome.outcome == "cancelled" and outcome.reason.startswith("replied")
    assert smtp_server.sink.messages == []
    with database.session() as s:
        assert s.exec(select(Enrollment)).one().state == "waiting"


def test_an_auto_reply_does_not_block_the_send(database: Database, tmp_path: Path,
                                               smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, approval="always")
    outcome = _approve_after_a_reply(world, smtp_server, "auto_reply")
    assert outcome.outcome == "sent"
    assert len(smtp_server.sink.messages) == 1


def test_approvals_past_first_n_settle_their_own_touch(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, approval="first_n",
                       settings_extra={"approval": {"mode": "first_n", "first_n": 2}})
    people = [{"id": f"q{i}", "email": f"person{i}@company{i}.example", "first_name": "Sam",
               "company": f"Company {i}", "company_domain": f"company{i}.example"}
              for i in range(6)]
    add_prospects(world, people)
    enroll(world)
    with agent_for(world, Clock()) as agent:
        report = agent.scheduler.tick()
        assert [r.outcome for r in report.results] == ["waiting"] * 6
        outcomes = [agent.runner.resume(r.touch_id, {"action": "approve", "by": "olivia"})
                    for r in report.results]
    assert [o.outcome for o in outcomes] == ["sent"] * 6, [o.reason for o in outcomes]
    assert len(smtp_server.sink.messages) == 6
    with sqlite_db.session() as s:
        assert {t.approved_by for t in s.exec(select(Touch))} == {"olivia"}


def test_an_enrollment_the_agent_never_reached_ends_skipped(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    # a role account with no LinkedIn URL: every agent step is skipped
    add_prospects(world, [{"id": "r", "email": "info@company.example"}, PEOPLE[0]])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        walk(agent, world, clock)
    with sqlite_db.session() as s:
        states = {s.get(Prospect, e.prospect_id).email: (e.state, e.stop_reason)  # type: ignore[union-attr]
                  for e in s.exec(select(Enrollment))}
        handoffs = s.exec(select(Handoff)).all()
    state, reason = states["info@company.example"]
    assert state == "skipped" and "role_account" in reason and "no_linkedin_url" in reason
    assert states[PEOPLE[0]["email"]] == ("completed", "handed_to_rep")
    assert len(handoffs) == 1  # only for the prospect the agent actually wrote to


def test_a_soft_bounce_is_delivered_again_as_a_new_attempt(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        agent.scheduler.tick()
        (first,) = smtp_server.sink.messages
        clock.advance(hours=2)
        raw = dsn_bytes(original_id=first.message["Message-ID"], recipient=PEOPLE[0]["email"],
                        status="4.2.2", action="failed",
                        diagnostic="smtp; 452 4.2.2 mailbox full")
        with sqlite_db.session() as s:
            reply = Reply(workspace_id=world.workspace.id or 0, mailbox_id=world.mailbox_id,
                          uid=1, raw=raw, message_id=message_key(raw), received_at=clock.now)
            s.add(reply)
        (outcome,) = process_stored(db=sqlite_db, classify=classify_message, threshold=0.55,
                                    now=lambda: clock.now)
        assert outcome.action == "soft_bounce_retry", outcome
        clock.advance(days=1)
        report = agent.scheduler.tick()
    assert [r.outcome for r in report.results] == ["sent"]
    assert len(smtp_server.sink.messages) == 2
    again = smtp_server.sink.messages[1].message
    assert again["Message-ID"] != first.message["Message-ID"]
    assert again["Subject"] == first.message["Subject"]  # the same step, not a follow-up
    with sqlite_db.session() as s:
        touches = s.exec(select(Touch).order_by(col(Touch.id))).all()
        assert [(t.step, t.attempt, t.state) for t in touches] == [(1, 1, "sent"),
                                                                     (1, 2, "sent")]
        e = s.exec(select(Enrollment)).one()
        assert (e.state, e.next_step, e.attempt) == ("active", 2, 1)
        assert e.next_due_at is not None and e.next_due_at.date() > MONDAY.date()
    _ = dt


def test_a_policy_block_holds_the_mailbox_until_an_operator_clears_it(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    from cadenza.store.models import Mailbox, Task

    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE)
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        agent.scheduler.tick()
        first = smtp_server.sink.messages[0]
        raw = dsn_bytes(original_id=first.message["Message-ID"], recipient=first.rcpt_tos[0],
                        status="5.7.1",
                        diagnostic="smtp; 550 5.7.1 Message rejected due to local policy")
        with sqlite_db.session() as s:
            s.add(Reply(workspace_id=world.workspace.id or 0, mailbox_id=world.mailbox_id,
                        uid=1, raw=raw, message_id=message_key(raw), received_at=clock.now))
        (outcome,) = process_stored(db=sqlite_db, classify=classify_message, threshold=0.55,
                                    now=lambda: clock.now)
        assert outcome.action == "deliverability_alert"
        clock.advance(days=4)
        held = agent.scheduler.tick()
        assert (held.claimed, held.deferred) == (0, 2)
        assert len(smtp_server.sink.messages) == 2  # nothing more from the blocked mailbox
        with sqlite_db.session() as s:
            box = s.get(Mailbox, world.mailbox_id)
            assert box is not None and not box.active
            assert s.exec(select(Task).where(Task.kind == "deliverability_alert")).one()
            box.active = True  # the operator cleared the alert
            s.add(box)
        clock.advance(hours=2)
        agent.scheduler.tick()
    assert len(smtp_server.sink.messages) == 4  # both follow-ups went, from the same mailbox
    assert {m.mail_from for m in smtp_server.sink.messages} == {"maya@northwindlabs.io"}


def test_a_reply_not_yet_processed_holds_the_send_until_its_verdict(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """The watcher stored a message from the prospect but has not read it yet (it crashed,
    or is slow): the next touch waits for the verdict instead of racing it."""
    from support.mail_builders import reply_bytes

    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, approval="always")
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with agent_for(world, clock) as agent:
        touch_id = agent.scheduler.tick().results[0].touch_id
        raw = reply_bytes("Not for us, thanks.", sender=f"Dana <{PEOPLE[0]['email']}>")
        with sqlite_db.session() as s:
            s.add(Reply(workspace_id=world.workspace.id or 0, mailbox_id=world.mailbox_id,
                        uid=1, raw=raw, message_id=message_key(raw),
                        from_address=sender_of(raw), received_at=clock.now))
        waited = agent.runner.resume(touch_id, {"action": "approve", "by": "olivia"})
        assert waited.outcome == "deferred" and waited.reason.startswith("unread")
        assert smtp_server.sink.messages == []
        with sqlite_db.session() as s:
            e = s.exec(select(Enrollment)).one()
            assert e.state == "active" and e.next_due_at is not None and e.claimed_at is None
        process_stored(db=sqlite_db, threshold=0.55, now=lambda: clock.now,
                       classify=scripted(intent="not_interested", confidence=0.9))
        clock.advance(hours=1)
        agent.scheduler.tick()
    assert smtp_server.sink.messages == []
    with sqlite_db.session() as s:
        assert s.exec(select(Enrollment)).one().state == "stopped"
