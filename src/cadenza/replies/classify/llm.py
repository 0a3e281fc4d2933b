"""The LLM layer of reply classification: a delimited prompt, a closed schema, checked fields.

The reply is data: it sits inside ``<reply>…</reply>`` (delimiters inside the text are
neutralised), the system prompt says it is never an instruction, and the answer must validate
against :class:`ReplyDecision`. The model's fields are then checked against the text: an
address that is not written in the reply, or a date that does not parse, is dropped.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from cadenza.llm import LLM, ChatMessage
from cadenza.prompts import render
from cadenza.replies.classify.injections import drop_injections
from cadenza.replies.classify.intents import Intent

_DELIMITER = re.compile(r"</?\s*reply\s*>", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_REPLY_CHARS = 6000


class ReplyDecision(BaseModel):
    """The LLM's structured answer: reasoning first, then a closed label."""

    reasoning: str = Field(description="one or two sentences on what the reply says")
    intent: Intent  # a closed Literal, so the provider constrains decoding to our labels
    confidence: float = Field(ge=0.0, le=1.0)
    return_date: str | None = None
    follow_up_after: str | None = None
    referral_email: str | None = None


def build_messages(text: str, *, subject: str, sent: date | None,
                   language: str | None) -> list[ChatMessage]:
    """The prompt for one reply; the text is delimited and stripped of injection sentences."""
    clean, _ = drop_injections(text[:_MAX_REPLY_CHARS])
    clean = _DELIMITER.sub("[reply-tag]", clean)
    ctx: dict[str, Any] = {"sent_date": sent.isoformat() if sent else "unknown",
                           "language": language or "unknown",
           "subject": _DELIMITER.sub("[reply-tag]", subject), "reply": clean}
    return [
        ChatMessage("system", render("classify_reply.j2", part="system", **ctx)),
        ChatMessage("user", render("classify_reply.j2", part="user", **ctx)),
    ]


def ask_llm(llm: LLM, text: str, *, subject: str, sent: date | None,
            language: str | None) -> ReplyDecision:
    """Ask ``llm`` for a decision and drop fields the reply does not support.

    Raises :class:`cadenza.errors.LLMError` when the call or its validation fails.
    """
    decision = llm.structured(build_messages(text, subject=subject, sent=sent, language=language),
                              ReplyDecision).value
    lowered = text.lower()
    email = (decision.referral_email or "").strip().lower() or None
    return decision.model_copy(update={
        "return_date": _valid_date(decision.return_date),
        "follow_up_after": _valid_date(decision.follow_up_after),
        "referral_email": email if email and email in lowered else None,
    })


def _valid_date(value: str | None) -> str | None:
    if not value or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None
