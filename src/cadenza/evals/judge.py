"""The optional LLM-as-judge of ``cadenza eval drafts``: a rubric grade with a reason.

Exact metrics cannot tell a stiff draft from a warm one; a judge can, but it is a model, so its
output is a schema-validated grade with a one-sentence justification per criterion (reasoning
first, so the score follows from it), the draft and the facts reach it as delimited JSON data,
and a judge failure costs one draft's grade, never the run.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cadenza.errors import LLMError
from cadenza.llm import LLM, ChatMessage, Usage
from cadenza.prompts import render
from cadenza.prospects import ProspectIn

log = logging.getLogger(__name__)

CRITERIA: tuple[str, ...] = ("relevance", "tone", "clarity", "value")
PROMPT = "judge_draft.j2"


class CriterionGrade(BaseModel):
    """One criterion: the reason first, then the 1–5 score it justifies."""

    model_config = ConfigDict(extra="forbid")

    reasoning: str = Field(description="One sentence explaining the score.")
    score: Literal[1, 2, 3, 4, 5]


class JudgeSchema(BaseModel):
    """The judge's structured grade of one draft."""

    model_config = ConfigDict(extra="forbid")

    relevance: CriterionGrade
    tone: CriterionGrade
    clarity: CriterionGrade
    value: CriterionGrade


@dataclass(frozen=True)
class JudgeOutcome:
    """A grade, or the error that prevented it (exactly one of the two is set)."""

    grade: JudgeSchema | None = None
    error: str | None = None
    usage: Usage = field(default_factory=Usage)

    def as_dict(self) -> dict[str, Any]:
        """The per-item ``judge`` object of ``scores.json``."""
        if self.grade is None:
            return {"error": self.error}
        return {c: {"score": getattr(self.grade, c).score,
                    "reason": getattr(self.grade, c).reasoning} for c in CRITERIA}


def _data_json(value: object) -> str:
    """JSON in which ``<`` and ``>`` are escaped, so data can never close its delimiter tag."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def judge_messages(record: dict[str, Any], prospect: ProspectIn) -> list[ChatMessage]:
    """The stable system prompt first, then this draft and its facts as delimited data."""
    used = set(record.get("fact_ids") or [])
    prospect_data = {
        "first_name": prospect.first_name, "last_name": prospect.last_name,
        "title": prospect.title, "company": prospect.company, "industry": prospect.industry,
        "language": prospect.language,
        "facts": [{"id": f.id, "kind": f.kind, "text": f.text,
                   "date": f.date.isoformat() if f.date else None, "used": f.id in used}
                  for f in prospect.facts],
    }
    draft = {"subject": record.get("subject"), "body": record.get("body"),
             "fact_ids": sorted(used)}
    system = render(PROMPT, part="system").strip()
    user = render(PROMPT, part="user", channel=record.get("channel"), step=record.get("step"),
                  language=prospect.language or "en", prospect_json=_data_json(prospect_data),
                  draft_json=_data_json(draft)).strip()
    return [ChatMessage("system", system), ChatMessage("user", user)]


class DraftJudge:
    """Grades drafts through any :class:`~cadenza.llm.LLM`."""

    def __init__(self, llm: LLM) -> None:
        self.llm = llm
        self.name = llm.name

    def grade(self, record: dict[str, Any], prospect: ProspectIn) -> JudgeOutcome:
        """Grade one draft; an LLM failure is returned as the outcome's ``error``."""
        try:
            answer = self.llm.structured(judge_messages(record, prospect), JudgeSchema)
        except (LLMError, ValueError) as exc:  # ValueError: a schema miss from another LLM
            log.warning("judge failed on %s step %s: %s", record.get("prospect_id"),
                        record.get("step"), exc)
            return JudgeOutcome(error=str(exc))
        return JudgeOutcome(grade=answer.value, usage=answer.usage)
