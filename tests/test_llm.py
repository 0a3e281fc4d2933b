"""The LLM adapter, tested once over HTTP: the real ``openai`` SDK against a loopback server."""

from __future__ import annotations

import socket
import time
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field

from cadenza.errors import ConfigError, LLMError
from cadenza.llm import ChatMessage, OpenAICompatibleLLM, Usage, llm_from_settings

from support.openai_server import Answer, FakeOpenAIServer, HTTPFailure, walk_schema


class Verdict(BaseModel):
    reasoning: str
    label: Literal["interested", "not_interested", "unsubscribe"]
    confidence: float = Field(ge=0, le=1)


class Contact(BaseModel):
    email: str
    title: str | None


class Draft(BaseModel):
    subject: str
    to: list[Contact]
    follow_up: bool


MESSAGES = [
    ChatMessage("system", "You classify replies to sales emails."),
    ChatMessage("user", "<reply>\nThanks, but we're not interested right now.\n</reply>"),
]


def make_llm(server: FakeOpenAIServer, **kwargs: Any) -> OpenAICompatibleLLM:
    options: dict[str, Any] = {"timeout": 5.0, "max_retries": 0} | kwargs
    return OpenAICompatibleLLM(base_url=server.base_url, model="test-model",
                               api_key="test-key", **options)


def test_scripted_answer_comes_back_validated_with_usage(openai_server: FakeOpenAIServer) -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request)
        return {"reasoning": "declines politely", "label": "not_interested", "confidence": 0.9}

    openai_server.script("Verdict", handler)
    result = make_llm(openai_server).structured(MESSAGES, Verdict)

    assert result.value == Verdict(reasoning="declines politely", label="not_interested",
                                   confidence=0.9)
    assert result.model == "test-model"
    chars = sum(len(m.content) for m in MESSAGES)
    assert result.usage.input_tokens == chars // 4
    assert result.usage.output_tokens > 0
    assert result.usage.cached_tokens == 0
    assert len(seen) == 1


def test_request_carries_schema_and_messages_in_order(openai_server: FakeOpenAIServer) -> None:
    make_llm(openai_server).structured(MESSAGES, Verdict)

    (request,) = openai_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer test-key"
    body = request["json"]
    assert body["model"] == "test-model"
    assert body["temperature"] == 0.2
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"].startswith("<reply>")
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Verdict"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    assert set(schema["properties"]) == {"reasoning", "label", "confidence"}


def test_unscripted_schema_gets_a_valid_stub(openai_server: FakeOpenAIServer) -> None:
    llm = make_llm(openai_server)

    verdict = llm.structured(MESSAGES, Verdict).value
    assert verdict.label == "not_interested"  # the longest enum value named in the prompt
    draft = llm.structured([ChatMessage("user", "write")], Draft).value
    assert draft == Draft(subject="stub", to=[], follow_up=False)


def test_cached_tokens_are_reported(openai_server: FakeOpenAIServer) -> None:
    openai_server.script("Verdict", Answer(
        content='{"reasoning": "r", "label": "interested", "confidence": 0.5}', cached_tokens=7))
    usage = make_llm(openai_server).structured(MESSAGES, Verdict).usage
    assert usage == Usage(input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
                          cached_tokens=7)


@pytest.mark.parametrize("answer", [
    {"reasoning": "r", "label": "maybe", "confidence": 0.5},   # outside the Literal
    {"reasoning": "r", "label": "interested", "confidence": 3},  # outside the bounds
    {"label": "interested"},                                     # fields missing
    Answer(content="this is not json"),
])
def test_answer_outside_the_schema_is_an_llm_error(openai_server: FakeOpenAIServer,
                                                     answer: dict[str, Any] | Answer) -> None:
    openai_server.script("Verdict", answer)
    with pytest.raises(LLMError, match="did not match Verdict"):
        make_llm(openai_server).structured(MESSAGES, Verdict)


def test_http_500_is_retried_then_an_llm_error(openai_server: FakeOpenAIServer) -> None:
    openai_server.fail_next(status=500, times=2)
    with pytest.raises(LLMError, match="openai:test-model"):
        make_llm(openai_server, max_retries=1).structured(MESSAGES, Verdict)
    assert len(openai_server.requests) == 2


def test_a_retry_recovers_from_one_failure(openai_server: FakeOpenAIServer) -> None:
    openai_server.fail_next(status=503)
    result = make_llm(openai_server, max_retries=1).structured(MESSAGES, Verdict)
    assert isinstance(result.value, Verdict)
    assert len(openai_server.requests) == 2


