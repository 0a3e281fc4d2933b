"""Inbox rotation (#17 item 3): a new prospect goes to the mailbox with the most room, keeps it
for its whole thread and when enrolled again, and a resting mailbox gets no one new."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from email.utils import parseaddr
from pathlib import Path

import pytest
from sqlmodel import select
from world import PEOPLE, World, add_prospects, enroll, make_world, walk

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.mailbox.resting import RestPolicy, rest_mailbox
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.models import Enrollment, Mailbox, Prospect, Workspace

from support.clock import MONDAY, Clock
from support.smtp import SmtpServer

OTHERS = [{"id": f"q{i}", "email": f"q{i}@firm{i}.example", "first_name": "Robin",
           "company": f"Firm {i}", "company_domain": f"firm{i}.example"} for i in range(10)]


def add_mailbox(world: World, email: str, *, daily_cap: int, port: int = 0) -> int:
    with world.db.session() as s:
        box = Mailbox(workspace_id=world.workspace.id or 0, email=email, display_name="Sam",
                      smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                      daily_cap=daily_cap, min_gap_seconds=0)
        s.add(box)
        s.flush()
        return box.id or 0


def mailbox_of(world: World) -> dict[str, int | None]:
    """Each prospect's (external id) mailbox, by its latest enrollment."""
    with world.db.session() as s:
        rows = s.exec(select(Prospect.external_id, Enrollment.mailbox_id).join(
            Enrollment, Enrollment.prospect_id == Prospect.id).order_by(Enrollment.id)).all()
    return dict(rows)


def enroll_some(world: World, ids: list[str], now: dt.datetime = MONDAY) -> None:
    with world.db.session() as s:
        ws = s.get(Workspace, world.workspace.id)
        assert ws is not None
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin("ai-sdr-first-four"),
                         external_ids=ids, now=now)


def stop_all(world: World) -> None:
    with world.db.session() as s:
        for e in s.exec(select(Enrollment)):
            e.state, e.next_due_at = "stopped", None
            s.add(e)


def test_new_enrollments_go_to_the_mailbox_with_most_room(sqlite_db: Database,
                                                         tmp_path: Path) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=1, daily_cap=10)
    small = add_mailbox(world, "sam@northwind-mail.io", daily_cap=4)
    add_prospects(world, OTHERS[:9])
    enroll_some(world, [p["id"] for p in OTHERS[:9]])
    got = mailbox_of(world)
    big = world.mailbox_id
    # rooms 10 and 4: the big one until the rooms tie, then the lower id, then the other
    assert [got[f"q{i}"] for i in range(9)] == [big] * 7 + [small, big]
    # the first touches already given count against the room of a later enrollment too
    add_prospects(world, [OTHERS[9]])
    enroll_some(world, ["q9"])
    assert mailbox_of(world)["q9"] == small  # big: 10 - 8 = 2, small: 4 - 1 = 3


@pytest.mark.calendar
def test_sends_of_the_last_day_count_against_the_room(sqlite_db: Database, tmp_path: Path,
                                                       smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, daily_cap=10)
    add_prospects(world, OTHERS[:8])
    enroll_some(world, [p["id"] for p in OTHERS[:8]])
    clock = Clock(MONDAY + dt.timedelta(hours=7, minutes=55))
    with open_agent(world.settings, sqlite_db, clock=clock, jitter=(0.0, 0.0)) as agent:
        assert agent.scheduler.tick().count("sent") == 8
    second = add_mailbox(world, "sam@northwind-mail.io", daily_cap=4, port=smtp_server.port)
    add_prospects(world, OTHERS[8:10])
    enroll_some(world, ["q8", "q9"], now=clock())
    got = mailbox_of(world)
    # the first mailbox has 10 - 8 sent = 2 left, the new one 4: both go to the new one
    assert (got["q8"], got["q9"]) == (second, second)


def test_a_prospect_enrolled_again_keeps_its_mailbox_unless_it_rests(
        sqlite_db: Database, tmp_path: Path) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=1, daily_cap=10)
    first = world.mailbox_id
    add_prospects(world, OTHERS[:2])
    enroll_some(world, ["q0"])
    roomy = add_mailbox(world, "sam@northwind-mail.io", daily_cap=400)
    stop_all(world)
    enroll_some(world, ["q0", "q1"])
    got = mailbox_of(world)
    assert got["q0"] == first  # its thread's mailbox, though the other has far more room
    assert got["q1"] == roomy
    # a resting mailbox takes no one new, not even its own earlier prospect
    with sqlite_db.session() as s:
        box = s.get(Mailbox, first)
        assert box is not None
        assert rest_mailbox(s, box, reason="test spike", now=MONDAY, policy=RestPolicy(),
                            source="test")
    stop_all(world)
    add_prospects(world, OTHERS[2:6])
    enroll_some(world, ["q0", "q2", "q3", "q4", "q5"])
    got = mailbox_of(world)
    assert {got[k] for k in ("q0", "q2", "q3", "q4", "q5")} == {roomy}


@pytest.mark.calendar
def test_each_thread_stays_on_its_mailbox_end_to_end(database: Database, tmp_path: Path,
                                                      smtp_server: SmtpServer) -> None:
    """The worker sends every touch of the cadence over SMTP: each prospect's emails all come
    from one mailbox (From and the Message-ID's domain), threaded on the first one."""
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, daily_cap=50)
    other = add_mailbox(world, "sam@northwind-mail.io", daily_cap=50, port=smtp_server.port)
    add_prospects(world, [*PEOPLE, *OTHERS[:2]])
    enroll(world)
    clock = Clock()
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
        walk(agent, world, clock, days=21)
    by_prospect: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for received in smtp_server.sink.messages:
        msg = received.message
        by_prospect[received.rcpt_tos[0]].append(
            (parseaddr(str(msg["From"]))[1], str(msg["Message-ID"]),
             str(msg.get("References", ""))))
    assert len(by_prospect) == 4
    senders: dict[str, str] = {}
    for address, mails in by_prospect.items():
        assert len(mails) == 3, (address, mails)  # three agent emails in the first four steps
        froms = {sender for sender, _, _ in mails}
        assert len(froms) == 1, (address, froms)
        sender = froms.pop()
        senders[address] = sender
        domain = sender.rsplit("@", 1)[1]
        assert all(mid.rstrip(">").endswith("@" + domain) for _, mid, _ in mails)
        first_id = mails[0][1]
        assert all(first_id in refs for _, _, refs in mails[1:])  # one thread
    # the pool shared the work: two prospects per mailbox
    assert sorted(senders.values()).count("maya@northwindlabs.io") == 2
    assert sorted(senders.values()).count("sam@northwind-mail.io") == 2
    with database.session() as s:
        assert {e.mailbox_id for e in s.exec(select(Enrollment))} == {world.mailbox_id, other}
