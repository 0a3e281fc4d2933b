"""The absence rule reads a weekday after a word of return as the day an absence ends.

A weekday used to block the rule everywhere (so "let's meet Monday" is never an absence), and
hand-typed notices such as "back Monday" went to a person. Examples written for this test.
"""

from __future__ import annotations

import pytest

from cadenza.replies.classify.classifier import classify_text


@pytest.mark.parametrize("text", [
    "Je suis en congés jusqu'au 4 janvier, je reprends le lundi 5. Je regarderai ton mail à "
    "mon retour.",
    "Out of the office on annual leave, back Monday. I'll reply then.",
    "Ich bin im Urlaub und ab Montag wieder im Büro.",
])
def test_a_weekday_after_back_is_the_day_an_absence_ends(text: str) -> None:
    verdict = classify_text(text)
    assert (verdict.intent, verdict.method) == ("out_of_office", "rules")


@pytest.mark.parametrize("text", [
    "I'm on leave until Friday; could we meet Monday at 10 instead?",
    "Away this week. Let's talk Thursday.",
])
def test_a_weekday_that_proposes_a_slot_still_blocks_the_rule(text: str) -> None:
    assert classify_text(text).reason != "absence notice"
