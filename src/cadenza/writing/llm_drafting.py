"""The LLM drafter: the same contract as the template drafter, written by a model.

The system prompt is a stable prefix (role, rules, sender profile) identical for every prospect,
so providers can cache it; the prospect travels in the user message as delimited data, already
screened (sensitive and injected facts never reach the model). Signature and compliance footer
are appended by code, never trusted to the model, and the checker verifies the rest.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from cadenza.llm import LLM, ChatMessage
from cadenza.prompts import render
from cadenza.writing.composing import assemble_email, signature_block, tidy, to_html
from cadenza.writing.drafting import (
    LINKEDIN_MESSAGE_MAX_CHARS,
    TEMPLATES,
    Draft,
    DraftRequest,
    DraftUsage,
    fit_linkedin,
)
from cadenza.writing.facts import rank_facts, screen_facts
from cadenza.writing.fields import safe_field
from cadenza.writing.names import display_first_name, fix_field_case
from cadenza.writing.safety import clean_line
from cadenza.writing.sender_copy import sender_copy
from cadenza.writing.sequence import plan_sequence
from cadenza.writing.subjects import styled_subject

MAX_INPUT_TOKENS = 1500
CHARS_PER_TOKEN = 4
MAX_FACT_CHARS = 280
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish",
                  "pt": "Portuguese", "nl": "Dutch", "it": "Italian", "pl": "Polish",
                  "sv": "Swedish", "da": "Danish", "no": "Norwegian"}
#: Each step's job in the sequence (the template drafter's plan, :mod:`cadenza.writing.sequence`).
INSTRUCTIONS = {
    "email_opener": "the opener. Mention the planned fact (never paste it), write one bridge "
                    "sentence on why it makes the product relevant now, say concretely what the "
                    "product does (the planned value proposition), end with one low-friction "
                    "question.",
    "email_followup": "a short follow-up in the same thread (2-3 sentences) that adds one new "
                      "angle: the planned proof point as a sentence with the customer as its "
                      "subject, and the planned second fact if there is one; nothing from the "
                      "opener again; end with one question.",
    "email_value": "the last email: a different angle (the planned value proposition, not the "
                   "opener's), the planned proof point, and the meeting link as the only call "
                   "to action.",
    "email_breakup": "the last email: polite, short, no pressure, ask if you may check back "
                     "later.",
    "linkedin_connect": "a LinkedIn connection note: greeting, who you are and what you work on, "
                        "the planned fact in other words than the email, no pitch, no link.",
    "linkedin_message": "a short LinkedIn message: greeting, the planned fact, one value "
                        "proposition, one question.",
}


class LLMDraftOutput(BaseModel):
    """What the model must answer: reasoning first, then the draft and what it used."""

    reasoning: str = Field(description="which fact and angle, in one or two sentences")
    subject: str = Field(default="", description="email subject; empty for LinkedIn")
    body: str = Field(description="plain text, greeting included, no signature or footer")
    fact_ids: list[str] = Field(default_factory=list)
    proof_point_ids: list[str] = Field(default_factory=list)


def _estimate_tokens(*texts: str) -> int:
    return sum(len(t) for t in texts) // CHARS_PER_TOKEN + 1


class LLMDrafter:
    """Drafts with any :class:`~cadenza.llm.LLM`; one call per draft (re-asked on revision)."""

    def __init__(self, llm: LLM, *, max_input_tokens: int = MAX_INPUT_TOKENS) -> None:
        self.llm = llm
        self.name = f"llm:{llm.name}"
        self.max_input_tokens = max_input_tokens

    def messages(self, request: DraftRequest) -> list[ChatMessage]:
        """The prompt: a stable system prefix, then the prospect as delimited data."""
        sender = request.sender
        system = render("draft_system.j2", sender={
            "company": clean_line(sender.company),
            "product": clean_line(sender.product_name) or clean_line(sender.company),
            "description": clean_line(sender.product_description)[:600],
            "value_propositions": sender.value_propositions,
            "proof_points": sender.proof_points,
            "meeting_link": sender.meeting_link, "competitors": sender.competitors,
            "offers": clean_line(sender.policies.offers),
            "claims": clean_line(sender.policies.claims),
            "sender_name": " ".join(p for p in (sender.sender.first_name,
                                                sender.sender.last_name) if p) or "the sender",
            "sender_title": sender.sender.title or "sales",
        })
        ranked = rank_facts(request.prospect, sender, today=request.today,
                            screen=screen_facts(request.prospect, today=request.today,
                                                competitors=sender.competitors))
        fresh = [r for r in ranked if r.fact.id not in request.previous_fact_ids]
        ordered = fresh + [r for r in ranked if r not in fresh]
        facts: list[dict[str, Any]] = []
        ctx = self._user_context(request, facts)
        for rf in ordered:
            text = rf.fact.text if len(rf.fact.text) <= MAX_FACT_CHARS else rf.phrase
            if not text:
                continue
            facts.append({"id": rf.fact.id, "kind": rf.fact.kind,
                          "date": rf.fact.date.isoformat() if rf.fact.date else None,
                          "text": _neutralise(text[:MAX_FACT_CHARS])})
            if _estimate_tokens(system, render("draft_user.j2", **ctx)) > self.max_input_tokens:
                facts.pop()
                break
        return [ChatMessage("system", system),
                ChatMessage("user", render("draft_user.j2", **ctx))]

    def _plan(self, request: DraftRequest) -> str:
        """The step's part of the sequence plan, in a line the model reads: the same hooks,
        value propositions and proof points the template drafter would use."""
        copy = sender_copy(request.sender)
        plan = plan_sequence(request.prospect, request.sender, copy, today=request.today,
                             language="en", values=copy.values, proofs=copy.proofs)
        parts: list[str] = []
        lead, second = plan.lead, plan.second
        if request.template in ("email_opener", "linkedin_connect", "linkedin_message"):
            if lead is not None:
                parts.append(f"lead with fact {lead.fact_id} ({lead.parts.event})")
            else:
                parts.append("no fact is worth leading with: write from the role and company")
            if plan.value_lead is not None and request.template != "linkedin_connect":
                parts.append(f"value proposition {plan.value_lead.id}")
        elif request.template == "email_followup":
            if plan.proof_follow is not None:
                parts.append(f"proof point {plan.proof_follow.id}")
            if second is not None:
                parts.append(f"second fact {second.fact_id} ({second.parts.event})")
        else:
            if plan.value_last is not None:
                parts.append(f"value proposition {plan.value_last.id}")
            if plan.proof_last is not None and request.template == "email_value":
                parts.append(f"proof point {plan.proof_last.id}")
        return "; ".join(parts)

    def _user_context(self, request: DraftRequest, facts: list[dict[str, Any]]
                      ) -> dict[str, Any]:
        prospect = request.prospect
        company = safe_field(prospect.company, max_len=60)
        limit = (min(request.linkedin_note_limit, request.sender.policies.linkedin_note_max_chars)
                 if request.channel == "linkedin_connect" else LINKEDIN_MESSAGE_MAX_CHARS)
        return {
            "step": request.step_number, "channel": request.channel,
            "instructions": INSTRUCTIONS.get(request.template, INSTRUCTIONS["email_opener"]),
            "plan": self._plan(request),
            "examples": render(f"draft_examples/{request.template}.j2").strip(),
            "language": LANGUAGE_NAMES.get(request.lang, "English"),
            "max_words": request.sender.policies.email_max_words - 10, "max_chars": limit,
            "previous_subject": clean_line(request.previous_subject),
            "avoid_fact_ids": sorted(request.previous_fact_ids),
            "feedback": list(request.feedback)[:8],
            "prospect": {
                "first_name": display_first_name(prospect),
                "title": safe_field(prospect.title, max_len=50),
                "company": fix_field_case(company) if company else None,
                "industry": safe_field(prospect.industry, max_len=40),
            },
            "facts": facts,
        }

    def draft(self, request: DraftRequest) -> Draft:
        if request.template not in TEMPLATES.get(request.channel, frozenset()):
            raise ValueError(f"template {request.template!r} does not draft channel "
                             f"{request.channel!r}")
        answer = self.llm.structured(self.messages(request), LLMDraftOutput)
        out, lang = answer.value, request.lang
        usage = DraftUsage(input_tokens=answer.usage.input_tokens,
                           output_tokens=answer.usage.output_tokens,
                           cached_tokens=answer.usage.cached_tokens)
        common = {"fact_ids": list(dict.fromkeys(out.fact_ids)),
                  "proof_point_ids": list(dict.fromkeys(out.proof_point_ids)),
                  "template": request.template, "drafter": self.name, "language": lang,
                  "usage": usage}
        if request.channel == "email":
            main = _strip_signoff(tidy(out.body), request)
            subject = tidy(out.subject).strip()
            if request.template == "email_followup" and request.previous_subject:
                subject = "Re: " + request.previous_subject.removeprefix("Re: ")
            subject = styled_subject(subject, request.subject_style, request.prospect)
            body = assemble_email(main, request.sender, lang)
            return Draft(channel="email", subject=subject, body=body, html=to_html(body),
                         **common)
        limit = (min(request.linkedin_note_limit, request.sender.policies.linkedin_note_max_chars)
                 if request.channel == "linkedin_connect" else LINKEDIN_MESSAGE_MAX_CHARS)
        text = tidy(out.body)
        if len(text) > limit:  # drop whole sentences, never cut a word
            sentences = re.split(r"(?<=[.!?])\s+", text.replace("\n", " "))
            text, _ = fit_linkedin(sentences[:1] + ["~" + s for s in sentences[1:]], limit)
        return Draft(channel=request.channel, subject=None, body=text, html=None, **common)


def _neutralise(text: str) -> str:
    """Data may not close the data block or open a new one."""
    return text.replace("<", "‹").replace(">", "›")


def _strip_signoff(main: str, request: DraftRequest) -> str:
    """Drop a signature the model wrote anyway (code appends the real one)."""
    signature = signature_block(request.sender, request.lang)
    first_line = signature.split("\n", 1)[0]
    idx = main.rfind("\n" + first_line)
    return main[:idx].rstrip() if idx > 0 else main
