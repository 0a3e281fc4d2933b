"""The one-line summary of a handoff: who, what they said, what they want.

Deterministic on purpose: the same ticket reads the same in the queue, the notification, the
webhook and the export, and nothing in it can be invented by a model.
"""

from __future__ import annotations

import re

from cadenza.store.models import Handoff, Prospect

#: Higher first in every queue; the watcher writes the same numbers on the ticket.
PRIORITY = {"meeting_request": 3, "interested": 2, "question": 1}

WANTS = {
    "meeting_request": "wants a meeting: propose times or send your booking link",
    "interested": "is interested: reply and suggest a call",
    "question": "asked a question: answer it, then suggest a call",
    "referral": "pointed to a colleague: contact the person named",
    "cadence_handoff": "finished the agent's touches without replying: your step is next",
    "unclear": "sent a reply the classifier could not place: read it and decide",
}
INTENT_LABELS = {
    "meeting_request": "meeting request", "interested": "interested", "question": "question",
    "referral": "referral", "cadence_handoff": "cadence step", "unclear": "unclear",
}
_SPACE = re.compile(r"\s+")


def priority_of(intent: str) -> int:
    """meeting_request > interested > question > everything else."""
    return PRIORITY.get(intent, 0)


def person(prospect: Prospect | None) -> str:
    """``Name (Title, Company)`` with whatever parts are known."""
    if prospect is None:
        return "an unknown sender"
    name = " ".join(p for p in (prospect.first_name, prospect.last_name) if p) or prospect.email
    extra = ", ".join(p for p in (prospect.title, prospect.company) if p)
    return f"{name} ({extra})" if extra else name


def first_line(text: str, limit: int = 140) -> str:
    """The first non-empty line, whitespace collapsed, cut at a word near ``limit``."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    line = _SPACE.sub(" ", line).strip()
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def summarize(handoff: Handoff, prospect: Prospect | None, reply_text: str) -> str:
    """``Who — intent: "what they said" — what they want``."""
    label = INTENT_LABELS.get(handoff.intent, handoff.intent or "handoff")
    want = WANTS.get(handoff.intent, "replied: read the thread and decide")
    said = first_line(reply_text)
    quote = f': "{said}"' if said else ""
    return f"{person(prospect)} — {label}{quote} — {want}"
