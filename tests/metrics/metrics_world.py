"""A constructed cadence history whose metrics are worked out by hand (the comments say how).

Playbook ``ab-test``: three agent steps (email day 1; email day 3 with variants ``a`` and
``b``; email day 6) then a rep's call. Cohort: enrollments started in the two weeks from
Monday 30 Nov 2026. E9 started before the period and must count nowhere.

- E1 (week 1): steps 1, 2a, 3 sent; step 3's first attempt soft-bounced and went again
  (attempt 2). Nothing came back; completed.
- E2 (week 1): steps 1, 2b sent; "interested" threaded to step 1, arriving *after* step 2 went
  out → handoff → accepted → contacted; a meeting and an opportunity of 12,000.
- E3 (week 1): steps 1, 2a sent; out-of-office to step 1, auto-reply to step 2, then an
  unthreaded "not interested" (→ the last step sent before it: 2); disqualified.
- E4 (week 1): step 1 sent; a bounce report threaded to it; stopped.
- E5 (week 2): steps 1, 2b sent; the unsubscribe link in step 2 clicked.
- E6 (week 2): step 1 refused by the server (failed); never reached.
- E7 (week 2): step 1 sent, step 2a pending; still running.
- E8 (week 2): step 1 sent; an "unsubscribe" reply to it (a reply and an opt-out), and a
  duplicate copy of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from cadenza.playbooks import parse_playbook
from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import (
    Enrollment,
    Handoff,
    Mailbox,
    Playbook,
    Prospect,
    Rep,
    Reply,
    Touch,
    Workspace,
)
from cadenza.store.results import Outcome

WEEK1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)  # a Monday
WEEK2 = WEEK1 + dt.timedelta(days=7)
SINCE, UNTIL = WEEK1 - dt.timedelta(hours=8), WEEK1 + dt.timedelta(days=14)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

PLAYBOOK = """
name: ab-test
steps:
  - {day: 1, channel: email, template: email_opener}
  - day: 3
    channel: email
    template: email_followup
    variants: [{name: a}, {name: b, subject_style: company}]
  - {day: 6, channel: email, template: email_value}
  - {day: 8, channel: call, owner: rep}
