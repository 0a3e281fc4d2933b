"""Draft the agent-owned steps of a playbook for a batch of prospects (no sending): what
``cadenza eval drafts`` and ``cadenza bench eval_drafts`` run.

Every draft goes through the touch graph's own draft → check → revise loop
(:mod:`cadenza.writing.revising`), so a record is what production would have drafted; a draft
that still fails after its revisions comes back ``held`` with ``check_failed:<check>``, never
``drafted``. What is the batch's own: iterating prospects × steps, eligibility (invalid,
duplicate, suppressed, role, webmail and consent rules decided for the whole file at once), the
earlier steps a follow-up builds on, and the records.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from cadenza.agent.eligibility import Eligibility, check_eligibility
from cadenza.errors import LLMError
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.deferral import defer_reason
from cadenza.writing.drafting import (
    DRAFT_CHANNELS,
    DraftChannel,
    Drafter,
    DraftRequest,
    TemplateDrafter,
)
from cadenza.writing.revising import DraftOutcome, draft_checked, held_reason, step_request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepSpec:
    """One playbook step as the drafter sees it (the playbook module maps its steps onto this)."""

    number: int
    channel: str
    template: str | None
    owner: Literal["agent", "rep"] = "agent"


class DraftRecord(BaseModel):
    """One line of ``drafts.jsonl`` (``shared/formats.md``)."""

    prospect_id: str
    step: int
    channel: str
    status: Literal["drafted", "held", "skipped"]
    to: str | None = None
    subject: str | None = None
    body: str | None = None
    html: str | None = None
    fact_ids: list[str] = Field(default_factory=list)
    checks: dict[str, bool] = Field(default_factory=dict)
    reason: str | None = None
    proof_point_ids: list[str] = Field(default_factory=list)
    template: str | None = None
    drafter: str | None = None
    language: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    revisions: int = 0
    note: str | None = None
    #: The checker's reasons behind each failed check (why a held draft is held).
    problems: list[str] = Field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        """The public fields of the drafts.jsonl line, in the documented order."""
        return self.model_dump(include={"prospect_id", "step", "channel", "status", "to",
                                        "subject", "body", "html", "fact_ids", "checks",
                                        "reason"})


def draft_batch(prospects: list[ProspectIn], sender: SenderProfile, steps: list[StepSpec], *,
                drafter: Drafter | None = None, today: dt.date,
                suppressed: Iterable[str] = frozenset(), linkedin_note_limit: int = 300,
                max_revisions: int = 2,
                consent_required_countries: frozenset[str] = frozenset()) -> list[DraftRecord]:
    """The drafts.jsonl records for every prospect and agent-owned draftable step.

    Steps owned by a rep, and agent steps on channels Cadenza does not draft (calls, manual
    tasks), produce no record. Prospect-level skips (invalid address, duplicate, suppressed,
    role account) apply to every step; a personal webmail address holds every step for review.
    ``consent_required_countries`` holds emails to countries whose law requires prior consent
    for B2B cold email (e.g. ``{"DE"}``) with reason ``consent_required``.
    """
    drafter = drafter or TemplateDrafter()
    agent_steps = [s for s in steps if s.owner == "agent" and s.channel in DRAFT_CHANNELS
                   and s.template]
    eligibility = check_eligibility(prospects, suppressed=suppressed)
    records: list[DraftRecord] = []
    for prospect in prospects:
        elig = eligibility[prospect.id]
        # decided once per prospect, as the live graph's guard decides it: a deferred prospect
        # has every step held, never a later one written as a normal follow-up
        deferred = defer_reason(prospect, today=today, competitors=sender.competitors)
        first_subject: str | None = None
        used: set[str] = set()
        mailed: set[str] = set()  # the facts of emails that may go out
        bodies: list[str] = []
        emailed = False
        for step in agent_steps:
            record = _draft_step(
                prospect, sender, step, elig, drafter=drafter, max_revisions=max_revisions,
                today=today, previous_subject=first_subject, used=frozenset(used),
                emailed=emailed, mailed=frozenset(mailed),
                linkedin_note_limit=linkedin_note_limit, bodies=tuple(bodies), deferred=deferred,
                consent_required=(prospect.country or "").upper() in consent_required_countries,
            )
            records.append(record)
            if record.status != "skipped":
                used.update(record.fact_ids)
                if record.status == "drafted" and record.body:
                    bodies.append(record.body)
                # only a draft that may go out counts as mail the prospect has: after a held
                # opener the next email is written as a first touch, not as its follow-up
                if record.channel == "email" and record.status == "drafted":
                    emailed = True
                    mailed.update(record.fact_ids)
                    if first_subject is None and record.subject:
                        first_subject = record.subject
    return records


def _draft_step(prospect: ProspectIn, sender: SenderProfile, step: StepSpec, elig: Eligibility,
                *, drafter: Drafter, max_revisions: int, today: dt.date,
                previous_subject: str | None, used: frozenset[str], emailed: bool,
                mailed: frozenset[str],
                linkedin_note_limit: int, consent_required: bool,
                bodies: tuple[str, ...] = (), deferred: str | None = None) -> DraftRecord:
    channel: DraftChannel = step.channel  # type: ignore[assignment]
    base = {"prospect_id": prospect.id, "step": step.number, "channel": channel,
            "template": step.template}
    if elig.status == "skipped":
        return DraftRecord(**base, status="skipped", reason=elig.reason)
    if channel == "email":
        to = elig.address
    else:
        to = (prospect.linkedin_url or "").strip() or None
        if not to or not to.lower().startswith(("https://", "http://")) or any(
                c.isspace() for c in to):
            return DraftRecord(**base, status="skipped", reason="no_linkedin_url")
    request = step_request(
        prospect=prospect, sender=sender, step=step.number, channel=channel,
        template=step.template or "", today=today, previous_subject=previous_subject,
        previous_fact_ids=used, emailed_before=emailed, linkedin_note_limit=linkedin_note_limit,
        mailed_fact_ids=mailed,
        previous_bodies=bodies,
    )
    outcome = _draft_checked(request, drafter=drafter, max_revisions=max_revisions)
    draft, report = outcome.draft, outcome.report
    status: Literal["drafted", "held"] = "drafted"
    reason: str | None = None
    if deferred is not None:
        status, reason = "held", held_reason([deferred])
    elif not outcome.passed:
        status, reason = "held", outcome.held_reason
    elif elig.status == "held":
        status, reason = "held", elig.reason
    elif consent_required and channel == "email":
        status, reason = "held", "consent_required"
    return DraftRecord(
        **base, status=status, to=to, subject=draft.subject, body=draft.body, html=draft.html,
        fact_ids=draft.fact_ids, checks=report.checks, reason=reason,
        proof_point_ids=draft.proof_point_ids, drafter=draft.drafter, language=draft.language,
        input_tokens=draft.usage.input_tokens, output_tokens=draft.usage.output_tokens,
        revisions=outcome.revisions, note=draft.note, problems=report.reasons,
    )


def _draft_checked(request: DraftRequest, *, drafter: Drafter,
                   max_revisions: int) -> DraftOutcome:
    """The loop with the configured drafter; when that drafter fails (an LLM endpoint down),
    the offline drafter drafts the record instead, so one outage does not sink a whole
    evaluation run (the record's ``drafter`` says which drafted it). In production the same
    failure is retried by the graph's ``draft`` node, then fails the touch for a person."""
    try:
        return draft_checked(request, drafter=drafter, max_revisions=max_revisions)
    except LLMError as exc:
        if isinstance(drafter, TemplateDrafter):
            raise
        log.warning("drafter %s failed (%s); drafting %s step %s with the template drafter",
                    drafter.name, exc, request.prospect.id, request.step_number)
        return draft_checked(request, drafter=TemplateDrafter(), max_revisions=max_revisions)
