"""Reply intents and the classification record (the public ``classify`` format)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Intent = Literal[
    "interested", "meeting_request", "question", "referral", "not_now", "not_interested",
    "unsubscribe", "out_of_office", "auto_reply", "bounce", "unclear",
]
LABELED_INTENTS: tuple[str, ...] = (
    "interested", "meeting_request", "question", "referral", "not_now", "not_interested",
    "unsubscribe", "out_of_office", "auto_reply", "bounce",
)
POSITIVE_INTENTS: frozenset[str] = frozenset({"interested", "meeting_request", "question"})
#: What a positive reply must never be read as: a no, an opt-out, an absence, a machine.
NEGATIVE_READINGS: frozenset[str] = frozenset({"not_interested", "not_now", "unsubscribe",
                                               "out_of_office", "auto_reply", "bounce"})


def costly_if(predicted: str) -> frozenset[str]:
    """The true intents that make acting on ``predicted`` a costly error.

    Acting on an opt-out that was none loses a prospect for good; acting on anything else
    when the reply was an opt-out breaks the law and the brand; reading a positive reply as a
    no, an absence or a machine loses a meeting. Other mistakes (interest read as a question)
    still reach a person through the handoff, so they cost little.
    """
    if predicted == "unsubscribe":
        return frozenset(LABELED_INTENTS) - {"unsubscribe"}
    if predicted in NEGATIVE_READINGS:
        return POSITIVE_INTENTS | {"unsubscribe"}
    return frozenset({"unsubscribe"})


class Classification(BaseModel):
    """What a reply means, how sure we are, and the fields extracted from it."""

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    return_date: str | None = None
    follow_up_after: str | None = None
    referral_email: str | None = None
    bounce: Literal["hard", "soft"] | None = None
    language: str | None = None
    reason: str = ""
    method: str = ""
    # Added by the reply pipeline; optional so existing producers stay valid.
    policy_block: bool = False  # a 5.7.x bounce: our mailbox's problem, alert, keep the prospect
    complaint: bool = False  # an RFC 5965 feedback report (spam complaint)
    original_message_id: str | None = None  # the bounced/complained-about message of ours
    referral_name: str | None = None
    successor_email: str | None = None  # suggested by a left-the-company auto-reply
    own_message: bool = False  # our own sent copy: never a reply
