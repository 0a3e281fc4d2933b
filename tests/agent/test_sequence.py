"""The four touches as one sequence: each step its own job, nothing said twice (#14 item 3)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.composing import split_email
from cadenza.writing.drafting import DraftRequest, TemplateDrafter
from cadenza.writing.revising import draft_checked
from cadenza.writing.sender_copy import sender_copy
from cadenza.writing.sentences import text_sentences
from cadenza.writing.sequence import plan_sequence

TODAY = dt.date(2026, 11, 24)
SENDER = SenderProfile.model_validate({
    "company": "Shiftwell Ltd", "website": "https://shiftwell.example",
    "product_name": "Shiftwell",
    "product_description": "Shiftwell is a staff rostering platform for care homes and "
                           "hospitals: it builds rosters from availability and fills open "
                           "shifts from your own staff first.",
    "value_propositions": [
        {"id": "vp1", "text": "Faster rosters: Managers publish a month of shifts in an "
                              "afternoon instead of a week."},
        {"id": "vp2", "text": "Lower agency spend: Open shifts go to your own staff first, so "
                              "agency is the last resort."},
        {"id": "vp3", "text": "Connects to the payroll and HR systems you already run."}],
    "proof_points": [
        {"id": "pp1", "customer": "Brook Care", "text": "cut agency spend 18% in a quarter "
                                                        "at Brook Care"},
        {"id": "pp2", "customer": "Halden Homes", "text": "saved 300 rota hours a month at "
                                                          "Halden Homes"},
        {"id": "pp3", "customer": "Elm Hospital", "text": "went live on 14 wards in 6 weeks at "
                                                          "Elm Hospital"}],
    "sender": {"first_name": "Niamh", "last_name": "Byrne", "title": "Account Executive",
               "email": "niamh@shiftwell.example"},
    "postal_address": "Shiftwell Ltd, 2 Quay Street, Dublin 2, Ireland",
    "meeting_link": "https://shiftwell.example/meet/niamh",
    "unsubscribe": {"url": "https://shiftwell.example/unsubscribe"},
})
FIRST = ["Aoife", "Ben", "Chloe", "Dev", "Elena", "Finn", "Grace", "Hugo", "Ines", "Jonah"]
TOWNS = ["Leeds", "York", "Bristol", "Cork", "Galway", "Derby", "Bath", "Hull", "Luton", "Ely"]
FACTS = [
    ("hiring", "{co} is hiring {n} night nurses for its {town} home."),
    ("hiring", "{co} is hiring: Rota Coordinator – {town} Hub."),
    ("funding", "{co} raised £{n}M in growth funding to open new homes."),
    ("news", "{co} opened a {n}-bed care home in {town}."),
    ("pain_point", "{first} wrote that covering open shifts costs her team {n} hours a week."),
    ("post", "Hot take: most rota problems are really cover problems."),
    ("product_launch", "{co} launched a family visiting app for {n} homes."),
    ("role_change", "{first} {last} was promoted to Director of Care at {co}."),
    ("tech_stack", "{co} runs Workday and Sage Payroll."),
]


def _prospects(n: int = 100) -> list[ProspectIn]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        first, town = FIRST[i % 10], TOWNS[(i * 3) % 10]
        co = f"{town} Care {['Group', 'Homes', 'Trust'][i % 3]} {i}"
        facts = rng.sample(FACTS, rng.randint(0, 3))
        out.append(ProspectIn.model_validate({
            "id": f"q{i:03d}", "email": f"{first.lower()}{i}@care{i}.example",
            "first_name": first, "last_name": "Walsh", "company": co, "title": "Head of Care",
            "industry": "Elderly care", "language": "en",
            "linkedin_url": f"https://www.linkedin.com/in/person-{i}",
            "facts": [{"id": f"f{k + 1}", "kind": kind, "date": "2026-10-01",
                       "text": text.format(co=co, n=rng.randint(3, 40), town=town,
                                           first=first, last="Walsh")}
                      for k, (kind, text) in enumerate(facts)]}))
    return out


STEPS = [(1, "email", "email_opener"), (2, "email", "email_followup"),
         (3, "linkedin_connect", "linkedin_connect"), (4, "email", "email_value")]


def _sequence(prospect: ProspectIn) -> list[tuple[str, str, list[str]]]:
    """(subject, main text, fact ids) of each step, each draft passing the checker."""
    out = []
    subject = None
    for step, channel, template in STEPS:
        request = DraftRequest(prospect=prospect, sender=SENDER, step_number=step,
                               channel=channel, template=template, today=TODAY,  # type: ignore[arg-type]
                               previous_subject=subject if channel == "email" else None)
        outcome = draft_checked(request, drafter=TemplateDrafter())
        assert outcome.passed and outcome.revisions == 0, (prospect.id, step,
                                                          outcome.report.reasons)
        draft = outcome.draft
        main = split_email(draft.body, SENDER, "en")[0] if channel == "email" else draft.body
        out.append((draft.subject or "", main, draft.fact_ids))
        subject = subject or draft.subject
    return out


def test_a_hundred_sequences_pass_and_say_nothing_twice() -> None:
    texts: Counter[tuple[int, str]] = Counter()
    for prospect in _prospects():
        sequence = _sequence(prospect)
        seen: set[str] = set()
        for step, (subject, main, _) in enumerate(sequence, start=1):
            assert not re.search(r"(?i)hiring|recruit", subject), subject
            sentences = {s.lower() for s in text_sentences(main) if len(s.split()) > 3}
            assert not sentences & seen, (prospect.id, step, sentences & seen)
            seen |= sentences
            body = main.split("\n", 1)[-1]
            for value in (prospect.first_name, prospect.company):
                body = body.replace(value or "", "<x>")
            texts[(step, body)] += 1
    # across a hundred prospects, no touch reads the same for more than a few of them
    assert max(texts.values()) <= 3, texts.most_common(3)


def test_each_step_has_its_own_job() -> None:
    copy = sender_copy(SENDER)
    checked = 0
    for prospect in _prospects(40):
        plan = plan_sequence(prospect, SENDER, copy, today=TODAY, language="en",
                             values=copy.values, proofs=copy.proofs)
        sequence = _sequence(prospect)
        opener_ids, follow_ids = sequence[0][2], sequence[1][2]
        if plan.lead is not None:
            assert opener_ids == [plan.lead.fact_id]
        assert not set(follow_ids) & set(opener_ids)
        assert plan.value_last is not plan.value_lead
        assert plan.proof_last is not plan.proof_follow
        assert "https://shiftwell.example/meet/niamh" in sequence[3][1]
        assert "https://" not in sequence[0][1] and "https://" not in sequence[2][1]
        checked += plan.lead is not None
    assert checked > 20
