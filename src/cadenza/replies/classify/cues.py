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
from cadenza.replies.classify.guards import opt_out_beside_question

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
# An opt-out word mentioned, not asked for ("I was about to hit unsubscribe, but …").
_HEDGE = load("opt_out_hedge").regex
# An opt-out word in mail boilerplate ("unsubscribe from our newsletter at any time").
_BOILERPLATE = load("opt_out_boilerplate").regex
#: Where a sentence ends, for the boilerplate and hedge checks around one hit.
_SENTENCE_END = re.compile(r"[.!?;\n]")
#: A turn in the sentence: a hedge before it does not reach an opt-out after it.
_TURN = re.compile(r"\b(?:but|however|aber|jedoch|mais|pero|mas|maar|ma|ale|men)\b")
#: How far before a hit a hedge is looked for.
_HEDGE_REACH = 60

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
    """The names of every cue found in ``text`` (already injection-free).

    ``unsubscribe`` is there only for an opt-out asked for: a hit that is negated ("please
    don't remove me") counts for nothing, and one that is only mentioned — hedged ("I nearly
    hit unsubscribe, but …") or in boilerplate ("unsubscribe from our newsletter at any time")
    — becomes ``unsubscribe_mention``, a feature the model weighs with the rest of the reply
    instead of a rule that stops the prospect on its own.
    """
    low = text.lower()
    hits = {name for name, pattern in CUES.items() if pattern.search(low)}
    if "unsubscribe" in hits:
        hits.discard("unsubscribe")
        kinds = {_opt_out_kind(low, m) for m in UNSUBSCRIBE.finditer(low)}
        if "asked" in kinds:
            hits.add("unsubscribe")
        elif "mentioned" in kinds:
            hits.add("unsubscribe_mention")
    if _BARE_STOP.match(text):
        hits.discard("unsubscribe_mention")
        hits.add("unsubscribe")
    return frozenset(hits)


def opt_out_in_doubt(text: str) -> bool:
    """True when ``text`` asks for an opt-out (:func:`cue_hits`) only in words followed by a
    turn and a question (:func:`~cadenza.replies.classify.guards.opt_out_beside_question`):
    a person decides, the rules do not act alone."""
    if _BARE_STOP.match(text):
        return False
    low = text.lower()
    asked = [m.span() for m in UNSUBSCRIBE.finditer(low) if _opt_out_kind(low, m) == "asked"]
    return opt_out_beside_question(text, asked)


def _opt_out_kind(low: str, hit: re.Match[str]) -> str:
    """``negated``, ``mentioned`` (hedged or boilerplate) or ``asked`` for one opt-out hit."""
    if _NEGATED.search(low[max(0, hit.start() - 30): hit.start()]):
        return "negated"
    start = max((m.end() for m in _SENTENCE_END.finditer(low, 0, hit.start())), default=0)
    end_match = _SENTENCE_END.search(low, hit.end())
    sentence = low[start: end_match.start() if end_match else len(low)]
    if _BOILERPLATE.search(sentence):
        return "mentioned"
    before = low[max(start, hit.start() - _HEDGE_REACH): hit.start()]
    turns = list(_TURN.finditer(before))
    if turns:
        before = before[turns[-1].end():]
    return "mentioned" if _HEDGE.search(before) else "asked"


def is_absence_notice(text: str) -> bool:
    """True when ``text`` announces a temporary absence (and not a departure)."""
    low = text.lower()
    return bool(ABSENCE.search(low)) and not LEFT_COMPANY.search(low)
