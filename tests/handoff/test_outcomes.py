"""Outcomes back from reps: recorded once per prospect and kind, credited to the touch the
prospect answered, moving the ticket as far as the reporter may; the CSV import; a calendar
invitation in a reply books the meeting without a person."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from cadenza.errors import InputError, NotFoundError
from cadenza.handoff.outcome_import import import_outcomes
from cadenza.handoff.outcomes import record_outcome
from cadenza.handoff.tickets import transition
from cadenza.mailbox.calendar import find_invitation, parse_invitation
from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import process_stored
from cadenza.store import Database
from cadenza.store.models import Event, Handoff, Prospect, Rep, Reply, Touch, Workspace
from cadenza.store.results import Outcome

from support.mail_builders import make_world, reply_bytes, store

NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
MEETING = dt.datetime(2026, 12, 9, 14, 0, tzinfo=dt.UTC)


def _ticket(s: Session, *, state: str = "new", email: str = "dana@client.example",
            ws: Workspace | None = None) -> tuple[Workspace, Handoff, list[int]]:
    """A prospect who got two touches and answered the first; a ticket for that reply."""
    if ws is None:
        ws = Workspace(slug="agency", name="Agency")
        s.add(ws)
        s.flush()
    rep = Rep(workspace_id=ws.id or 0, name="Ana", email=f"ana.{email}")
    p = Prospect(workspace_id=ws.id or 0, email=email, first_name="Dana")
    s.add_all([rep, p])
    s.flush()
    from cadenza.store.models import Enrollment, Playbook

    book = Playbook(workspace_id=ws.id or 0, name="pb", content_hash=f"{p.id}" * 8)
    s.add(book)
    s.flush()
    e = Enrollment(workspace_id=ws.id or 0, prospect_id=p.id or 0, playbook_id=book.id or 0)
    s.add(e)
    s.flush()
    touches = []
    for step, sent in ((1, NOW - dt.timedelta(days=3)), (2, NOW - dt.timedelta(days=1))):
        t = Touch(workspace_id=ws.id or 0, enrollment_id=e.id or 0, prospect_id=p.id or 0,
                  step=step, channel="email", state="sent", sent_at=sent)
        s.add(t)
        s.flush()
        touches.append(t.id or 0)
    reply = Reply(workspace_id=ws.id or 0, raw=b"x", touch_id=touches[0], prospect_id=p.id,
                  intent="interested", state="processed", uid=p.id or 0,
                  received_at=NOW - dt.timedelta(hours=2))
    s.add(reply)
    s.flush()
    h = Handoff(workspace_id=ws.id or 0, prospect_id=p.id or 0, reply_id=reply.id,
                rep_id=rep.id, state=state, intent="interested", created_at=NOW)
    s.add(h)
    s.flush()
    return ws, h, touches


def _events(s: Session, handoff_id: int) -> list[tuple[str, str]]:
    rows = s.exec(select(Event).where(Event.subject_type == "handoff",
                                      Event.subject_id == handoff_id)
                  .order_by(col(Event.id))).all()
    return [(e.kind, e.data.get("by", "")) for e in rows]


def test_a_reps_meeting_walks_the_ticket_and_credits_the_answered_touch(
        database: Database) -> None:
    with database.session() as s:
        ws, h, touches = _ticket(s)
        done = record_outcome(s, workspace_id=ws.id or 0, kind="meeting_booked", source="rep",
                              by="rep:ana", now=NOW, handoff_id=h.id, meeting_at=MEETING,
                              rep_id=h.rep_id)
        assert done.new and done.ticket_state == "meeting_booked"
        assert _events(s, h.id or 0) == [("handoff.accepted", "rep:ana"),
                                         ("handoff.contacted", "rep:ana"),
                                         ("handoff.meeting_booked", "rep:ana"),
                                         ("meeting.booked", "rep:ana")]  # the CRM's event
        o = s.exec(select(Outcome)).one()
        # the reply answered step 1 (step 2 had gone out since): step 1 gets the credit
        assert (o.kind, o.touch_id, o.meeting_at, o.source) == (
            "meeting_booked", touches[0], MEETING, "rep")
        # the meeting moves: the same outcome, a new date; an opportunity on the closed ticket
        later = MEETING + dt.timedelta(days=1)
        again = record_outcome(s, workspace_id=ws.id or 0, kind="meeting_booked",
                               source="rep", by="rep:ana", now=NOW, handoff_id=h.id,
                               meeting_at=later)
        assert not again.new and again.outcome.meeting_at == later
        record_outcome(s, workspace_id=ws.id or 0, kind="opportunity", source="api",
                       by="olivia", now=NOW, email="DANA@client.example", amount=15000.0,
                       currency="eur")
        rows = {o.kind: o for o in s.exec(select(Outcome))}
        assert set(rows) == {"meeting_booked", "opportunity"}
        assert (rows["opportunity"].amount, rows["opportunity"].currency) == (15000.0, "EUR")
        assert s.get(Handoff, h.id).state == "meeting_booked"  # type: ignore[union-attr]


def test_a_machine_never_walks_a_ticket_and_reports_need_their_detail(
        database: Database) -> None:
    with database.session() as s:
        ws, h, _ = _ticket(s)
        done = record_outcome(s, workspace_id=ws.id or 0, kind="meeting_booked",
                              source="booking", by="booking page", now=NOW,
                              email="dana@client.example", meeting_at=MEETING)
        assert done.ticket_state == "new" and _events(s, h.id or 0) == []  # nobody accepted
        with pytest.raises(InputError, match="needs its amount"):
            record_outcome(s, workspace_id=ws.id or 0, kind="opportunity", source="api",
                           by="x", now=NOW, handoff_id=h.id)
        with pytest.raises(InputError, match="needs its reason"):
            record_outcome(s, workspace_id=ws.id or 0, kind="disqualified", source="api",
                           by="x", now=NOW, handoff_id=h.id, reason="  ")
        with pytest.raises(NotFoundError):
            record_outcome(s, workspace_id=ws.id or 0, kind="meeting_booked", source="api",
                           by="x", now=NOW, email="nobody@client.example", meeting_at=MEETING)
        with pytest.raises(NotFoundError, match="of yours"):  # another rep's ticket
            record_outcome(s, workspace_id=ws.id or 0, kind="meeting_booked", source="rep",
                           by="x", now=NOW, handoff_id=h.id, meeting_at=MEETING,
                           rep_id=(h.rep_id or 0) + 100)


def test_the_ticket_buttons_record_outcomes_too(database: Database) -> None:
    """Disqualify (and meeting booked) through the old state machine path count as well."""
    with database.session() as s:
        _, h, touches = _ticket(s, state="accepted")
        transition(session=s, handoff_id=h.id or 0, to="disqualified", by="rep:ana",
                   now=NOW, note="no budget this year")
        o = s.exec(select(Outcome)).one()
        assert (o.kind, o.reason, o.touch_id, o.handoff_id) == (
            "disqualified", "no budget this year", touches[0], h.id)


def test_csv_import_one_outcome_per_row(database: Database, tmp_path: Path) -> None:
    with database.session() as s:
        ws, h, _ = _ticket(s)
        _ticket(s, email="li@client.example", ws=ws)
        wid, hid = ws.id or 0, h.id or 0
    path = tmp_path / "crm.csv"
    path.write_text(
        "\ufeffEmail,Outcome,Meeting_At,Amount,Currency,Reason,Owner\n"
        "li@client.example,meeting_booked,2026-12-10,,,,x\n"          # 2 recorded
        ",opportunity,,\"12,500.50\",usd,,y\n"                         # 3 no prospect
        "li@client.example,opportunity,,\"12,500.50\",usd,,y\n"       # 4 recorded
        "li@client.example,meeting_booked,2026-12-11T15:30:00+01:00,,,,\n"  # 5 updated
        "ghost@client.example,meeting_booked,2026-12-10,,,,\n"        # 6 unknown
        "li@client.example,won,,,,,\n"                                # 7 bad outcome
        "li@client.example,meeting_booked,next tuesday,,,,\n"         # 8 bad date
        "li@client.example,disqualified,,,,,\n",                       # 9 no reason
        encoding="utf-8")
    with database.session() as s:
        report = import_outcomes(session=s, workspace_id=wid, path=path, by="import",
                                 now=NOW)
    assert report.counts == {"recorded": 2, "updated": 1, "rejected": 5}
    assert [(r.line, r.field) for r in report.rejected] == [
        (3, "email"), (6, "email"), (7, "outcome"), (8, "meeting_at"), (9, "reason")]
    with database.session() as s:
        rows = {o.kind: o for o in s.exec(select(Outcome).join(
            Prospect, col(Prospect.id) == Outcome.prospect_id).where(
            Prospect.email == "li@client.example"))}
        assert rows["meeting_booked"].meeting_at == dt.datetime(2026, 12, 11, 14, 30,
                                                                tzinfo=dt.UTC)
        assert (rows["opportunity"].amount, rows["opportunity"].source) == (12500.5, "import")
        assert s.get(Handoff, hid).state == "new"  # type: ignore[union-attr]  # Dana: untouched
    with database.session() as s:  # the same file again: nothing new
        again = import_outcomes(session=s, workspace_id=wid, path=path, by="import", now=NOW)
    assert again.counts == {"recorded": 0, "updated": 3, "rejected": 5}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,stage\nx,y\n", encoding="utf-8")
    with database.session() as s, pytest.raises(InputError, match="header needs"):
        import_outcomes(session=s, workspace_id=wid, path=bad, by="import", now=NOW)


INVITE = """BEGIN:VCALENDAR\r
PRODID:-//Example Corp//Calendar//EN\r
VERSION:2.0\r
METHOD:REQUEST\r
BEGIN:VTIMEZONE\r
TZID:Europe/Berlin\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E0080000000\r
 0F0A1B2C3D4E5@example.com\r
