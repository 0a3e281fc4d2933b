"""Drafting a touch: the request, the draft, the drafter interface and the offline drafter.

The agent graph, ``cadenza eval drafts`` and the batch runner all depend on :class:`Drafter`
only. :class:`TemplateDrafter` is the offline default: jinja2 templates per language, filled from
screened and ranked facts, phrased in one of several variants chosen by a hash of the prospect
and step (so fifty drafts do not read like one mail merge), and it never writes a fact that is
not in the prospect's record. The LLM drafter lives in :mod:`cadenza.writing.llm_drafting`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from cadenza.prompts import render
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.composing import assemble_email, elide, tidy, to_html
from cadenza.writing.facts import RankedFact, rank_facts, screen_facts
from cadenza.writing.fields import safe_field
from cadenza.writing.language import detect_language, normalize_language
from cadenza.writing.names import display_first_name, fix_field_case
from cadenza.writing.safety import clean_line
from cadenza.writing.subjects import styled_subject


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NAME_WORD = re.compile(r"[^\W_][\w'’&-]*")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:])\s+|\n+")

DraftChannel = Literal["email", "linkedin_connect", "linkedin_message"]
DRAFT_CHANNELS: tuple[str, ...] = ("email", "linkedin_connect", "linkedin_message")
#: Templates the agent drafts, per channel (the playbook schema names the same set).
TEMPLATES: dict[str, frozenset[str]] = {
    "email": frozenset({"email_opener", "email_followup", "email_value", "email_breakup"}),
    "linkedin_connect": frozenset({"linkedin_connect"}),
    "linkedin_message": frozenset({"linkedin_message"}),
}
VARIANTS = 3
LINKEDIN_MESSAGE_MAX_CHARS = 1000
_VP_VERBS = _words(
    "cut reduce help automate save find get book turn make speed increase improve eliminate "
    "boost grow scale track keep give let build stop avoid lower shorten simplify unify "
    "centralize centralise connect replace run manage hit close win ship spot catch "
    "forecast plan route optimize optimise"
)


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
    linkedin_note_limit: int = 300
    language: str | None = None
    emailed_before: bool = False
    attempt: int = 0
    feedback: tuple[str, ...] = ()
    #: the subject line's style (an A/B variant's; :mod:`cadenza.writing.subjects`)
    subject_style: str = "template"

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


class Drafter(Protocol):
    """Turns a :class:`DraftRequest` into a :class:`Draft`.

    Contract: use only facts from the prospect's record (and list their ids), only proof points
    of the sender (and list their ids); emails carry the signature and compliance footer of
    :mod:`cadenza.writing.composing`; a revision request (``attempt > 0``) must change the draft.
    """

    name: str

    def draft(self, request: DraftRequest) -> Draft:
        ...


@dataclass
class FactChoice:
    """The fact a draft leads with, and the facts it may not reuse."""

    chosen: RankedFact | None
    candidates: list[RankedFact] = field(default_factory=list)


def variant_for(prospect_id: str, step: int, attempt: int = 0) -> int:
    """A stable phrasing index per prospect and step, moved on by each revision."""
    digest = hashlib.sha256(f"{prospect_id}:{step}".encode()).digest()
    return (digest[0] + attempt) % VARIANTS


def choose_fact(request: DraftRequest) -> FactChoice:
    """The best fact not used by earlier steps (when another exists); none after 2 attempts."""
    screen = screen_facts(request.prospect, today=request.today,
                          competitors=request.sender.competitors)
    ranked = rank_facts(request.prospect, request.sender, today=request.today, screen=screen)
    fresh = [r for r in ranked if r.fact.id not in request.previous_fact_ids]
    pool = fresh or ([] if request.template == "email_followup" else ranked)
    if request.attempt >= 2 or not pool:
        return FactChoice(None, pool)
    return FactChoice(pool[min(request.attempt, len(pool) - 1)], pool)


def _same_language(text: str, lang: str) -> bool:
    detected = detect_language(text)
    return detected == lang or (lang == "en" and detected is None)


def _proof_point(request: DraftRequest, lang: str, variant: int) -> tuple[str, str] | None:
    points = [pp for pp in request.sender.proof_points
              if clean_line(pp.text) and _same_language(pp.text, lang)]
    if not points:
        return None
    pp = points[(request.step_number + variant) % len(points)]
    return pp.id, clean_line(pp.text).rstrip(".")


def build_context(request: DraftRequest, choice: FactChoice) -> dict[str, Any]:
    """The variables every template gets; only cleaned values, ``None`` when unusable."""
    lang = request.lang
    sender, prospect = request.sender, request.prospect
    variant = variant_for(prospect.id, request.step_number, request.attempt)
    raw_company = safe_field(prospect.company, max_len=60)
    company = fix_field_case(raw_company) if raw_company else None
    fact: dict[str, Any] | None = None
    if choice.chosen is not None:
        rf = choice.chosen
        quotable = (lang != "en" and rf.language == lang and not rf.mentions_prospect
                    and 0 < len(rf.phrase.split()) <= 18)
        fact = {
            "id": rf.fact.id, "kind": rf.fact.kind, "recent": rf.recent,
            "clause": (rf.clause_en or "") if lang == "en" else "",
            "text": _lower_article(rf.phrase, lang) if quotable else "",
        }
    vps = [vp for vp in sender.value_propositions
           if clean_line(vp.text) and _same_language(vp.text, lang)]
    vp_text = clean_line(vps[(request.step_number + variant) % len(vps)].text).rstrip(".") \
        if vps else ""
    vp_first = vp_text.split(" ", 1)[0].lower() if vp_text else ""
    vp_form = ("verb" if vp_first in _VP_VERBS else
               "verb_s" if vp_first.endswith("s") and vp_first[:-1] in _VP_VERBS else "np")
    proof = _proof_point(request, lang, variant) if request.template != "email_opener" else None
    proof_text, proof_we = _proof_clause(proof[1], sender) if proof else ("", False)
    title = safe_field(prospect.title, max_len=50)
    if title and title.isupper():
        title = fix_field_case(title)
    industry = safe_field(prospect.industry, max_len=40)
    return {
        "name": display_first_name(prospect),
        "company": company,
        "company_short": company if company and len(company) <= 28 else None,
        "title": title,
        "industry": industry.lower() if industry and industry.isupper() else industry,
        "fact": fact,
        "variant": variant,
        "step": request.step_number,
        "product": clean_line(sender.product_name) or clean_line(sender.company),
        "sender_company": clean_line(sender.company),
        "sender_first": clean_line(sender.sender.first_name),
        "vp": _lower_first(vp_text, sender),
        "vp_form": vp_form,
        "proof": proof_text,
        "proof_we": proof_we,
        "proof_id": proof[0] if proof else "",
        "meeting_link": sender.meeting_link.strip(),
        "cta": "link" if (sender.meeting_link.strip() and request.template == "email_value")
        else "question",
        "previous_subject": clean_line(request.previous_subject),
        "emailed": request.emailed_before,
    }


def _lower_first(text: str, sender: SenderProfile) -> str:
    """Lower-case the first letter for a clause spliced into a sentence, unless the first word
    is a name (:func:`_name_like`)."""
    first = text.split(" ", 1)[0] if text else ""
    if not first or _name_like(first, sender):
        return text
    return text[:1].lower() + text[1:]


def _name_like(word: str, sender: SenderProfile) -> bool:
    """An acronym or mixed-case word ("NPS", "HubSpot"), or a word the sender's profile writes
    capitalised where it is not the start of a sentence (a customer, a product, a place)."""
    if sum(c.isupper() for c in word) > 1:
        return True
    if not word[:1].isupper():
        return False
    bare = word.rstrip(",;:").removesuffix("'s").removesuffix("’s")
    return bare in _profile_names(sender)


def _profile_names(sender: SenderProfile) -> set[str]:
    """The capitalised words of the sender's profile that are names, not sentence starts."""
    names = set(_NAME_WORD.findall(" ".join(
        [sender.company, sender.product_name, *sender.competitors,
         *(pp.customer for pp in sender.proof_points)])))
    prose = [sender.product_description, *(pp.text for pp in sender.proof_points),
             *(vp.text for vp in sender.value_propositions)]
    for sentence in _SENTENCE_BREAK.split("\n".join(prose)):
        names.update(w for w in _NAME_WORD.findall(sentence)[1:] if w[:1].isupper())
    return names


