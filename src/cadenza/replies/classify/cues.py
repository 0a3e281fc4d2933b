"""Phrase cues for each intent in en/de/fr/es/pt/nl (and the commonest ones in it/pl/sv/da/no).

Cues serve twice: the high-precision rules fire on the strongest ones, and every cue becomes a
language-independent feature of the trained model (``__cue_unsubscribe`` …), so a pattern
learned from English replies transfers to a Dutch one. They read text that
:func:`cadenza.replies.classify.instructions.without_instructions` has already folded and cut
of what is written to a machine.

The phrases themselves live in ``cue_lists/<name>.yaml``, each pattern beside the texts it must
and must not match (see :mod:`cadenza.replies.classify.cue_files`). The shipped model was
trained on these exact regexes: editing a list changes its features, so retrain after.
"""

from __future__ import annotations

import re

from cadenza.replies.classify.cue_files import load

UNSUBSCRIBE = load("unsubscribe").regex
DATA_SOURCE = load("data_source").regex
ABSENCE = load("absence").regex
LEFT_COMPANY = load("left_company").regex
AUTO_ACK = load("auto_ack").regex
NOT_INTERESTED = load("not_interested").regex
NOT_NOW = load("not_now").regex
MEETING = load("meeting").regex
INTERESTED = load("interested").regex
QUESTION = load("question").regex
REFERRAL = load("referral").regex
# A reply that is only an opt-out word ("STOP"); matched on the text as written, any case.
_BARE_STOP = load("bare_stop").regex
# A negation right before an opt-out phrase ("don't remove me") cancels it.
_NEGATED = load("negation").regex

CUES: dict[str, re.Pattern[str]] = {
    "unsubscribe": UNSUBSCRIBE, "absence": ABSENCE, "left_company": LEFT_COMPANY,
    "auto_ack": AUTO_ACK, "not_interested": NOT_INTERESTED, "not_now": NOT_NOW,
    "meeting": MEETING, "interested": INTERESTED, "question": QUESTION, "referral": REFERRAL,
    "data_source": DATA_SOURCE,
}


def has_cue(name: str, text: str) -> bool:
    """True when cue ``name`` occurs in ``text`` (any case)."""
    return CUES[name].search(text.lower()) is not None


def cue_hits(text: str) -> frozenset[str]:
    """The names of every cue found in ``text`` (already injection-free)."""
    low = text.lower()
    hits = {name for name, pattern in CUES.items() if pattern.search(low)}
    if "unsubscribe" in hits and not any(
            not _NEGATED.search(low[max(0, m.start() - 30): m.start()])
            for m in UNSUBSCRIBE.finditer(low)):
        hits.discard("unsubscribe")  # "please don't remove me", "not hitting unsubscribe"
    if _BARE_STOP.match(text):
        hits.add("unsubscribe")
    return frozenset(hits)


def is_absence_notice(text: str) -> bool:
    """True when ``text`` announces a temporary absence (and not a departure)."""
    low = text.lower()
    return bool(ABSENCE.search(low)) and not LEFT_COMPANY.search(low)
