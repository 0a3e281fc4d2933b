"""A synthetic cadence history of any size, for ``cadenza bench dashboard`` (and the dashboard
page's browser test): a workspace running a four-step A/B playbook for twelve weeks.

Rates are the literature's (a few percent of replies per step, most of them negative or
absences, a third of positive replies becoming meetings); step 2's variant ``b`` is made to
earn more positive replies than ``a``, so the dashboard has a real winner to find. Rows are
written in batches with explicit ids (the touches' replies, handoffs and outcomes point at
them), then PostgreSQL's sequences are moved past them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import insert, text

from cadenza.playbooks import parse_playbook
from cadenza.store import Database
from cadenza.store.models import (
    Enrollment,
    Event,
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

PLAYBOOK = """
name: ab-first-four
steps:
  - {day: 1, channel: email, template: email_opener}
  - day: 3
    channel: email
    template: email_followup
    variants: [{name: a}, {name: b, subject_style: first_name}]
  - {day: 5, channel: linkedin_connect, template: linkedin_connect}
  - day: 8
    channel: email
    template: email_value
    variants: [{name: a}, {name: b, template: email_breakup}]
  - {day: 10, channel: call, owner: rep}
"""
START = dt.datetime(2026, 9, 7, 9, 0, tzinfo=dt.UTC)  # a Monday, twelve weeks of cohorts
WEEKS = 12
#: chance of a person's reply to each step (variant-specific where it matters)
REPLY = {1: 0.05, (2, "a"): 0.03, (2, "b"): 0.05, 3: 0.012, (4, "a"): 0.025, (4, "b"): 0.025}
POSITIVE_SHARE = {(2, "b"): 0.55}
INDUSTRIES = ("logistics", "software", "healthcare", "manufacturing", "retail", "")
COUNTRIES = ("DE", "US", "GB", "FR", "NL", "ES", "")
LANGUAGES = ("en", "en", "en", "de", "fr", "es", "nl", "pt")


@dataclass
class Filled:
    """What was written."""

    workspace_id: int
    touches: int = 0
    enrollments: int = 0
    replies: int = 0
    outcomes: int = 0
    handoffs: int = 0
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def fill_history(db: Database, *, touches: int, seed: int = 16) -> Filled:
    """Write about ``touches`` touches (and their enrollments, prospects, replies, handoffs,
    outcomes and opt-out clicks) into an empty, migrated database."""
    rng = random.Random(seed)
    spec = parse_playbook(PLAYBOOK, origin="bench").spec
    with db.session() as s:
        ws = Workspace(slug="bench-agency", name="Bench Agency")
        s.add(ws)
        s.flush()
        wid = ws.id or 0
        s.add(Playbook(id=1, workspace_id=wid, name=spec.name, content_hash="b" * 64,
                       definition=spec.model_dump(mode="json")))
        s.add_all([Mailbox(id=i, workspace_id=wid, email=f"sdr{i}@agency.example")
                   for i in (1, 2, 3)])
        s.add_all([Rep(id=i, workspace_id=wid, name=n, email=f"{n.lower()}@agency.example")
                   for i, n in ((1, "Ana"), (2, "Ben"))])
    filled = Filled(workspace_id=wid)
    batch = _Batch(db, filled)
    ids = {"touch": 0, "reply": 0, "handoff": 0, "outcome": 0}
    enrollment = 0
    while filled.touches < touches:
        enrollment += 1
        for table, row in list(_enrollment(rng, wid, enrollment, ids)):
            batch.add(table, row)
        if batch.size >= 20_000:  # between enrollments: every row's references are in
            batch.flush()
    batch.flush()
    filled.enrollments = enrollment
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            for table in ("workspace", "playbook", "mailbox", "rep", "prospect", "enrollment",
                          "touch", "reply", "handoff", "outcome"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        # what autovacuum does to a table that stopped growing: the statistics, and the
        # visibility map that lets a covering index answer without the table
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return filled


class _Batch:
    TABLES: ClassVar[dict[str, Any]] = {
        "prospect": Prospect, "enrollment": Enrollment, "touch": Touch, "reply": Reply,
        "handoff": Handoff, "outcome": Outcome, "event": Event}
    ORDER = ("prospect", "enrollment", "touch", "reply", "handoff", "outcome", "event")

    def __init__(self, db: Database, filled: Filled) -> None:
        self.db, self.filled = db, filled
        self.pending: dict[str, list[dict[str, Any]]] = {t: [] for t in self.ORDER}
        self.size = 0

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.pending[table].append(row)
        self.size += 1
        if table == "touch":
            self.filled.touches += 1
        elif table == "reply":
            self.filled.replies += 1
        elif table == "outcome":
            self.filled.outcomes += 1
        elif table == "handoff":
            self.filled.handoffs += 1

    def flush(self) -> None:
        with self.db.engine.begin() as conn:
            for table in self.ORDER:
                if self.pending[table]:
                    conn.execute(insert(self.TABLES[table]), self.pending[table])
                    self.pending[table] = []
        self.size = 0


def _enrollment(rng: random.Random, wid: int, n: int,
                ids: dict[str, int]) -> Iterator[tuple[str, dict[str, Any]]]:
    """One prospect's run through the playbook, as the rows it leaves."""
    week = rng.randrange(WEEKS)
    started = START + dt.timedelta(weeks=week, days=rng.randrange(5),
                                   minutes=rng.randrange(600))
    yield "prospect", {"id": n, "workspace_id": wid, "email": f"p{n}@client{n % 9973}.example",
                       "first_name": f"P{n}", "language": rng.choice(LANGUAGES),
                       "industry": rng.choice(INDUSTRIES), "country": rng.choice(COUNTRIES),
                       "company_size": rng.choice((None, 8, 35, 120, 450, 2200, 9000)),
                       "extra": {}, "created_at": started, "updated_at": started}
    # the cohorts of the last two weeks are still running: they have not reached every step
    last_step = 4 if week < WEEKS - 2 else rng.randint(1, 4 if week < WEEKS - 1 else 2)
    state, reason, touches = "completed", "handed_to_rep", []
    for step, day in ((1, 0), (2, 2), (3, 4), (4, 7)):
        if step > last_step:
            state, reason = "active", ""
            break
        ids["touch"] += 1
        tid = ids["touch"]
        variant = rng.choice("ab") if step in (2, 4) else ""
        channel = "linkedin_connect" if step == 3 else "email"
        sent_at = started + dt.timedelta(days=day, minutes=rng.randrange(240))
        refused = step == 1 and rng.random() < 0.01
        touches.append({"id": tid, "workspace_id": wid, "enrollment_id": n, "prospect_id": n,
                        "step": step, "attempt": 1, "channel": channel, "variant": variant,
                        "state": "failed" if refused else (
                            "task_open" if channel != "email" else "sent"),
                        "reason": "smtp: 550 no such user" if refused else "",
                        "sent_at": None if refused or channel != "email" else sent_at,
                        "fact_ids": [], "checks": {}, "created_at": sent_at,
                        "updated_at": sent_at})
        if refused:
            state, reason = "stopped", "hard_bounce"
            break
        ended = yield from _answers(rng, wid, n, tid, step, variant, channel, sent_at, ids)
        if ended:
            state, reason = "stopped", ended
            break
    yield "enrollment", {"id": n, "workspace_id": wid, "prospect_id": n, "playbook_id": 1,
                         "mailbox_id": 1 + n % 3, "state": state, "stop_reason": reason,
                         "next_step": min(4, len(touches) + 1), "started_at": started,
                         "created_at": started, "updated_at": started}
    for row in touches:
        yield "touch", row


