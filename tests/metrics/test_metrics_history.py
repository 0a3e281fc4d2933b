"""Every metric on a constructed history whose answers were worked out by hand
(``metrics_world.py`` tells the story), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from metrics_world import SINCE, UNTIL, History, build_history

from cadenza.metrics import MetricsQuery, MetricsTable, metrics_table
from cadenza.store import Database


def table(db: Database, h: History, by: str, **kw: object) -> MetricsTable:
    with db.session() as s:
        return metrics_table(s, MetricsQuery(workspace_id=h.workspace_id, since=SINCE,
                                             until=UNTIL, by=by, **kw))  # type: ignore[arg-type]


@pytest.fixture
def history(database: Database) -> History:
    return build_history(database)


def test_workspace_totals(database: Database, history: History) -> None:
    t = table(database, history, "workspace").total
    assert t.enrolled == 8                    # E9 started before the period
    assert t.touched == 7                     # E6's only touch was refused
    assert t.completed == 1                   # E1 got all three agent steps
    # ended 7 (all but E7); the prospect ended 4 of them (E2, E3, E8 replied, E5 clicked)
    assert t.completion_rate == round(1 / 3, 4)
    assert (t.sent, t.bounced, t.delivered) == (14, 3, 11)  # 13 handed over + 1 refused;
    assert t.bounce_rate == round(3 / 14, 4)  # E1's soft bounce, E4's report, E6's refusal
    # OOO, auto-reply, bounces and the duplicate copy are not replies; E9 is out of the period
    assert (t.replied, t.reply_rate) == (3, round(3 / 7, 4))
    assert (t.positive, t.positive_reply_rate) == (1, round(1 / 7, 4))
    assert (t.opt_outs, t.opt_out_rate) == (2, round(2 / 7, 4))  # E5's click, E8's reply
    assert (t.meetings, t.opportunities, t.pipeline, t.disqualified) == (1, 1, 12000.0, 1)
    assert (t.handoffs, t.handoff_rate) == (1, round(1 / 7, 4))
    assert t.dropped == 5                     # E2, E3, E4, E5, E8 ended without completing
    # first touch → first person's reply: E2 3000 min, E3 4440 min (its OOO does not count),
    # E8 30 min; median of three = 3000
    assert t.first_reply_minutes_p50 == 3000.0
    assert t.reply_to_handoff_minutes_p50 == 5.0
    assert t.handoff_to_accept_minutes_p50 == 14.0
    assert t.accept_to_contact_minutes_p50 == 60.0


def test_per_step_attribution_and_drop_off(database: Database, history: History) -> None:
    rows = {r.key: r for r in table(database, history, "step").rows}
    assert list(rows) == ["ab-test / step 1", "ab-test / step 2", "ab-test / step 3"]
    one, two, three = rows.values()
    assert (one.touched, one.sent, one.bounced, one.delivered) == (7, 8, 2, 6)
    # E2's reply answered step 1 though step 2 had gone out; E8's unsubscribe too
    assert (one.replied, one.positive, one.opt_outs, one.meetings, one.handoffs) == (2, 1, 1, 1, 1)
    assert (one.dropped, one.drop_off_rate) == (2, round(2 / 7, 4))  # E4, E8 left after it
    # E3's unthreaded reply goes to the last step sent before it: step 2
    assert (two.touched, two.replied, two.opt_outs, two.disqualified) == (4, 1, 1, 1)
    assert two.dropped == 3                   # E2, E3, E5
    assert (three.touched, three.sent, three.bounced) == (1, 2, 1)
    assert one.enrolled is None and one.completion_rate is None
    # a step's reply time runs from the touch it answered: E2 50 h, E8 30 min → nearest rank
    assert one.first_reply_minutes_p50 == 30.0


def test_per_variant(database: Database, history: History) -> None:
    rows = {r.key: r for r in table(database, history, "variant").rows}
    a, b = rows["ab-test / step 2 / a"], rows["ab-test / step 2 / b"]
    assert (a.touched, a.replied, a.disqualified) == (2, 1, 1)      # E1, E3 (E7's is pending)
    assert (b.touched, b.replied, b.opt_outs) == (2, 0, 1)          # E2 (replied to step 1), E5
    assert rows["ab-test / step 1 / -"].touched == 7


def test_per_channel_week_and_segments(database: Database, history: History) -> None:
    channel = table(database, history, "channel").rows
    assert [(r.key, r.touched, r.replied) for r in channel] == [("email", 12, 3)]
    weeks = {r.key: r for r in table(database, history, "week").rows}
    assert list(weeks) == ["2026-11-30", "2026-12-07"]
    assert (weeks["2026-11-30"].enrolled, weeks["2026-11-30"].replied) == (4, 2)
    assert (weeks["2026-12-07"].enrolled, weeks["2026-12-07"].touched,
            weeks["2026-12-07"].replied) == (4, 3, 1)
    industry = {r.key: r.enrolled for r in table(database, history, "industry").rows}
    assert industry == {"logistics": 2, "(unknown)": 6}  # "Logistics" and "logistics " agree
    size = {r.key: r.enrolled for r in table(database, history, "company_size").rows}
    assert size == {"11-50": 1, "51-200": 1, "(unknown)": 6}
    country = {r.key: (r.enrolled, r.replied) for r in table(database, history, "country").rows}
    assert country == {"DE": (3, 1), "FR": (1, 1), "US": (1, 0), "(unknown)": (3, 1)}
    language = {r.key: r.touched for r in table(database, history, "language").rows}
    assert language == {"de": 1, "en": 5, "fr": 1}
    boxes = {r.key: r.enrolled for r in table(database, history, "mailbox").rows}
    assert boxes == {"m1@agency.example": 7, "m2@agency.example": 1}


def test_reps_and_playbook_filter(database: Database, history: History) -> None:
    reps = table(database, history, "rep")
    assert [(r.key, r.handoffs, r.meetings, r.meeting_rate, r.pipeline) for r in reps.rows] == [
        ("Ana <ana@agency.example>", 1, 1, 1.0, 12000.0)]
    assert reps.rows[0].handoff_to_accept_minutes_p50 == 14.0
    assert table(database, history, "playbook", playbook="other").total.enrolled == 0
    assert table(database, history, "playbook", playbook="ab-test").total.enrolled == 8
