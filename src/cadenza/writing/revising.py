"""The draft → check → revise loop, written once: what a step's request is, what each attempt
drafts, what a check decides, and why a draft is held.

Two drivers run these steps and nothing else: the touch graph, whose ``draft``, ``check`` and
``revise`` nodes call :func:`draft_attempt` and :func:`judge` (checkpointed, the draft retried
on a transient drafter error), and :func:`draft_checked`, the same loop in process for
``cadenza eval drafts`` — so the eval measures what production sends
(``tests/agent/test_draft_parity.py`` holds them to it).

A failing draft is revised with ``attempt + 1`` and the checker's reasons as feedback (the
template drafter moves to another phrasing or fact, then to its factless fallback; the LLM
drafter is re-asked with the failures listed), at most ``max_revisions`` times; a draft that
still fails is held for a person (``check_failed:<check>``), never sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.checker import CheckReport, check_draft
from cadenza.writing.deferral import defer_note, defer_reason
from cadenza.writing.drafting import Draft, DraftChannel, Drafter, DraftRequest

Next = Literal["pass", "revise", "hold"]


def step_request(*, prospect: ProspectIn, sender: SenderProfile, step: int,
                 channel: DraftChannel, template: str, today: dt.date,
                 previous_subject: str | None, previous_fact_ids: frozenset[str],
                 emailed_before: bool, linkedin_note_limit: int,
                 subject_style: str = "template",
                 previous_bodies: tuple[str, ...] = (),
                 mailed_fact_ids: frozenset[str] = frozenset()) -> DraftRequest:
    """The loop's input for one step, built alike for a touch and for an eval record: only an
    email continues the thread of an earlier subject (a LinkedIn note has none). An A/B
    variant's template, channel and subject style arrive here already chosen."""
    return DraftRequest(
        prospect=prospect, sender=sender, step_number=step, channel=channel,
        template=template, today=today,
        previous_subject=previous_subject if channel == "email" else None,
        previous_fact_ids=previous_fact_ids, linkedin_note_limit=linkedin_note_limit,
        emailed_before=emailed_before, subject_style=subject_style,
        previous_bodies=previous_bodies, mailed_fact_ids=mailed_fact_ids,
    )


def draft_attempt(drafter: Drafter, request: DraftRequest, *, attempt: int,
                  feedback: Sequence[str] = ()) -> Draft:
    """Attempt ``attempt`` of the step: the first as asked, a revision with its number and the
    previous draft's failures (the checker's reasons) as feedback."""
    if attempt:
        request = dataclasses.replace(request, attempt=attempt, feedback=tuple(feedback))
    return drafter.draft(request)


@dataclass(frozen=True)
class Verdict:
    """What the checker found, and where the loop goes next."""

    report: CheckReport
    next: Next


def judge(draft: Draft, request: DraftRequest, *, attempt: int, max_revisions: int) -> Verdict:
    """Check ``draft``: it passes, or is revised while revisions remain, else it is held.

    A prospect whose record is dominated by sensitive or private facts (layoffs and an
    illness, a lawsuit and a divorce) is deferred to a person at once, whatever the draft
    says: no revision can make that judgement (``check_failed:sensitive_record``).
    """
    report = check_draft(draft, prospect=request.prospect, sender=request.sender,
                         request=request)
    deferred = defer_reason(request.prospect, today=request.today,
                            competitors=request.sender.competitors)
    if deferred is not None:
        # first, so that it is the reason the draft is held
        report.checks = {deferred: False, **report.checks}
        report.reasons.insert(0, defer_note(request.prospect, today=request.today,
                                            competitors=request.sender.competitors))
        return Verdict(report, "hold")
    if report.passed:
        return Verdict(report, "pass")
    return Verdict(report, "revise" if attempt < max_revisions else "hold")


def held_reason(failures: Sequence[str]) -> str:
    """Why a draft that never passed is held: its first failed check."""
    return f"check_failed:{failures[0]}"


@dataclass(frozen=True)
class DraftOutcome:
    """The loop's last draft, its check report and how many revisions it took."""

    draft: Draft
    report: CheckReport
    revisions: int

    @property
    def passed(self) -> bool:
        return self.report.passed

    @property
    def held_reason(self) -> str | None:
        return None if self.report.passed else held_reason(self.report.failures)


def draft_checked(request: DraftRequest, *, drafter: Drafter,
                  max_revisions: int = 2) -> DraftOutcome:
    """The loop in process: the same steps, in the same order, as the touch graph's nodes."""
    attempt = 0
    feedback: Sequence[str] = ()
    while True:
        draft = draft_attempt(drafter, request, attempt=attempt, feedback=feedback)
        verdict = judge(draft, request, attempt=attempt, max_revisions=max_revisions)
        if verdict.next != "revise":
            return DraftOutcome(draft, verdict.report, attempt)
        attempt, feedback = attempt + 1, verdict.report.reasons
