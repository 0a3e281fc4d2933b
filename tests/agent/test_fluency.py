"""The fluency check: whole sentences, closed quotes, sentence case, one register (#14)."""

from __future__ import annotations

import pytest
from test_checker import GOOD_MAIN, PROSPECT, REQUEST, SENDER

from cadenza.writing.checker import check_draft
from cadenza.writing.composing import assemble_email, to_html
from cadenza.writing.drafting import Draft
from cadenza.writing.fluency import fluency_problems, register_problems
from cadenza.writing.sentences import sentences, split_lines


@pytest.mark.parametrize(("text", "found"), [
    ("Hi Dana,\n\nI saw that you on LinkedIn: 'onboarding takes too long for the.", "quote"),
    ("Hi Dana,\n\nYou wrote “handoffs are the problem and then it stops.", "quote"),
    ("Hi Dana,\n\nWhat we do at Northwind: One queue: every exception has an owner.",
     "two colons"),
    ("Hi Dana,\n\nFor example, we Raised NPS by 20 points at Kestrel.", "capital after"),
    ("Hi Dana,\n\nthe team grew quickly this year, congrats.", "lower case"),
    ("Hi Dana,\n\nWe help the the operations team with exceptions.", "doubled"),
    ("Hi Dana,\n\nNorthwind Flow in one line: one queue for every operational exception.",
     "no verb"),
    ("Hi Dana,\n\nI saw the news about your new warehouse in the.", "ends on"),
    ("Hi Dana,\n\nHere is what I wanted to share:", "colon"),
    ("Hi Dana,\n\nI read your post about onboarding and …", "trails off"),
    ("Hi Dana,\n\nYou wrote that Acme's new pricing page.", "no clause"),
])
def test_a_broken_sentence_is_found(text: str, found: str) -> None:
    problems = fluency_problems(text, "en")
    assert any(found in p for p in problems), problems


@pytest.mark.parametrize(("text", "language"), [
    ("Hi Dana,\n\nI read your post about onboarding handoffs. It's a topic we know well: "
     "Northwind Flow gives every exception an owner.\n\nWorth a short call?\n\nMara", "en"),
    ("Hi Zoë,\n\nCongrats on the round! Those are the tools Kallby works with.", "en"),
    ("Hallo Jonas,\n\nIch habe gelesen, dass Sie sie „bald“ eröffnen. Passt das?", "de"),
    ("Bonjour Claire,\n\nJ'ai lu « votre article » sur l'onboarding. Nous nous "
     "occupons de ce sujet.", "fr"),
    ("Hi Dana,\n\nYou can pick a time here: https://northwind.example/meet/mara", "en"),
    ("Hi Dana,\n\nThe U.S. team at Acme Inc. grew, e.g. in Austin. Dana's team said 'yes'.",
     "en"),
])
def test_ordinary_prose_passes(text: str, language: str) -> None:
    assert fluency_problems(text, language) == []
    assert register_problems(text, language) == []


@pytest.mark.parametrize(("text", "language"), [
    ("Hallo Jonas,\n\nIch habe Ihren Beitrag gelesen. Hast du diese Woche Zeit für dich?", "de"),
    ("Hola Laura,\n\n¿Te parece bien si le escribo a usted la próxima semana?", "es"),
    ("Bonjour Claire,\n\nJe vous écris car ton équipe recrute.", "fr"),
    ("Beste Sanne,\n\nIk zag dat jouw team groeit. Heeft u tijd?", "nl"),
    ("Hi Jonas,\n\nIch habe Ihren Beitrag gelesen.", "de"),           # greeting in English
])
def test_register_and_greeting_mixes_are_found(text: str, language: str) -> None:
    assert register_problems(text, language)


def test_a_name_written_in_lower_case_may_start_a_sentence() -> None:
    text = "Hi Dana,\n\neBay grew its seller base. solmar hoteles reopened four hotels."
    assert fluency_problems(text, "en", names=frozenset({"solmar"})) == []


def test_lines_and_sentences() -> None:
    assert split_lines("Hi Dana,\n\nOne. Two?\n\nMara") == ["One. Two?"]
    assert sentences("Acme Inc. grew. It hired J. Smith. Done!") == [
        "Acme Inc. grew.", "It hired J. Smith.", "Done!"]


def _email(main: str) -> Draft:
    body = assemble_email(main, SENDER, "en")
    return Draft.model_validate({"channel": "email", "subject": "after the raise", "body": body,
                                 "html": to_html(body), "fact_ids": ["f1"],
                                 "template": "email_opener", "drafter": "test"})


@pytest.mark.parametrize(("main", "check"), [
    (GOOD_MAIN.replace("Northwind Flow helps", "Northwind Flow in one line: 'teams like yours"),
     "fluency"),
    (GOOD_MAIN.replace("helps teams", "helps helps teams"), "fluency"),
    (GOOD_MAIN.replace("Would a short call", "Is this a priority? Would a short call"),
     "one_cta"),
    (GOOD_MAIN + " You can book here: https://northwind.example/meet/mara", "one_cta"),
])
def test_the_checker_holds_what_does_not_read(main: str, check: str) -> None:
    report = check_draft(_email(main), prospect=PROSPECT, sender=SENDER, request=REQUEST)
    assert check in report.failures, report.reasons
    assert check_draft(_email(GOOD_MAIN), prospect=PROSPECT, sender=SENDER,
                       request=REQUEST).passed
