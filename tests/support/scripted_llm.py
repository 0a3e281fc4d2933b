"""A scripted stand-in for :class:`cadenza.llm.LLM`: answers from a list and records the prompts
it was sent, so a test can check what the drafter asked (STYLE: node tests use a scripted fake)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from cadenza.llm import ChatMessage, Structured, Usage

T = TypeVar("T", bound=BaseModel)


class ScriptedLLM:
    """Answers in order; the last answer repeats once the others are used up."""

    name = "scripted"

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers)
        self.calls: list[list[ChatMessage]] = []

    def structured(self, messages: list[ChatMessage], schema: type[T]) -> Structured[T]:
        self.calls.append(messages)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return Structured(schema.model_validate(answer), Usage(300, 120, 200), "scripted")
