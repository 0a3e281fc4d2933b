"""The reader's measures of ``cadenza eval drafts``: each on a draft that passes and one that
must fail (#14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from test_draft_metrics import FOOTER, PROSPECT, SENDER, email

from cadenza.evals import draft_prose as dp
from cadenza.evals.draft_scores import score_drafts
from cadenza.prospects import ProspectIn

RUN_AT = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)  # the scores' timestamp
PASTED = ("Hi Zoë,\n\nI noticed that Kallby Logistik raised SEK 310M in growth funding led by "
          "Fjordline Ventures. Northwind Flow in one line: one queue for every operational "
          "exception.\n\nWould a short call next week make sense?")
MENTIONED = ("Hi Zoë,\n\nCongrats on the SEK 310M round. Growth like that usually means more "
             "exceptions between the warehouse and finance, and Northwind Flow puts every "
             "operational exception in one queue with an owner.\n\nWorth a short call?")


def _with(main: str, **changes: Any) -> dict[str, Any]:
    return email(body=f"{main}\n\n{FOOTER}", **changes)


def test_a_pasted_fact_is_measured_and_a_mention_is_not() -> None:
    pasted = dp.pasted_fact(_with(PASTED), PROSPECT, SENDER)
    assert pasted.passed is False and pasted.value is not None and pasted.value >= 8
    assert dp.pasted_fact(_with(MENTIONED), PROSPECT, SENDER).passed is True
    assert dp.pasted_fact(_with(MENTIONED, fact_ids=[]), PROSPECT, SENDER).passed is None


def test_bridge_needs_fact_and_product_to_meet() -> None:
    assert dp.bridge(_with(MENTIONED), PROSPECT, SENDER).passed is True
    apart = ("Hi Zoë,\n\nCongrats on the SEK 310M round led by Fjordline. Separately, Northwind "
             "Flow puts every operational exception in one queue.\n\nWorth a short call?")
    assert dp.bridge(_with(apart), PROSPECT, SENDER).passed is False
    refers = ("Hi Zoë,\n\nCongrats on the SEK 310M round led by Fjordline. That usually means "
              "more moving parts.\n\nWorth a short call?")
    assert dp.bridge(_with(refers), PROSPECT, SENDER).passed is True


def test_verbless_quotes_register_and_subject() -> None:
    assert dp.verbless(_with(PASTED), PROSPECT, SENDER).passed is False
    assert dp.verbless(_with(MENTIONED), PROSPECT, SENDER).passed is True
    unclosed = MENTIONED.replace("Congrats", "You wrote: 'growth is hard. Congrats")
    assert dp.unclosed_quotes(_with(unclosed), SENDER).passed is False
    closed = MENTIONED.replace("Congrats", "You wrote 'growth is hard'. Zoë's team: congrats")
    assert dp.unclosed_quotes(_with(closed), SENDER).passed is True
    german = PROSPECT.model_copy(update={"language": "de"})
    mixed = "Hallo Zoë,\n\nIch habe Ihren Beitrag gelesen. Hast du Zeit für dich?"
    assert dp.register_mix(_with(mixed), german, SENDER).passed is False
    assert dp.register_mix(_with(MENTIONED), PROSPECT, SENDER).passed is None
    assert dp.subject_tone(_with(MENTIONED, subject="hiring at Kallby")).passed is False
    assert dp.subject_tone(_with(MENTIONED, subject="the new Malmö terminal")).passed is True


def _prospect(i: int) -> ProspectIn:
    return PROSPECT.model_copy(update={"id": f"p{i}", "first_name": f"Name{i}",
                                       "company": f"Company{i}"})


@pytest.mark.parametrize("same", [True, False])
def test_texts_shared_across_prospects_are_counted(same: bool) -> None:
    prospects = [_prospect(i) for i in range(6)]
    records = []
    for i, p in enumerate(prospects):
        main = (f"Hi {p.first_name},\n\nI saw the news about {p.company}. Northwind Flow puts "
                "every operational exception in one queue with an owner.\n\nWorth a short call?")
        if not same:
            main = main.replace("I saw the news", f"Variant {i}: I read the news")
        records.append(_with(main, prospect_id=p.id, fact_ids=[]))
    scores = score_drafts(records, prospects, SENDER, now=RUN_AT)
    shared = scores["metrics"]["shared_text"]
    assert shared["passed"] == (0 if same else 6)
    top = scores["repetition"]["top_sentences"][0]
    assert top["prospects"] == 6 and "<company>" not in top["sentence"]


def test_a_sentence_twice_in_one_sequence_is_counted() -> None:
    first = _with(MENTIONED)
    second = _with(MENTIONED.replace("Congrats on the SEK 310M round.", "Following up."),
                   step=2, subject="Re: Kallby after the raise")
    scores = score_drafts([first, second], [PROSPECT], SENDER, now=RUN_AT)
    by_step = {i["step"]: i["metrics"]["self_repeat"] for i in scores["items"]}
    assert by_step[1]["passed"] is True and by_step[2]["passed"] is False
    assert scores["headline"]["failed_first"][0]["metric"] == "self_repeat"