def _proof_clause(text: str, sender: SenderProfile) -> tuple[str, bool]:
    """A proof point as the drafter splices it, and whether it reads after "we".

    "Raised NPS by 20 points" reads "we raised NPS by 20 points" (sentence case after "we");
    a proof point that starts with a name ("Salesforce …", "United Airlines cut …") or an
    acronym never follows "we" and keeps its case.
    """
    first = text.split(" ", 1)[0]
    if not _starts_with_past_verb(text) or _name_like(first, sender):
        return text, False
    return text[:1].lower() + text[1:], True


def _lower_article(text: str, lang: str) -> str:
    """"A Rotafrete captou …" reads "a Rotafrete captou …" after "Vi que"."""
    articles = {"fr": ("Le ", "La ", "Les ", "L'", "Un ", "Une "),
                "es": ("El ", "La ", "Los ", "Las ", "Un ", "Una "),
                "pt": ("A ", "O ", "As ", "Os ", "Um ", "Uma ")}
    for art in articles.get(lang, ()):
        if text.startswith(art):
            return art.lower() + text[len(art):]
    return text


def _starts_with_past_verb(text: str) -> bool:
    first = text.split(" ", 1)[0].lower()
    return first.endswith("ed") or first in {"cut", "grew", "won", "built", "made", "took",
                                             "brought", "kept", "sped", "saw"}


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
    """The offline drafter: jinja2 templates in ``prompts/drafts/<language>/``."""

    name = "template"

    def draft(self, request: DraftRequest) -> Draft:
        if request.template not in TEMPLATES.get(request.channel, frozenset()):
            raise ValueError(f"template {request.template!r} does not draft channel "
                             f"{request.channel!r}")
        lang = request.lang
        choice = choose_fact(request)
        ctx = build_context(request, choice)
        text = elide(render(f"drafts/{lang}/{request.template}.j2", **ctx), lang)
        fact_ids = [ctx["fact"]["id"]] if ctx["fact"] else []
        proof_ids = [ctx["proof_id"]] if ctx["proof_id"] and ctx["proof"] in text else []
        if request.channel == "email":
            lines = text.strip().split("\n")
            subject = ""
            if lines and lines[0].lower().startswith("subject:"):
                subject = tidy(lines.pop(0).split(":", 1)[1])
            if request.template == "email_followup" and ctx["previous_subject"]:
                subject = "Re: " + ctx["previous_subject"].removeprefix("Re: ")
            subject = styled_subject(subject, request.subject_style, request.prospect)
            body = assemble_email(_paragraphs("\n".join(lines)), request.sender, lang)
            return Draft(channel="email", subject=subject, body=body, html=to_html(body),
                         fact_ids=fact_ids, proof_point_ids=proof_ids, template=request.template,
                         drafter=self.name, language=lang)
        limit = (min(request.linkedin_note_limit, request.sender.policies.linkedin_note_max_chars)
                 if request.channel == "linkedin_connect" else LINKEDIN_MESSAGE_MAX_CHARS)
        body, fact_kept = fit_linkedin(text.strip().split("\n"), limit)
        used_facts = fact_ids if fact_kept else []
        return Draft(channel=request.channel, subject=None, body=body, html=None,
                     fact_ids=used_facts, proof_point_ids=proof_ids, template=request.template,
                     drafter=self.name, language=lang)



def _paragraphs(text: str) -> str:
    """Template output as paragraphs: lines inside a paragraph join with a space."""
    paras = [" ".join(p.split("\n")) for p in tidy(text).split("\n\n")]
    return "\n\n".join(tidy(p) for p in paras if p.strip())
