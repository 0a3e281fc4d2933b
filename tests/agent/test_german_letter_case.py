"""A German email goes on from its greeting's comma in lower case ("Guten Tag Frau Weber,
ich melde mich …"), as German letters do; round 8's reviewer marked "Guten Tag Jana
Wiesinger, Ich …" stilted. Nouns, names and the polite "Sie/Ihr" keep their capitals, and the
checker's sentence-case rule accepts the lower-case start."""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.drafting import DraftRequest, TemplateDrafter
from cadenza.writing.fluency import fluency_problems
from cadenza.writing.german import OPENING_WORDS, letter_case
from cadenza.writing.revising import judge

SENDER = SenderProfile.model_validate({
    "company": "Gatepoint Labs", "website": "https://gatepoint.example",
    "product_name": "ShotKeeper",
    "product_description": "ShotKeeper is a mould maintenance system for injection moulders.",
    "value_propositions": [{"id": "vp1", "text": "Clip-on counters log each cycle, so service "
                            "is due by real usage."}],
    "proof_points": [{"id": "pp1", "customer": "Brenner Formtechnik GmbH",
                      "text": "Brenner Formtechnik cut unplanned mould downtime by 31%."}],
    "sender": {"first_name": "Tamsin", "last_name": "Rowe", "title": "BDR",
               "email": "tamsin@gatepoint.example"},
    "postal_address": "Gatepoint Labs, 4 Tenter Yard, Manchester",
    "meeting_link": "https://gatepoint.example/meet/tamsin"})


@pytest.mark.parametrize(("text", "said"), [
    ("Guten Tag Matthias Kern,\n\nIch melde mich, weil …", "Guten Tag Matthias Kern,\n\nich "),
    ("Hallo Anna,\nMit ShotKeeper …", "Hallo Anna,\nmit ShotKeeper"),
    ("Guten Tag,\n\nShotKeeper zählt jeden Schuss.", "Guten Tag,\n\nShotKeeper"),
    ("Guten Tag Frau Weber,\n\nIhr Beitrag …", "Guten Tag Frau Weber,\n\nIhr Beitrag"),
    ("Guten Tag,\n\nMandatsbudgets sind …", "Guten Tag,\n\nMandatsbudgets"),
])
def test_only_the_templates_opening_words_are_lowered(text: str, said: str) -> None:
    assert letter_case(text).startswith(said)


def test_a_later_paragraph_keeps_its_capital() -> None:
    text = "Guten Tag,\n\nIch melde mich.\n\nIch habe außerdem gesehen, dass …"
    assert letter_case(text).endswith("\n\nIch habe außerdem gesehen, dass …")


def test_german_drafts_go_on_in_lower_case_and_pass_the_checker() -> None:
    drafter = TemplateDrafter()
    openings: list[str] = []
    for i in range(4):
        prospect = ProspectIn.model_validate({
            "id": f"p{i}", "email": f"p{i}@feldmann.example", "first_name": "Matthias",
            "last_name": "Kern", "company": f"Feldmann Spritzguss {i}", "title": "Werkleiter",
            "industry": "Spritzguss", "language": "de"})
        for step, template, channel in ((1, "email_opener", "email"),
                                        (2, "email_followup", "email"),
                                        (3, "linkedin_connect", "linkedin_connect"),
                                        (4, "email_value", "email")):
            request = DraftRequest(prospect=prospect, sender=SENDER, step_number=step,
                                   channel=channel, template=template,
                                   today=dt.date(2026, 11, 30), emailed_before=step > 1,
                                   previous_subject="ShotKeeper" if step > 1 else None)
            draft = drafter.draft(request)
            verdict = judge(draft, request, attempt=1, max_revisions=0)
            assert verdict.report.passed, (draft.body, verdict.report)
            lines = [line for line in draft.body.split("\n") if line.strip()]
            first = lines[1].split()[0]
            openings.append(first)
            assert first.lower() not in OPENING_WORDS or first.islower(), draft.body
    assert any(w.islower() for w in openings)  # the rule did something


def test_the_checker_still_catches_a_lower_case_sentence_later_on() -> None:
    text = "Guten Tag,\n\nich melde mich. wir haben ein Produkt."
    assert any("lower case" in p for p in fluency_problems(text, "de"))
    assert not any("lower case" in p for p in fluency_problems("Guten Tag,\n\nich melde mich.",
                                                              "de"))