def test_client_error_from_a_handler_is_an_llm_error(openai_server: FakeOpenAIServer) -> None:
    def handler(request: dict[str, Any]) -> dict[str, Any]:
        raise HTTPFailure(400, "context length exceeded")

    openai_server.script("Verdict", handler)
    with pytest.raises(LLMError, match="context length exceeded"):
        make_llm(openai_server, max_retries=2).structured(MESSAGES, Verdict)
    assert len(openai_server.requests) == 1  # 4xx is not retried


def test_timeout_is_an_llm_error(openai_server: FakeOpenAIServer) -> None:
    openai_server.delay_next(2.0)
    started = time.monotonic()
    with pytest.raises(LLMError):
        make_llm(openai_server, timeout=0.2).structured(MESSAGES, Verdict)
    assert time.monotonic() - started < 1.5


def test_refusal_is_an_llm_error(openai_server: FakeOpenAIServer) -> None:
    openai_server.script("Verdict", Answer(refusal="I can't help with that."))
    with pytest.raises(LLMError, match="refused: I can't help with that"):
        make_llm(openai_server).structured(MESSAGES, Verdict)


def test_empty_content_is_an_llm_error(openai_server: FakeOpenAIServer) -> None:
    openai_server.script("Verdict", Answer(content=None))
    with pytest.raises(LLMError, match="no content"):
        make_llm(openai_server).structured(MESSAGES, Verdict)


@pytest.mark.parametrize("finish_reason", ["length", "content_filter"])
def test_cut_off_or_filtered_answer_is_an_llm_error(openai_server: FakeOpenAIServer,
                                                     finish_reason: str) -> None:
    openai_server.script("Verdict", Answer(content='{"reasoning": "r', finish_reason=finish_reason))
    with pytest.raises(LLMError):
        make_llm(openai_server).structured(MESSAGES, Verdict)


def test_unreachable_endpoint_is_an_llm_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    llm = OpenAICompatibleLLM(base_url=f"http://127.0.0.1:{port}/v1", model="m", api_key="k",
                              timeout=2.0, max_retries=0)
    with pytest.raises(LLMError, match="openai:m"):
        llm.structured(MESSAGES, Verdict)


def test_responses_endpoint_answers_the_real_sdk(openai_server: FakeOpenAIServer) -> None:
    import openai

    client = openai.OpenAI(base_url=openai_server.base_url, api_key="k", max_retries=0)
    response = client.responses.parse(
        model="m", input=[{"role": "user", "content": "please unsubscribe me"}],
        text_format=Verdict)
    assert response.output_parsed is not None
    assert response.output_parsed.label == "unsubscribe"
    assert openai_server.requests[0]["path"] == "/v1/responses"


def test_walker_handles_refs_nullables_and_bounds() -> None:
    schema = {
        "type": "object",
        "properties": {
            "when": {"type": "string", "format": "date-time"},
            "who": {"anyOf": [{"$ref": "#/$defs/Person"}, {"type": "null"}]},
            "n": {"type": "integer", "minimum": 3},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "kind": {"const": "fixed"},
        },
        "$defs": {"Person": {"type": "object", "properties": {"name": {"type": "string"}}}},
    }
    assert walk_schema(schema, schema, "") == {
        "when": "2024-01-01T00:00:00Z", "who": {"name": "stub"}, "n": 3, "tags": ["stub"],
        "kind": "fixed",
    }


def test_llm_from_settings() -> None:
    assert llm_from_settings(base_url=None, model=None, api_key=None) is None
    assert llm_from_settings(base_url=None, model="gpt", api_key=None) is None
    assert llm_from_settings(base_url=None, model="", api_key="key") is None
    llm = llm_from_settings(base_url="http://127.0.0.1:1/v1", model="test-model", api_key=None)
    assert isinstance(llm, OpenAICompatibleLLM)
    assert llm.name == "openai:test-model"
    assert isinstance(llm_from_settings(base_url=None, model="gpt", api_key="key"),
                      OpenAICompatibleLLM)


def test_empty_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="CADENZA_LLM_MODEL"):
        OpenAICompatibleLLM(base_url="http://127.0.0.1:1/v1", model="  ", api_key="k")
    with pytest.raises(ConfigError, match="CADENZA_LLM_MODEL"):
        llm_from_settings(base_url="http://127.0.0.1:1/v1", model="", api_key=None)