SUMMARY:Intro call: Cadenza x Prospect\r
DTSTART;TZID=Europe/Berlin:20261209T150000\r
DTEND;TZID=Europe/Berlin:20261209T153000\r
ORGANIZER;CN=Jane Doe:mailto:jane@prospect.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_calendar_invitations_are_read_in_their_forms() -> None:
    found = parse_invitation(INVITE)
    assert found is not None and found.start == MEETING  # 15:00 Berlin is 14:00 UTC
    assert found.uid.endswith("0F0A1B2C3D4E5@example.com")  # the folded line, unfolded
    assert parse_invitation(INVITE.replace("METHOD:REQUEST", "METHOD:CANCEL")) is None
    assert parse_invitation(INVITE.replace("METHOD:REQUEST\r\n", "")) is None
    assert parse_invitation(INVITE.replace("METHOD:REQUEST\r\n", ""),
                            method_hint="request") is not None  # the part's method= param
    utc = INVITE.replace("DTSTART;TZID=Europe/Berlin:20261209T150000",
                         "DTSTART:20261209T140000Z")
    assert parse_invitation(utc).start == MEETING  # type: ignore[union-attr]
    day = INVITE.replace("DTSTART;TZID=Europe/Berlin:20261209T150000",
                         "DTSTART;VALUE=DATE:20261209")
    assert parse_invitation(day).start == dt.datetime(2026, 12, 9,  # type: ignore[union-attr]
                                                      tzinfo=dt.UTC)
    assert parse_invitation("DTSTART:garbage\nMETHOD:REQUEST") is None


def test_an_invitation_in_a_reply_books_the_meeting(database: Database) -> None:
    world = make_world(database, now=NOW)
    msg = EmailMessage()
    msg.set_content("Let's talk next week, invite attached.")
    msg.add_alternative(INVITE.encode(), maintype="text", subtype="calendar",
                        params={"method": "REQUEST"})
    raw = reply_bytes("x", in_reply_to=world.message_ids[0])
    head, _ = raw.split(b"\n\n", 1)
    headers = b"\n".join(line for line in head.split(b"\n")
                         if not line.lower().startswith((b"content-", b"mime-version")))
    reply_id = store(database, world, headers + b"\n" + msg.as_bytes())
    assert find_invitation(msg) is not None
    process_stored(db=database, classify=classify_message, threshold=0.55,
                   reply_ids=[reply_id], now=lambda: NOW)
    with database.session() as s:
        o = s.exec(select(Outcome)).one()
        assert (o.kind, o.source, o.meeting_at, o.prospect_id, o.touch_id) == (
            "meeting_booked", "ics", MEETING, world.prospect_id, world.touch_ids[0])
        assert s.get(Reply, reply_id).state in ("processed", "triage")  # type: ignore[union-attr]
