"""One LLM protocol for the whole product.

The agent's drafter, the reply classifier and the eval judge ask for *structured* output: a
pydantic model that the answer must validate against. Callers depend on :class:`LLM` only; the
``openai`` SDK is imported in exactly one place (:class:`OpenAICompatibleLLM`), so any
OpenAI-compatible endpoint works and tests can script answers without touching the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from cadenza.errors import ConfigError, LLMError

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class ChatMessage:
    """One message of a prompt. ``system`` first and stable, so providers can cache the prefix."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Usage:
    """Tokens spent on one call, recorded per touch or per classified reply."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated answer and what it cost."""

    value: T
    usage: Usage = field(default_factory=Usage)
    model: str = ""


class LLM(Protocol):
    """Anything that turns messages into a validated pydantic object."""

    name: str

    def structured(self, messages: list[ChatMessage], schema: type[T]) -> Structured[T]:
        """Answer ``messages`` with an instance of ``schema``; raise :class:`LLMError` otherwise."""
        ...


class OpenAICompatibleLLM:
    """The ``openai`` SDK against any OpenAI-compatible endpoint (chat completions, JSON schema)."""

    def __init__(self, *, base_url: str | None, model: str, api_key: str | None,
                 timeout: float = 30.0, max_retries: int = 2) -> None:
        model = model.strip()
        if not model:
            raise ConfigError("CADENZA_LLM_MODEL is empty: name the model to use")
        import openai  # the only import of the SDK in the package

        self.name = f"openai:{model}"
        self._model = model
        self._openai = openai
        self._client = openai.OpenAI(
            base_url=base_url or None,
            api_key=api_key or "offline",
            timeout=timeout,
            max_retries=max_retries,
        )

    def structured(self, messages: list[ChatMessage], schema: type[T]) -> Structured[T]:
        payload: list[Any] = [{"role": m.role, "content": m.content} for m in messages]
        try:
            response = self._client.chat.completions.parse(
                model=self._model, messages=payload, response_format=schema, temperature=0.2,
            )
        except ValidationError as exc:  # the SDK validates the answer with pydantic itself
            raise LLMError(f"LLM answer did not match {schema.__name__}: {exc}") from None
        except self._openai.LengthFinishReasonError:
            raise LLMError(f"LLM answer for {schema.__name__} was cut off at the token limit"
                           ) from None
        except self._openai.OpenAIError as exc:  # HTTP, connection, timeout, content filter
            raise LLMError(f"LLM call to {self.name} failed: {exc}") from None
        if not response.choices:
            raise LLMError(f"LLM {self.name} returned no choices for {schema.__name__}")
        choice = response.choices[0].message
        if choice.parsed is None:
            reason = f"refused: {choice.refusal}" if choice.refusal else "returned no content"
            raise LLMError(f"LLM {self.name} {reason} (expected {schema.__name__})")
        usage = response.usage
        cached = 0
        if usage is not None and usage.prompt_tokens_details is not None:
            cached = usage.prompt_tokens_details.cached_tokens or 0
        return Structured(
            value=choice.parsed,
            usage=Usage(
                input_tokens=usage.prompt_tokens if usage else 0,
                output_tokens=usage.completion_tokens if usage else 0,
                cached_tokens=cached,
            ),
            model=response.model or self._model,
        )


def llm_from_settings(*, base_url: str | None, model: str | None,
                      api_key: str | None) -> LLM | None:
    """The configured LLM, or ``None`` when the product must run on its offline defaults.

    An endpoint without a model is a half-done configuration, not a request for offline mode.
    """
    if not (model and model.strip()):
        if base_url:
            raise ConfigError(f"CADENZA_LLM_BASE_URL is set ({base_url}) but CADENZA_LLM_MODEL "
                              "is empty: name the model to use, or unset the base URL")
        return None
    if not (base_url or api_key):
        return None
    return OpenAICompatibleLLM(base_url=base_url, model=model, api_key=api_key)
