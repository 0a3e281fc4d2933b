"""Drafting a touch: the request, the draft, the drafter interface and the offline drafter.

The agent graph, ``cadenza eval drafts`` and the batch runner all depend on :class:`Drafter`
only. :class:`TemplateDrafter` is the offline default: the four touches planned as one
sequence (:mod:`cadenza.writing.sequence`) from hooks read out of the prospect's screened facts
(:mod:`cadenza.writing.hooks`) and the sender's copy turned into sentence parts
(:mod:`cadenza.writing.sender_copy`), said by jinja2 templates per language with phrasings
chosen per prospect and step, never writing a fact that is not in the prospect's record. The
LLM drafter lives in :mod:`cadenza.writing.llm_drafting`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from cadenza.prompts import render
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.composing import assemble_email, elide, tidy, to_html
from cadenza.writing.draft_context import build_context, used_fact_ids, used_proof_ids
from cadenza.writing.dutch import formal, sender_says_u
from cadenza.writing.german import letter_case
from cadenza.writing.language import SUPPORTED_LANGUAGES, normalize_language, raw_language
from cadenza.writing.portuguese import european, wants_european
from cadenza.writing.sender_copy import copy_language, sender_copy
from cadenza.writing.sequence import plan_sequence
from cadenza.writing.subjects import fitted_subject, styled_subject

DraftChannel = Literal["email", "linkedin_connect", "linkedin_message"]
DRAFT_CHANNELS: tuple[str, ...] = ("email", "linkedin_connect", "linkedin_message")
#: Templates the agent drafts, per channel (the playbook schema names the same set).
TEMPLATES: dict[str, frozenset[str]] = {
    "email": frozenset({"email_opener", "email_followup", "email_value", "email_breakup"}),
    "linkedin_connect": frozenset({"linkedin_connect"}),
    "linkedin_message": frozenset({"linkedin_message"}),
}
LINKEDIN_MESSAGE_MAX_CHARS = 1000


@dataclass(frozen=True)
class DraftRequest:
    """Everything a drafter needs for one touch; ``attempt``/``feedback`` drive revisions."""

    prospect: ProspectIn
    sender: SenderProfile
    step_number: int
    channel: DraftChannel
    template: str
    today: dt.date
    previous_subject: str | None = None
    previous_fact_ids: frozenset[str] = frozenset()
    #: the facts of the emails the prospect was sent (a note may say it wrote about one)
    mailed_fact_ids: frozenset[str] = frozenset()
    linkedin_note_limit: int = 300
    language: str | None = None
    emailed_before: bool = False
    attempt: int = 0
    feedback: tuple[str, ...] = ()
    #: the subject line's style (an A/B variant's; :mod:`cadenza.writing.subjects`)
    subject_style: str = "template"
    #: the bodies of the sequence's earlier touches (checked: no sentence is said twice)
    previous_bodies: tuple[str, ...] = ()

    @property
    def lang(self) -> str:
        """The draft language: the request's, else the prospect's, else English."""
        return normalize_language(self.language or self.prospect.language)


class DraftUsage(BaseModel):
    """LLM tokens spent on a draft (zero for templates)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0


class Draft(BaseModel):
    """One drafted touch, ready for the checker."""

    channel: DraftChannel
    subject: str | None = None
    body: str
    html: str | None = None
    fact_ids: list[str] = Field(default_factory=list)
    proof_point_ids: list[str] = Field(default_factory=list)
    template: str
    drafter: str
    language: str = "en"
    usage: DraftUsage = Field(default_factory=DraftUsage)
    #: Said to the person reviewing the draft, never to the prospect ("written in English:
    #: the sender has no German copy").
    note: str | None = None


class Drafter(Protocol):
    """Turns a :class:`DraftRequest` into a :class:`Draft`.

    Contract: use only facts from the prospect's record (and list their ids), only proof points
    of the sender (and list their ids); emails carry the signature and compliance footer of
    :mod:`cadenza.writing.composing`; a revision request (``attempt > 0``) must change the draft.
    """

    name: str

    def draft(self, request: DraftRequest) -> Draft:
        ...


def fit_linkedin(lines: list[str], limit: int) -> tuple[str, bool]:
    """Join a note's sentences, dropping optional ones until it fits ``limit``.

    A template marks a sentence optional with ``~`` and the sentence that carries the fact with
    ``@``; the second value says whether the fact sentence survived (so ``fact_ids`` stay true).
    Whole sentences are dropped from the end; a word is never cut.
    """
    items: list[tuple[bool, bool, str]] = []
    for line in lines:
        optional = line.startswith("~")
        line = line.lstrip("~")
        factual = line.startswith("@")
        text = line.lstrip("@").strip()
        if text:
            items.append((optional, factual, text))

    def joined(parts: list[tuple[bool, bool, str]]) -> str:
        # The greeting stands on its own line, as a person types a note.
        head = parts[0][2] if parts else ""
        rest = tidy(" ".join(text for _, _, text in parts[1:]))
        return f"{head}\n{rest}" if rest else head

    while len(joined(items)) > limit and any(opt for opt, _, _ in items):
        items.pop(max(i for i, (opt, _, _) in enumerate(items) if opt))
    while len(joined(items)) > limit and len(items) > 1:
        items.pop(-1)
    return joined(items), any(factual for _, factual, _ in items)


