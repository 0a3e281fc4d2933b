"""The sender's own links and addresses are the sender's, never claims to ground.

A meeting link ending in a duration ("…/maya/30-min") used to hold every email that carried it:
the numbers rule saw the 30. The same digit written as a claim in prose must still be held.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from world import PEOPLE, Clock, add_prospects, enroll, make_world

import cadenza
from cadenza.agent.batch import draft_batch
from cadenza.agent.service import open_agent
from cadenza.evals.drafts import playbook_steps
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.store import Database
from cadenza.store.models import Touch
from cadenza.writing.checker import check_draft
from cadenza.writing.composing import assemble_email, to_html
from cadenza.writing.drafting import Draft, DraftRequest

from support.smtp import SmtpServer

DATA = Path(cadenza.__file__).parent / "evals" / "datasets" / "prospects"
TODAY = dt.date(2026, 11, 24)
PROSPECTS = {p.id: p for p in (ProspectIn.model_validate_json(line) for line in
                               (DATA / "prospects.jsonl").read_text().splitlines() if line)}
#: English, German, French, Spanish, Portuguese and Dutch prospects of the eval dataset
SOME = ["p001", "p002", "p003", "p005", "p006", "p007", "p008", "p009"]
MEETING_LINKS = ["https://cal.example.com/maya/30-min", "https://cal.example.com/maya-2",
                 "https://cal.example.com/maya?duration=45"]


def _sender_data(meeting_link: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "sender.json").read_text())
    data["meeting_link"] = meeting_link
    data["website"] = "https://www.northwind360.example"
    data["unsubscribe"]["url"] = "https://northwind360.example/u/2026"
    data["sender"]["email"] = "mara@northwind360.example"
    return data


def _sender(meeting_link: str) -> SenderProfile:
    return SenderProfile.model_validate(_sender_data(meeting_link))


@pytest.mark.parametrize("meeting_link", MEETING_LINKS)
def test_first_four_are_drafted_with_digits_in_the_senders_links(meeting_link: str) -> None:
    sender = _sender(meeting_link)
    records = draft_batch([PROSPECTS[p] for p in SOME], sender,
                          playbook_steps("ai-sdr-first-four"), today=TODAY)
    assert len(records) == 4 * len(SOME)
    for r in records:
        assert r.status == "drafted", (r.prospect_id, r.step, r.reason, r.body)
        assert r.checks["numbers"] and r.checks["links"] and r.checks["grounding"]
    fourth = [r for r in records if r.step == 4]
    # the fourth touch asks for a meeting through the link: the case that used to be held
    assert all(r.body and meeting_link in r.body for r in fourth)


def test_fourth_touch_goes_out_with_a_duration_in_the_meeting_link(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    link = MEETING_LINKS[0]
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port,
                       sender_data=_sender_data(link))
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with open_agent(world.settings, world.db, clock=clock, jitter=(0.0, 0.0)) as agent:
        for _ in range(21):  # step 4 is on business day 8
            agent.scheduler.tick()
            clock.advance(days=1)
    with sqlite_db.session() as s:
        touches = s.exec(select(Touch).order_by(col(Touch.step))).all()
        assert [(t.step, t.state) for t in touches] == [
            (1, "sent"), (2, "sent"), (3, "task_open"), (4, "sent")]
    fourth = smtp_server.sink.messages[-1].message.get_body(("plain",)).get_content()
    assert link in fourth


LINK = MEETING_LINKS[0]
SENDER = _sender(LINK)
PROSPECT = PROSPECTS["p002"]
REQUEST = DraftRequest(prospect=PROSPECT, sender=SENDER, step_number=4, channel="email",
                       template="email_value", today=TODAY)
MAIN = ("Hi Marcus,\n\nI saw that Ledgerly is growing its RevOps team. Northwind Flow gives "
        "operations one queue for every exception, with an owner and a deadline, instead of "
        "email threads and spreadsheets.\n\nIf it's worth a look, you can pick a time here: "
        f"{LINK}")


def _failures(main: str) -> list[str]:
    body = assemble_email(main, SENDER, "en")
    draft = Draft(channel="email", subject="an idea for your team", body=body,
                  html=to_html(body), template="email_value", drafter="test")
    report = check_draft(draft, prospect=PROSPECT, sender=SENDER, request=REQUEST)
    return report.failures


def test_the_senders_own_links_and_addresses_are_no_claims() -> None:
    assert _failures(MAIN) == []
    # the website's domain, the sender's email, phone and postal address, in prose
    assert _failures(MAIN + " More on northwind360.example, or write to "
                     "mara@northwind360.example or call +1 503-555-0142. We are at 415 Alder "
                     "Street, Suite 300, Portland, OR 97204.") == []


@pytest.mark.parametrize(("extra", "check"), [
    # a digit that is only in the meeting link, written as a claim
    (" Teams like yours cut costs by 30%.", "numbers"),
    (" We cut handling time by 30 percent.", "numbers"),
    (" Most teams are live in 2 weeks.", "numbers"),
    (" Over 45 teams use it.", "numbers"),
    # foreign links, also ones that look like the sender's
    (" Or book here: https://cal.example.org/maya/30-min", "links"),
    (" See https://evil.example/northwind360", "links"),
    (" Ask maya@cal.example.net.", "links"),
    # a name right after the link is still a name to ground
    (" Sequoia Capital backs us.", "grounding"),
])
def test_a_claim_next_to_the_senders_link_is_still_held(extra: str, check: str) -> None:
    assert _failures(MAIN) == []
    assert check in _failures(MAIN + extra)