def _answers(rng: random.Random, wid: int, n: int, tid: int, step: int, variant: str,
             channel: str, sent_at: dt.datetime,
             ids: dict[str, int]) -> Generator[tuple[str, dict[str, Any]], None, str]:
    """What came back to one touch; returns why the enrollment stopped ("" if it goes on)."""
    at = sent_at + dt.timedelta(hours=rng.uniform(0.2, 60))

    def reply(intent: str) -> dict[str, Any]:
        ids["reply"] += 1
        return {"id": ids["reply"], "workspace_id": wid, "raw": b"", "state": "processed",
                "intent": intent, "touch_id": tid, "prospect_id": n, "uid": ids["reply"],
                "fields": {}, "received_at": at, "processed_at": at}

    if channel == "email" and rng.random() < 0.03:
        yield "reply", reply("out_of_office")
    if channel == "email" and rng.random() < (0.015 if step == 1 else 0.004):
        yield "reply", reply("bounce")
        return "hard_bounce"
    if channel == "email" and rng.random() < 0.004:
        yield "event", {"workspace_id": wid, "at": at, "kind": "prospect.unsubscribed",
                        "subject_type": "touch", "subject_id": tid, "data": {}}
        return "unsubscribe"
    if rng.random() >= REPLY.get((step, variant), REPLY.get(step, 0.02)):
        return ""
    positive = rng.random() < POSITIVE_SHARE.get((step, variant), 0.4)
    intent = rng.choice(("interested", "meeting_request", "question")) if positive else \
        rng.choice(("not_interested", "not_interested", "not_now", "unsubscribe"))
    answer = reply(intent)
    yield "reply", answer
    if positive:
        ids["handoff"] += 1
        created = at + dt.timedelta(minutes=rng.uniform(1, 10))
        accepted = created + dt.timedelta(minutes=rng.uniform(3, 90))
        yield "handoff", {"id": ids["handoff"], "workspace_id": wid, "prospect_id": n,
                          "enrollment_id": n, "reply_id": answer["id"], "rep_id": 1 + n % 2,
                          "state": "contacted", "intent": intent, "fields": {},
                          "created_at": created, "routed_at": created, "accepted_at": accepted,
                          "contacted_at": accepted + dt.timedelta(minutes=rng.uniform(5, 240))}
        for kind, chance in (("meeting_booked", 0.35), ("opportunity", 0.15),
                             ("disqualified", 0.1)):
            if rng.random() < chance:
                ids["outcome"] += 1
                yield "outcome", {"id": ids["outcome"], "workspace_id": wid, "prospect_id": n,
                                  "kind": kind, "touch_id": tid, "source": "rep",
                                  "amount": round(rng.uniform(5, 80)) * 1000.0
                                  if kind == "opportunity" else None,
                                  "recorded_at": created, "updated_at": created}
    return intent
