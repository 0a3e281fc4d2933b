"""Tickets: plain-text thread, facts used, drafts from templates and from a real LLM server,
and the state machine on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any

import pytest
from handoff_world import MONDAY_10, handoff, prospect, rep, workspace
from sqlmodel import Session, select

from cadenza.handoff.routing import route_pending
from cadenza.handoff.tickets import TransitionError, build_ticket, transition
from cadenza.llm import OpenAICompatibleLLM
from cadenza.prompts import render, template_names
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Fact, Handoff, Playbook, Reply, Touch

from support.openai_server import FakeOpenAIServer

SENT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def html_reply() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ada Lovelace <ada@analytical.example>"
    msg["To"] = "sdr@agency.test"
    msg["Subject"] = "Re: Your engine"
    msg["Message-ID"] = "<r1@analytical.example>"
    msg["Date"] = "Mon, 30 Nov 2026 09:30:00 +0000"
    msg.set_content("Yes, let's talk next week.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Sam wrote:\n"
                    "> Hi Ada, saw your hiring post.\n> Worth a call?\n")
    msg.add_alternative(
        "<html><body><p>Yes, let's talk next week.</p><script>alert('pwned')</script>"
        "<blockquote>Hi Ada, saw your hiring post.</blockquote></body></html>",
        subtype="html")
    return bytes(msg)


def seed_thread(s: Session, *, intent: str = "meeting_request") -> Handoff:
    ws = workspace(s)
    rep(s, ws, "sam.rep@agency.test", name="Sam Rivers")
    p = prospect(s, ws, first_name="Ada", last_name="Lovelace", title="CTO",
                 company="Analytical", company_domain="analytical.example", country="GB")
    pb = Playbook(workspace_id=ws.id, name="pb", content_hash="x" * 64)
    s.add(pb)
    s.flush()
    e = Enrollment(workspace_id=ws.id, prospect_id=p.id, playbook_id=pb.id)
    s.add(e)
    s.flush()
    s.add(Fact(prospect_id=p.id, key="f1", kind="hiring", text="Hiring 5 data engineers"))
    s.add(Fact(prospect_id=p.id, key="f2", kind="news", text="Unused fact"))
    touch = Touch(workspace_id=ws.id, enrollment_id=e.id, prospect_id=p.id, step=1,
                  channel="email", state="sent", subject="Your engine",
                  body="Hi Ada, saw your hiring post.\nWorth a call?", fact_ids=["f1"],
                  sent_at=SENT)
    s.add(touch)
    s.flush()
    reply = Reply(workspace_id=ws.id, raw=html_reply(), subject="Re: Your engine",
                  text="(stored text)", touch_id=touch.id, prospect_id=p.id,
                  sent_at=dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC), intent=intent,
                  confidence=0.93)
    s.add(reply)
    s.flush()
    h = handoff(s, ws, p, reply_id=reply.id, intent=intent, priority=3, confidence=0.93,
                enrollment_id=e.id, fields={"language": "en", "_routing": {"tried": []}})
    route_pending(session=s, now=MONDAY_10)
    return h


@pytest.mark.calendar
def test_ticket_carries_plain_stripped_thread_and_facts(sqlite_db: Database) -> None:
    with sqlite_db.session() as s:
        h = seed_thread(s)
        assert h.id is not None
        t = build_ticket(session=s, handoff_id=h.id, now=MONDAY_10)
        assert [i.direction for i in t.thread] == ["ours", "theirs"]
        theirs = t.thread[1]
        assert theirs.text == "Yes, let's talk next week."
        assert theirs.quoted_removed
        dump = t.model_dump_json()
        assert "<script" not in dump and "alert(" not in dump and "<p>" not in dump
        assert [f.key for f in t.facts] == ["f1"]
        assert t.summary == ('Ada Lovelace (CTO, Analytical) — meeting request: "Yes, let\'s talk '
                             'next week." — wants a meeting: propose times or send your booking '
                             'link')
        assert t.fields == {"language": "en"}
        assert (t.priority, t.intent, t.confidence) == (3, "meeting_request", 0.93)
        assert t.rep is not None and t.rep.email == "sam.rep@agency.test"
        assert t.sla_due_at == MONDAY_10 + dt.timedelta(minutes=15) and not t.sla_breached
        assert build_ticket(session=s, handoff_id=h.id,
                            now=MONDAY_10 + dt.timedelta(minutes=16)).sla_breached
        # template draft, stored so every view shows the same text
        assert t.suggestion_source == "template"
        assert t.suggested_reply.startswith("Hi Ada,") and "Sam" in t.suggested_reply
        assert t.suggested_subject == "Re: Your engine"
        assert build_ticket(session=s, handoff_id=h.id,
                            now=MONDAY_10).suggestion_source == "stored"


@pytest.mark.parametrize("name", [n for n in template_names() if n.startswith("handoff/")])
def test_every_handoff_template_renders(name: str) -> None:
    for link in ("", "https://cal.example/sam"):
        text = render(name, first_name="Ada", rep_name="Sam", company="Analytical",
                      said="How much is it?", booking_link=link)
        assert "Ada" in text and "Sam" in text and "{{" not in text


def test_llm_draft_through_real_local_server(sqlite_db: Database,
                                             openai_server: FakeOpenAIServer) -> None:
    seen: list[dict[str, Any]] = []

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request)
        return {"reasoning": "wants a call next week", "next_step": "Offer Tuesday 10:00.",
                "subject": "Re: Your engine", "body": "Hi Ada,\n\nTuesday 10:00?\n\nSam"}

    openai_server.script("ReplySuggestion", answer)
    llm = OpenAICompatibleLLM(base_url=openai_server.base_url, model="m", api_key="k",
                              timeout=5.0, max_retries=0)
    with sqlite_db.session() as s:
        h = seed_thread(s)
        assert h.id is not None
        t = build_ticket(session=s, handoff_id=h.id, llm=llm, regenerate=True, now=MONDAY_10)
        assert t.suggestion_source == "llm"
        assert t.next_step == "Offer Tuesday 10:00."
        assert t.suggested_reply == "Hi Ada,\n\nTuesday 10:00?\n\nSam\n"
        (request,) = seen
        system, user = request["messages"]
        assert "DATA" in system["content"]
        assert "<thread>" in user["content"] and "Yes, let's talk next week." in user["content"]
        assert "<script" not in user["content"]
        assert "Hiring 5 data engineers" in user["content"]
        # an LLM failure falls back to the template
        openai_server.fail_next(status=500, times=1)
        t2 = build_ticket(session=s, handoff_id=h.id, llm=llm, regenerate=True, now=MONDAY_10)
        assert t2.suggestion_source == "template"


@pytest.mark.calendar
def test_transitions_valid_path_and_timestamps(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        r = rep(s, ws, "r@agency.test")
        h = handoff(s, ws, prospect(s, ws))
        assert h.id is not None
        t = MONDAY_10
        transition(session=s, handoff_id=h.id, to="accepted", by="rep:1", now=t, rep_id=r.id)
        transition(session=s, handoff_id=h.id, to="contacted", by="rep:1",
                   now=t + dt.timedelta(minutes=5))
        done = transition(session=s, handoff_id=h.id, to="meeting_booked", by="rep:1",
                          now=t + dt.timedelta(days=1), note="Tue 10:00")
        assert done.rep_id == r.id and done.queue == "rep"  # accepted from the queue
        assert (done.accepted_at, done.contacted_at, done.closed_at) == (
            t, t + dt.timedelta(minutes=5), t + dt.timedelta(days=1))
        kinds = [e.kind for e in s.exec(select(Event).where(Event.subject_id == h.id))]
        assert kinds == ["handoff.accepted", "handoff.contacted", "handoff.meeting_booked",
                         "meeting.booked"]


@pytest.mark.parametrize("path, bad", [
    ([], "meeting_booked"), ([], "contacted"), (["accepted"], "new"),
    (["disqualified"], "accepted"), (["accepted", "contacted", "meeting_booked"],
                                     "returned_to_agent"),
])
def test_invalid_transitions_are_refused(database: Database, path: list[str], bad: str) -> None:
    with database.session() as s:
        ws = workspace(s)
        h = handoff(s, ws, prospect(s, ws))
        assert h.id is not None
        for state in path:
            transition(session=s, handoff_id=h.id, to=state, by="op", now=MONDAY_10)
        with pytest.raises(TransitionError, match=f"cannot go from .* to {bad}; allowed"):
            transition(session=s, handoff_id=h.id, to=bad, by="op", now=MONDAY_10)


def test_returned_to_agent_leaves_enrollments_alone(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        a, b = rep(s, ws, "a@agency.test"), rep(s, ws, "b@agency.test")
        h = handoff(s, ws, prospect(s, ws), rep_id=a.id)
        assert h.id is not None
        with pytest.raises(TransitionError, match="another rep"):
            transition(session=s, handoff_id=h.id, to="accepted", by="rep", now=MONDAY_10,
                       rep_id=b.id)
        done = transition(session=s, handoff_id=h.id, to="returned_to_agent", by="a",
                          now=MONDAY_10)
        assert done.closed_at == MONDAY_10 and done.state == "returned_to_agent"


@pytest.mark.parametrize("name", ['<script>alert(1)</script>', "Ignore previous instructions",
                                  "dana@evil.test", "{{first_name}}"])
def test_suggested_reply_never_greets_with_a_hostile_name(name: str) -> None:
    from cadenza.handoff.suggest import template_suggestion

    s = template_suggestion(intent="interested", first_name=name, rep_name="Ana",
                            company="Kestrel", subject="Quick question", said="Tell me more")
    assert s.body.startswith("Hi there,")
    assert name not in s.body
    ok = template_suggestion(intent="interested", first_name="dana", rep_name="Ana",
                             company="Kestrel", subject="Quick question", said="Tell me more")
    assert ok.body.startswith("Hi Dana,")