class TemplateDrafter:
    """The offline drafter: the sequence plan, said by the templates in
    ``prompts/drafts/<language>/``.

    A draft is in the prospect's language when Cadenza has templates for it. Without the
    sender's copy in that language (``localized`` value propositions or description) it says
    what the sender does only by what needs no translation — the product's name and the
    prospect's own facts — and its ``note`` says so: reviewers rated English with an apology
    to a German prospect 1–2 out of 5. A language without templates gets English, with no
    apology, and a ``note``.
    """

    name = "template"

    def draft(self, request: DraftRequest) -> Draft:
        if request.template not in TEMPLATES.get(request.channel, frozenset()):
            raise ValueError(f"template {request.template!r} does not draft channel "
                             f"{request.channel!r}")
        copy = sender_copy(request.sender)
        template = opening_template(request)
        wanted = raw_language(request.language or request.prospect.language)
        lang = wanted if wanted in SUPPORTED_LANGUAGES else "en"
        note = None if lang == wanted else f"written in English: no {wanted} templates"
        if lang != "en" and not copy_language(copy, lang):
            # greeting, frames, asks and sign-off in the prospect's language; the sender is
            # said by what needs no translation (product name, the prospect's own facts)
            note = f"the sender has no {lang} copy: its value propositions are left out"
        values = copy.values if lang == "en" else copy.localized_values.get(lang, ())
        proofs = copy.proofs if lang == "en" else copy.localized_proofs.get(lang, ())
        plan = plan_sequence(request.prospect, request.sender, copy, today=request.today,
                             language=lang, values=values, proofs=proofs,
                             attempt=request.attempt)
        ctx = build_context(prospect=request.prospect, sender=request.sender, copy=copy,
                            plan=plan, template=template, step=request.step_number,
                            language=lang, fallback_from=wanted if lang != wanted else "",
                            previous_subject=request.previous_subject,
                            emailed=request.emailed_before, planned=request.template,
                            used_fact_ids=request.previous_fact_ids,
                            mailed_fact_ids=request.mailed_fact_ids)
        text = elide(render(f"drafts/{lang}/{template}.j2", **ctx), lang)
        if wants_european(lang, request.prospect.country):
            text = european(text)  # Portugal is not Brazil
        if lang == "nl" and sender_says_u(copy):
            text = formal(text)  # one register: the sender's copy says "u"
        if lang == "de":
            text = letter_case(text)  # "Guten Tag …,\n\nich melde mich …"
        fact_ids = used_fact_ids(ctx)
        proof_ids = used_proof_ids(ctx, text)
        if request.channel == "email":
            lines = text.strip().split("\n")
            subject = ""
            if lines and lines[0].lower().startswith("subject:"):
                subject = tidy(lines.pop(0).split(":", 1)[1])
            if template == "email_followup" and ctx["previous_subject"]:
                subject = "Re: " + ctx["previous_subject"].removeprefix("Re: ")
            subject = fitted_subject(styled_subject(subject, request.subject_style,
                                                    request.prospect))
            body = assemble_email(_paragraphs("\n".join(lines)), request.sender, lang)
            if wants_european(lang, request.prospect.country):
                body = european(body)  # the sign-off and footer too
            return Draft(channel="email", subject=subject, body=body, html=to_html(body),
                         fact_ids=fact_ids, proof_point_ids=proof_ids, template=template,
                         drafter=self.name, language=lang, note=note)
        limit = (min(request.linkedin_note_limit, request.sender.policies.linkedin_note_max_chars)
                 if request.channel == "linkedin_connect" else LINKEDIN_MESSAGE_MAX_CHARS)
        body, fact_kept = fit_linkedin(text.strip().split("\n"), limit)
        used_facts = fact_ids if fact_kept else []
        return Draft(channel=request.channel, subject=None, body=body, html=None,
                     fact_ids=used_facts, proof_point_ids=proof_ids, template=request.template,
                     drafter=self.name, language=lang, note=note)


def opening_template(request: DraftRequest) -> str:
    """The template a touch is written with: a later email whose prospect has been sent no
    email yet (the opener was held, rejected or skipped) is written as a first touch, since
    "a quick addition to my last email" would refer to a mail the prospect never got. (A
    previous subject is only ever passed for mail that was sent.)"""
    if request.channel == "email" and request.template != "email_opener" \
            and not (request.emailed_before or request.previous_subject):
        return "email_opener"
    return request.template


def _paragraphs(text: str) -> str:
    """Template output as paragraphs: lines inside a paragraph join with a space."""
    paras = [" ".join(p.split("\n")) for p in tidy(text).split("\n\n")]
    return "\n\n".join(tidy(p) for p in paras if p.strip())
