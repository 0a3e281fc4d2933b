"""Sender copy that opens on the reader's problem, proof points with a headline or a quote
(round 6's reviewers: "FryWise gives you still changing oil by the calendar", "your team gets
you can't stand next to every fryer", "For example, Less oil bought: …", a customer's quote
said as "that meant")."""

from __future__ import annotations

import pytest

from cadenza.writing.sender_copy import proof_parts, value_parts

OWN = frozenset({"frywise", "polarline", "sensing"})


@pytest.mark.parametrize(("text", "language", "starts"), [
    ("Still changing oil by the calendar? FryWise tells your crew when a vat is actually "
     "spent, so you stop pouring good oil down the drain.", "en", "FryWise tells your crew"),
    ("You can't stand next to every fryer. With FryWise your area managers see oil quality "
     "for every site on one dashboard.", "en", "With FryWise your area managers"),
    ("Inspection next week? Every FryWise reading is stored with time and fryer.", "en",
     "Every FryWise reading"),
    ("Vous changez encore l'huile selon le calendrier ? FryWise indique à vos équipes quand "
     "un bac est réellement usé.", "fr", "FryWise indique"),
    ("No puede estar delante de cada freidora. Con FryWise sus responsables de zona ven la "
     "calidad del aceite en un solo panel.", "es", "Con FryWise sus responsables"),
])
def test_a_lead_about_the_readers_problem_gives_way_to_what_the_product_does(
        text: str, language: str, starts: str) -> None:
    parts = value_parts("vp", text, language, own_names=OWN)
    assert parts is not None
    assert parts.body.startswith(starts)
    assert parts.form in ("own", "sentence")  # said as written, never after a frame


def test_copy_that_is_only_a_question_is_kept_as_it_is() -> None:
    parts = value_parts("vp", "Tired of paper oil logs?", "en", own_names=OWN)
    assert parts is not None and "paper oil logs" in parts.body


def test_a_long_first_sentence_without_the_product_is_not_a_lead() -> None:
    text = ("Every trailer, door and seal status is shown on one screen for the whole yard "
            "team at once. FryWise sends the alerts.")
    parts = value_parts("vp", text, "en", own_names=OWN)
    assert parts is not None and parts.body.lower().startswith("every trailer")


def test_a_proof_points_headline_is_dropped() -> None:
    proof = proof_parts("pp", "Less oil bought: Brasa Norte cut its frying-oil purchases by "
                        "27% across 64 restaurants.", "Brasa Norte", product="FryWise")
    assert proof is not None
    assert proof.sentence.startswith("Brasa Norte cut its frying-oil purchases by 27%")


def test_a_customers_quote_keeps_its_speaker() -> None:
    proof = proof_parts("pp", "\u201cMy area managers stopped driving out just to check "
                        "fryers.\u201d \u2014 Operations director, Kettle & Co. Fish Bars",
                        "Kettle & Co. Fish Bars", product="FryWise")
    assert proof is not None
    assert proof.sentence == ("Kettle & Co. Fish Bars\u2019 operations director put it this "
                              "way: \u201cMy area managers stopped driving out just to check "
                              "fryers.\u201d")
    assert proof.base_change is None  # never "FryWise helped …" around a quote


def test_drafts_that_quote_a_customer_pass_the_checker() -> None:
    """The quote is said with its speaker, and the checker traces "Fish Bars’" (a possessive
    after a plural name) to the proof point: no email is held for it."""
    import datetime as dt

    from cadenza.prospects import ProspectIn
    from cadenza.sender import SenderProfile
    from cadenza.writing.drafting import DraftRequest, TemplateDrafter
    from cadenza.writing.revising import judge

    sender = SenderProfile.model_validate({
        "company": "Polarline Sensing", "website": "https://polarline.example",
        "product_name": "FryWise",
        "product_description": "FryWise is a clip-on sensor that measures frying-oil quality.",
        "value_propositions": [{"id": "vp1", "text": "You can't stand next to every fryer. "
                                "With FryWise your area managers see oil quality for every "
                                "site on one dashboard."}],
        "proof_points": [{"id": "pp1", "customer": "Kettle & Co. Fish Bars",
                          "text": "\u201cMy area managers stopped driving out just to check "
                                  "fryers.\u201d \u2014 Operations director, Kettle & Co. "
                                  "Fish Bars"}],
        "sender": {"first_name": "Maren", "last_name": "Holtby", "title": "BDR",
                   "email": "maren@polarline.example"},
        "postal_address": "Polarline Sensing Ltd, 4 Quayside Works, Edinburgh",
        "meeting_link": "https://meet.polarline.example/maren"})
    drafter = TemplateDrafter()
    quoted = 0
    for i in range(6):
        prospect = ProspectIn.model_validate({
            "id": f"p{i}", "email": f"p{i}@example.com", "first_name": "Tom",
            "company": f"Harbour Lane {i}", "title": "Operations Director",
            "industry": "restaurants", "language": "en"})
        for step, template in ((1, "email_opener"), (2, "email_followup"),
                               (4, "email_value")):
            request = DraftRequest(prospect=prospect, sender=sender, step_number=step,
                                   channel="email", template=template,
                                   today=dt.date(2026, 11, 30), emailed_before=step > 1,
                                   previous_subject="FryWise" if step > 1 else None)
            draft = drafter.draft(request)
            verdict = judge(draft, request, attempt=1, max_revisions=0)
            assert verdict.report.passed, (draft.body, verdict.report)
            assert "that meant \u201c" not in draft.body
            quoted += "put it this way: \u201cMy area managers" in draft.body
    assert quoted  # the quote was used, with its speaker


def test_a_speakers_title_in_capitals_keeps_them() -> None:
    proof = proof_parts("pp", "\u201cWe stopped guessing.\u201d \u2014 CEO, Acme Foods",
                        "Acme Foods", product="FryWise")
    assert proof is not None
    assert proof.sentence.startswith("Acme Foods\u2019 CEO put it this way")


@pytest.mark.parametrize(("role", "said"), [("Toolroom Lead", "toolroom lead"),
                                            ("VP Operations", "VP operations"),
                                            ("Head of Plant Maintenance",
                                             "head of plant maintenance")])
def test_a_speakers_title_is_written_as_running_text(role: str, said: str) -> None:
    proof = proof_parts("pp", f"\u201cWe stopped guessing.\u201d \u2014 {role}, Ostrava Plastics",
                        "Ostrava Plastics", product="ShotKeeper")
    assert proof is not None
    assert proof.sentence.startswith(f"Ostrava Plastics\u2019 {said} put it this way")
