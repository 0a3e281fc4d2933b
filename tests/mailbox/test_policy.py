"""Each intent's policy on both databases: enrollments, suppressions, handoffs, tasks, events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import col, select

from cadenza.agent.lifecycle import pause_until, resume_due_enrollments
from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import process_stored
from cadenza.store import Database
from cadenza.store.models import (
    Enrollment,
    Event,
    Handoff,
    Prospect,
    Reply,
    Suppression,
    Task,
    Touch,
)
from cadenza.store.suppressions import is_suppressed, suppress

from support.mail_builders import World, dsn_bytes, make_world, reply_bytes, scripted, store

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)  # a Wednesday


def run(db: Database, world: World, raw: bytes, classify, **kw: Any):
    reply_id = store(db, world, raw)
    outcomes = process_stored(db=db, classify=classify, threshold=0.55, reply_ids=[reply_id],
                              now=lambda: NOW, **kw)
    with db.session() as s:
        return s.get(Reply, reply_id), outcomes


def threaded(world: World, body: str = "ok", i: int = 0, **kw: Any) -> bytes:
    return reply_bytes(body, in_reply_to=world.message_ids[i], **kw)


def enrollments(db: Database, world: World) -> list[Enrollment]:
    with db.session() as s:
        return [s.get(Enrollment, i) for i in world.enrollment_ids]


def touch(db: Database, touch_id: int) -> Touch:
    with db.session() as s:
        row = s.get(Touch, touch_id)
        assert row is not None
        return row


def events(db: Database, kind: str) -> list[Event]:
    with db.session() as s:
        return list(s.exec(select(Event).where(Event.kind == kind).order_by(col(Event.id))))


def tasks(db: Database, kind: str) -> list[Task]:
    with db.session() as s:
        return list(s.exec(select(Task).where(Task.kind == kind)))


@pytest.mark.parametrize(("intent", "priority"),
                         [("meeting_request", 3), ("interested", 2), ("question", 1)])
def test_positive_reply_stops_enrollment_and_creates_handoff(database: Database, intent: str,
                                                             priority: int) -> None:
    world = make_world(database, now=NOW)
    seen: list[int] = []
    reply, _ = run(database, world, threaded(world, "Sounds good"),
                   scripted(intent=intent, confidence=0.91), on_handoff=seen.append)
    assert (reply.state, reply.action, reply.thread_method) == ("processed", "handoff",
                                                                "in_reply_to")
    assert reply.touch_id == world.touch_ids[0] and reply.prospect_id == world.prospect_id
    (enrollment,) = enrollments(database, world)
    assert (enrollment.state, enrollment.stop_reason) == ("stopped", intent)
    assert touch(database, world.pending_ids[0]).state == "cancelled"
    assert touch(database, world.touch_ids[0]).state == "sent"
    with database.session() as s:
        (handoff,) = s.exec(select(Handoff)).all()
    assert (handoff.state, handoff.rep_id, handoff.intent, handoff.priority) == (
        "new", None, intent, priority)
    assert handoff.reply_id == reply.id and handoff.enrollment_id == world.enrollment_ids[0]
    assert handoff.confidence == pytest.approx(0.91)
    assert seen == [handoff.id]
    assert [e.data["reason"] for e in events(database, "enrollment.stopped")] == [intent]
    assert events(database, "handoff.created")[0].subject_id == handoff.id


def test_unsubscribe_suppresses_and_stops_every_playbook(database: Database) -> None:
    world = make_world(database, playbooks=2, now=NOW)
    reply, _ = run(database, world, threaded(world, "Please remove me from your list."),
                   classify_message)
    assert (reply.intent, reply.state, reply.action) == ("unsubscribe", "processed",
                                                         "suppressed")
    assert {(e.state, e.stop_reason) for e in enrollments(database, world)} == {
        ("stopped", "unsubscribe")}
    assert {touch(database, t).state for t in world.pending_ids} == {"cancelled"}
    with database.session() as s:
        (row,) = s.exec(select(Suppression)).all()
        assert (row.value, row.reason) == ("jane@prospect.example", "unsubscribe")
        assert is_suppressed(session=s, workspace_id=world.workspace_id,
                             address="jane@prospect.example")
    action = events(database, "reply.action")[-1]
    assert action.data["action"] == "suppressed" and action.data["reason"]


def test_feedback_report_is_a_complaint(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, threaded(world, "report"),
                   scripted(intent="unsubscribe", complaint=True, confidence=0.99))
    assert reply.action == "suppressed"
    with database.session() as s:
        assert [r.reason for r in s.exec(select(Suppression))] == ["complaint"]
    assert enrollments(database, world)[0].stop_reason == "complaint"


def test_hard_bounce_marks_address_suppresses_and_stops(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, dsn_bytes(original_id=world.message_ids[0]),
                   classify_message)
    assert (reply.intent, reply.thread_method, reply.action) == ("bounce", "bounce_original",
                                                                 "hard_bounce")
    with database.session() as s:
        assert s.get(Prospect, world.prospect_id).email_status == "bounced"
        assert [r.reason for r in s.exec(select(Suppression))] == ["hard_bounce"]
    assert enrollments(database, world)[0].state == "stopped"


@pytest.mark.calendar
def test_soft_bounce_retries_the_step_then_turns_hard(database: Database) -> None:
    world = make_world(database, now=NOW)
    soft = scripted(intent="bounce", method="standards", bounce="soft", confidence=0.99,
                    original_message_id=world.message_ids[0])
    reply, _ = run(database, world, dsn_bytes(original_id=world.message_ids[0], status="4.2.2",
                                              action="delayed"), soft)
    assert reply.action == "soft_bounce_retry"
    assert touch(database, world.touch_ids[0]).state == "sent"  # the record that it went out
    assert touch(database, world.pending_ids[0]).state == "cancelled"  # step 2 waits its turn
    (enrollment,) = enrollments(database, world)
    assert (enrollment.state, enrollment.next_step, enrollment.attempt) == ("active", 1, 2)
    due = enrollment.next_due_at.replace(tzinfo=dt.UTC) if enrollment.next_due_at.tzinfo is None \
        else enrollment.next_due_at
    assert due >= NOW + dt.timedelta(hours=20)  # next business day (Thursday), in the window
    for _ in range(2):
        reply, _ = run(database, world, dsn_bytes(original_id=world.message_ids[0],
                                                  status="4.2.2", action="delayed"), soft)
    assert reply.action == "hard_bounce"
    with database.session() as s:
        assert s.get(Prospect, world.prospect_id).email_status == "bounced"
    assert (enrollments(database, world)[0].state,
            enrollments(database, world)[0].stop_reason) == ("stopped", "soft_bounce_limit")


def test_policy_block_alerts_about_our_mailbox_and_keeps_the_prospect(
        database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world,
                   dsn_bytes(original_id=world.message_ids[0], status="5.7.1",
                             diagnostic="smtp; 550 5.7.1 Message rejected due to policy"),
                   classify_message)
    assert (reply.intent, reply.action) == ("bounce", "deliverability_alert")
    (alert,) = events(database, "alert")
    assert alert.subject_type == "mailbox" and alert.subject_id == world.mailbox_id
    (task,) = tasks(database, "deliverability_alert")
    assert task.data["mailbox_id"] == world.mailbox_id
    with database.session() as s:
        assert s.exec(select(Suppression)).first() is None
        assert s.get(Prospect, world.prospect_id).email_status == "valid"
    assert enrollments(database, world)[0].state == "active"


@pytest.mark.calendar
def test_out_of_office_pauses_until_return_plus_one_business_day(database: Database) -> None:
    world = make_world(database, playbooks=2, now=NOW)
    reply, _ = run(database, world, threaded(world, "away"),
                   scripted(intent="out_of_office", method="standards",
                            return_date="2026-04-10"))  # a Friday
    assert reply.action == "paused"
    for e in enrollments(database, world):
        assert e.state == "paused"
        assert e.paused_until.date() == dt.date(2026, 4, 13)  # the Monday after
    assert touch(database, world.pending_ids[0]).state == "approved"  # kept for the resume
    with database.session() as s:
        assert resume_due_enrollments(s, dt.datetime(2026, 4, 12, tzinfo=dt.UTC)) == 0
        assert resume_due_enrollments(s, dt.datetime(2026, 4, 13, 9, tzinfo=dt.UTC)) == 2
    for e in enrollments(database, world):
        assert (e.state, e.paused_until) == ("active", None)
        assert e.next_due_at is not None
    assert len(events(database, "enrollment.resumed")) == 2


@pytest.mark.calendar
def test_unthreaded_out_of_office_is_matched_by_sender(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, reply_bytes("I am away", subject="Out of office"),
                   scripted(intent="out_of_office", method="standards"))
    assert reply.thread_method == "sender" and reply.action == "paused"
    paused = enrollments(database, world)[0].paused_until.replace(tzinfo=dt.UTC)
    assert paused == NOW + dt.timedelta(days=14)


@pytest.mark.calendar
def test_pause_rules() -> None:
    assert pause_until(None, NOW) == NOW + dt.timedelta(days=14)
    assert pause_until("2027-12-01", NOW) == NOW + dt.timedelta(days=120)
    assert pause_until("2026-03-01", NOW).date() == dt.date(2026, 4, 2)  # past: next bday
    assert pause_until("not a date", NOW) == NOW + dt.timedelta(days=14)


@pytest.mark.calendar
def test_not_now_stops_and_schedules_reengagement(database: Database) -> None:
    world = make_world(database, now=NOW)
    run(database, world, threaded(world, "later"),
        scripted(intent="not_now", follow_up_after="2026-07-01"))
    assert enrollments(database, world)[0].stop_reason == "not_now"
    (task,) = tasks(database, "re_engage")
    assert task.data == {"after": "2026-07-01"} and task.prospect_id == world.prospect_id
    world2 = make_world(database, email="joe@other.example", now=NOW)
    run(database, world2, reply_bytes("later", sender="joe@other.example",
                                      in_reply_to=world2.message_ids[0]),
        scripted(intent="not_now"))
    assert {t.data["after"] for t in tasks(database, "re_engage")} == {"2026-07-01",
                                                                       "2026-06-30"}


def test_referral_creates_the_new_prospect_once(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, threaded(world, "talk to bob"),
                   scripted(intent="referral", referral_email="Bob@Prospect.example",
                            referral_name="Bob Stone"))
    assert reply.action == "referral_created"
    assert enrollments(database, world)[0].stop_reason == "referral"
    with database.session() as s:
        bob = s.exec(select(Prospect).where(Prospect.email == "bob@prospect.example")).one()
    assert bob.extra == {"referred_by": world.prospect_id, "reply_id": reply.id}
    assert (bob.company, bob.company_domain, bob.first_name) == ("Prospect Inc",
                                                                "prospect.example", "Bob")
    again, _ = run(database, world, threaded(world, "bob again"),
                   scripted(intent="referral", referral_email="bob@prospect.example"))
    assert again.action == "referral_exists"
    with database.session() as s:
        suppress(session=s, workspace_id=world.workspace_id, value="gone@else.example",
                 reason="manual")
    blocked, _ = run(database, world, threaded(world, "gone"),
                     scripted(intent="referral", referral_email="gone@else.example"))
    assert blocked.action == "referral_suppressed"
    with database.session() as s:
        assert len(s.exec(select(Prospect)).all()) == 2


def test_not_interested_stops(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, threaded(world, "No thanks, not interested."),
                   classify_message)
    assert (reply.intent, reply.action) == ("not_interested", "stopped")
    assert enrollments(database, world)[0].stop_reason == "not_interested"


def test_auto_reply_is_recorded_only_unless_they_left(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, threaded(world, "ticket received"),
                   scripted(intent="auto_reply", method="standards", confidence=0.97))
    assert (reply.state, reply.action) == ("ignored", "auto_reply")
    assert enrollments(database, world)[0].state == "active"
    left, _ = run(database, world, threaded(world, "left"),
                  scripted(intent="auto_reply", method="standards", confidence=0.97,
                           successor_email="kim@prospect.example"))
    assert left.action == "left_company"
    assert enrollments(database, world)[0].stop_reason == "left_company"
    (task,) = tasks(database, "suggested_referral")
    assert task.data["email"] == "kim@prospect.example"


@pytest.mark.parametrize("intent", ["unsubscribe", "interested", "unclear"])
def test_uncertain_means_triage_and_nothing_else(database: Database, intent: str) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, threaded(world, "hmm"),
                   scripted(intent=intent, confidence=0.4))
    assert (reply.state, reply.action) == ("triage", "triage")
    (task,) = tasks(database, "triage")
    assert task.reply_id == reply.id
    # nothing automatic — but nothing more goes out until the person decides
    (enrollment,) = enrollments(database, world)
    assert enrollment.state == "waiting" and enrollment.stop_reason.startswith("uncertain")
    assert enrollment.next_due_at is None
    assert touch(database, world.pending_ids[0]).state == "cancelled"
    with database.session() as s:
        assert s.exec(select(Suppression)).first() is None
        assert s.exec(select(Handoff)).first() is None


def test_positive_reply_from_a_stranger_goes_to_triage(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply, _ = run(database, world, reply_bytes("Interested!", sender="x@nowhere.example"),
                   scripted(intent="interested"))
    assert (reply.thread_method, reply.state) == ("none", "triage")


def test_a_late_soft_bounce_of_an_earlier_step_is_only_noted(database: Database) -> None:
    """Step 2 already went out when step 1's soft bounce arrives: step 1 is not sent again
    (the cadence would go back a step and stall behind the sent step 2)."""
    world = make_world(database, now=NOW)
    with database.session() as s:
        step2 = s.get(Touch, world.pending_ids[0])
        assert step2 is not None
        step2.state, step2.sent_at = "sent", NOW
        s.add(step2)
    soft = scripted(intent="bounce", bounce="soft", confidence=0.99, method="standards",
                    original_message_id=world.message_ids[0])
    reply, _ = run(database, world, dsn_bytes(original_id=world.message_ids[0], status="4.2.2",
                                              action="delayed"), soft)
    assert reply.action == "soft_bounce_noted"
    (enrollment,) = enrollments(database, world)
    assert (enrollment.next_step, enrollment.attempt) == (2, 1)