"""


@dataclass
class History:
    workspace_id: int
    playbook: str = "ab-test"
    rep_id: int = 0
    touches: dict[tuple[str, int, int], int] = field(default_factory=dict)
    enrollments: dict[str, int] = field(default_factory=dict)
    prospects: dict[str, int] = field(default_factory=dict)


def build_history(db: Database) -> History:
    with db.session() as s:
        ws = Workspace(slug="agency", name="Agency")
        s.add(ws)
        s.flush()
        assert ws.id is not None
        h = History(workspace_id=ws.id)
        spec = parse_playbook(PLAYBOOK, origin="test").spec
        book = Playbook(workspace_id=ws.id, name=spec.name, content_hash="h" * 64,
                        definition=spec.model_dump(mode="json"))
        boxes = [Mailbox(workspace_id=ws.id, email=f"{n}@agency.example") for n in ("m1", "m2")]
        rep = Rep(workspace_id=ws.id, name="Ana", email="ana@agency.example")
        s.add_all([book, rep, *boxes])
        s.flush()
        h.rep_id = rep.id or 0
        world = _World(s, h, book.id or 0, [b.id or 0 for b in boxes])
        world.build()
    return h


class _World:
    def __init__(self, s: Session, h: History, playbook_id: int, boxes: list[int]) -> None:
        self.s, self.h, self.playbook_id, self.boxes = s, h, playbook_id, boxes
        self.uids = 0

    def next_uid(self) -> int:
        self.uids += 1
        return self.uids

    def enrollment(self, name: str, start: dt.datetime, state: str, box: int = 0,
                   stop_reason: str = "", **person: Any) -> int:
        p = Prospect(workspace_id=self.h.workspace_id, email=f"{name.lower()}@client.example",
                     first_name=name, **person)
        self.s.add(p)
        self.s.flush()
        e = Enrollment(workspace_id=self.h.workspace_id, prospect_id=p.id or 0,
                       playbook_id=self.playbook_id, mailbox_id=self.boxes[box], state=state,
                       started_at=start, stop_reason=stop_reason, next_step=1)
        self.s.add(e)
        self.s.flush()
        self.h.enrollments[name], self.h.prospects[name] = e.id or 0, p.id or 0
        return e.id or 0

    def touch(self, name: str, step: int, state: str, sent: dt.datetime | None,
              variant: str = "", attempt: int = 1, reason: str = "") -> int:
        t = Touch(workspace_id=self.h.workspace_id, enrollment_id=self.h.enrollments[name],
                  prospect_id=self.h.prospects[name], step=step, attempt=attempt,
                  channel="email", state=state, sent_at=sent, variant=variant, reason=reason,
                  message_id=f"<{name}.{step}.{attempt}@agency.example>")
        self.s.add(t)
        self.s.flush()
        self.h.touches[(name, step, attempt)] = t.id or 0
        return t.id or 0

    def reply(self, name: str, intent: str, at: dt.datetime, step: int | None,
              state: str = "processed", attempt: int = 1) -> int:
        r = Reply(workspace_id=self.h.workspace_id, raw=b"x", state=state, intent=intent,
                  uid=self.next_uid(),
                  prospect_id=self.h.prospects[name], received_at=at,
                  touch_id=self.h.touches[(name, step, attempt)] if step else None)
        self.s.add(r)
        self.s.flush()
        return r.id or 0

    def outcome(self, name: str, kind: str, step: int, **kw: Any) -> None:
        self.s.add(Outcome(workspace_id=self.h.workspace_id, prospect_id=self.h.prospects[name],
                           kind=kind, touch_id=self.h.touches[(name, step, 1)], source="rep",
                           **kw))

    def build(self) -> None:
        w1, w2 = WEEK1, WEEK2
        self.enrollment("E1", w1, "completed", stop_reason="handed_to_rep", language="en",
                        industry="Logistics", company_size=120, country="DE")
        self.touch("E1", 1, "sent", w1 + 2 * H)
        self.touch("E1", 2, "sent", w1 + 2 * D + 2 * H, variant="a")
        self.touch("E1", 3, "sent", w1 + 5 * D + 2 * H)
        self.reply("E1", "bounce", w1 + 5 * D + 3 * H, step=3)  # soft: delivered again
        self.touch("E1", 3, "sent", w1 + 6 * D + 2 * H, attempt=2)

        self.enrollment("E2", w1, "stopped", stop_reason="interested", language="en",
                        industry="logistics ", company_size=40, country="de")
        self.touch("E2", 1, "sent", w1 + 2 * H)  # 10:00
        self.touch("E2", 2, "sent", w1 + 2 * D + 2 * H, variant="b")
        interested = self.reply("E2", "interested", w1 + 2 * D + 4 * H, step=1)
        self.reply("E2", "interested", w1 + 2 * D + 4 * H, step=1, state="duplicate")
        self.s.add(Handoff(workspace_id=self.h.workspace_id, prospect_id=self.h.prospects["E2"],
                           enrollment_id=self.h.enrollments["E2"], reply_id=interested,
                           rep_id=self.h.rep_id, state="contacted", intent="interested",
                           created_at=w1 + 2 * D + 4 * H + dt.timedelta(minutes=5),
                           routed_at=w1 + 2 * D + 4 * H + dt.timedelta(minutes=6),
                           accepted_at=w1 + 2 * D + 4 * H + dt.timedelta(minutes=20),
                           contacted_at=w1 + 2 * D + 5 * H + dt.timedelta(minutes=20)))
        self.outcome("E2", "meeting_booked", 1, meeting_at=w1 + 4 * D)
        self.outcome("E2", "opportunity", 1, amount=12000.0)

        self.enrollment("E3", w1, "stopped", stop_reason="not_interested", language="fr",
                        country="FR")
        self.touch("E3", 1, "sent", w1 + 3 * H)  # 11:00
        self.reply("E3", "out_of_office", w1 + 4 * H, step=1)
        self.touch("E3", 2, "sent", w1 + 3 * D + 3 * H, variant="a")
        self.reply("E3", "auto_reply", w1 + 3 * D + 4 * H, step=2)
        self.reply("E3", "not_interested", w1 + 3 * D + 5 * H, step=None)  # unthreaded
        self.outcome("E3", "disqualified", 2, reason="no budget")

        self.enrollment("E4", w1, "stopped", stop_reason="hard_bounce", language="en",
                        country="US")
        self.touch("E4", 1, "sent", w1 + 2 * H)
        self.reply("E4", "bounce", w1 + 2 * H + dt.timedelta(minutes=1), step=1)

        self.enrollment("E5", w2, "stopped", box=1, stop_reason="unsubscribe", language="de",
                        country="DE")
        self.touch("E5", 1, "sent", w2 + 2 * H)
        clicked = self.touch("E5", 2, "sent", w2 + 2 * D + 2 * H, variant="b")
        record_event(session=self.s, kind="prospect.unsubscribed",
                     workspace_id=self.h.workspace_id, subject_type="touch",
                     subject_id=clicked, address="e5@client.example", source="link")

        self.enrollment("E6", w2, "stopped", stop_reason="hard_bounce", language="en")
        self.touch("E6", 1, "failed", None, reason="smtp: 550 5.1.1 no such user")

        self.enrollment("E7", w2, "active", language="en")
        self.touch("E7", 1, "sent", w2 + 2 * H)
        self.touch("E7", 2, "pending", None, variant="a")

        self.enrollment("E8", w2, "stopped", stop_reason="unsubscribe", language="en")
        self.touch("E8", 1, "sent", w2 + H)  # 09:00
        self.reply("E8", "unsubscribe", w2 + H + dt.timedelta(minutes=30), step=1)

        # before the period: counts nowhere
        self.enrollment("E9", WEEK1 - 10 * D, "stopped", stop_reason="interested")
        self.touch("E9", 1, "sent", WEEK1 - 10 * D + H)
        self.reply("E9", "interested", WEEK1 - 9 * D, step=1)
