"""The suggested next step and reply draft for the rep: by the LLM when one is given, else
from a template per intent (``prompts/handoff/<intent>.j2``).

The LLM sees the thread and the facts inside delimiters, as data; its answer is a validated
schema. Any LLM failure falls back to the template: the rep always gets a draft.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel, Field

from cadenza.errors import LLMError
from cadenza.llm import LLM, ChatMessage
from cadenza.prompts import TEMPLATE_DIR, render
from cadenza.writing.names import clean_name

log = logging.getLogger(__name__)

NEXT_STEPS = {
    "meeting_request": "Reply within the hour with two concrete times or your booking link.",
    "interested": "Reply today and propose a 20-minute call.",
    "question": "Answer the question precisely, then propose a short call.",
    "referral": "Thank them, then contact the colleague they named, citing the referral.",
    "cadence_handoff": "Run your cadence step now: the agent's touches got no reply.",
}
DEFAULT_NEXT_STEP = "Read the reply and answer it personally today."


class ReplySuggestion(BaseModel):
    """What the LLM must answer: reasoning first, then the step and the draft."""

    reasoning: str = Field(description="one or two sentences on what the prospect wants")
    next_step: str = Field(description="one sentence: what the rep should do next")
    subject: str
    body: str


class Suggestion(BaseModel):
    """The next step and the draft shown on the ticket."""

    next_step: str
    subject: str
    body: str
    source: Literal["llm", "template", "stored"]


class ThreadLine(BaseModel):
    """One message of the thread as the prompt shows it (plain text)."""

    direction: Literal["ours", "theirs"]
    at: str
    subject: str
    text: str


def template_suggestion(*, intent: str, first_name: str, rep_name: str, company: str,
                        subject: str, said: str, booking_link: str = "") -> Suggestion:
    """The deterministic draft: one template per intent, ``default.j2`` otherwise. The name is
    screened as the drafter screens it: markup, an instruction or an address is no name."""
    name = f"handoff/{intent}.j2"
    if not (TEMPLATE_DIR / name).is_file():
        name = "handoff/default.j2"
    greet = clean_name(first_name, kind="first") or "there"
    body = render(name, first_name=greet, rep_name=rep_name or "the team",
                  company=company, said=said, booking_link=booking_link).strip() + "\n"
    return Suggestion(next_step=NEXT_STEPS.get(intent, DEFAULT_NEXT_STEP),
                      subject=_re(subject), body=body, source="template")


def llm_suggestion(*, llm: LLM, intent: str, prospect: str, language: str, rep_name: str,
                   facts: list[str], thread: list[ThreadLine], booking_link: str = "",
                   fallback: Suggestion) -> Suggestion:
    """Ask the LLM; on any :class:`LLMError` return ``fallback`` (logged)."""
    ctx: dict[str, Any] = dict(rep_name=rep_name or "the rep", booking_link=booking_link,
                               intent=intent, prospect=prospect, language=language,
                               facts=facts, thread=thread)
    messages = [ChatMessage("system", render("handoff_reply.j2", part="system", **ctx)),
                ChatMessage("user", render("handoff_reply.j2", part="user", **ctx))]
    try:
        answer = llm.structured(messages, ReplySuggestion).value
    except LLMError as exc:
        log.warning("LLM reply suggestion failed, using the template: %s", exc)
        return fallback
    if not answer.body.strip():
        return fallback
    return Suggestion(next_step=answer.next_step.strip() or fallback.next_step,
                      subject=answer.subject.strip() or fallback.subject,
                      body=answer.body.strip() + "\n", source="llm")


def _re(subject: str) -> str:
    subject = subject.strip()
    if not subject:
        return "Following up"
    return subject if subject.lower().startswith(("re:", "aw:", "sv:")) else f"Re: {subject}"
