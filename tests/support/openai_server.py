"""A real OpenAI-compatible HTTP server on loopback, scripted by tests.

The ``openai`` SDK talks to it over HTTP exactly as it talks to a provider, so the adapter in
``cadenza.llm`` is tested end to end with no monkeypatching. Structured-output requests
(``chat.completions.parse`` and ``responses.parse``) are answered by a handler registered for the
schema name, else by a deterministic walk of the JSON schema. Every request is recorded.

    with run_openai_server() as server:
        server.script("ReplyIntent", lambda req: {"intent": "interested", ...})
        server.fail_next(status=500, times=2)       # the next two requests fail
        server.delay_next(1.0)                      # the next request answers after 1 s
        client = OpenAI(base_url=server.base_url, api_key="test-key")
        ...
        server.requests[-1]["json"]["messages"][0]["role"] == "system"
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool


@dataclass
class Answer:
    """A scripted answer other than a plain JSON object: raw text, a refusal, a cut-off reply."""

    content: str | None = None
    refusal: str | None = None
    finish_reason: str = "stop"
    model: str | None = None
    cached_tokens: int = 0


class HTTPFailure(Exception):
    """Raised by a handler to make the server answer ``status`` with an OpenAI error body."""

    def __init__(self, status: int = 500, message: str = "scripted failure",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


Handler = Callable[[dict[str, Any]], "dict[str, Any] | Answer"]


@dataclass
class FakeOpenAIServer:
    """State shared between the test thread and the server thread; see the module docstring."""

    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    handler_errors: list[BaseException] = field(default_factory=list)
    _scripts: dict[str, Handler] = field(default_factory=dict)
    _failures: deque[HTTPFailure] = field(default_factory=deque)
    _delays: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closing: threading.Event = field(default_factory=threading.Event)

    # -- scripting, from the test ---------------------------------------------------------------
    def script(self, schema_name: str, handler: Handler | dict[str, Any] | Answer) -> None:
        """Answer requests for ``schema_name`` with ``handler(request_json)`` (or a constant)."""
        if callable(handler):
            self._scripts[schema_name] = handler
        else:
            constant = handler
            self._scripts[schema_name] = lambda _req: constant

    def fail_next(self, status: int = 500, times: int = 1, message: str = "scripted failure",
                  retry_after_ms: int = 1) -> None:
        """Answer the next ``times`` requests with HTTP ``status``; retries by the SDK count."""
        # A tiny retry-after-ms keeps the SDK's retries fast (it honours the header).
        headers = {"retry-after-ms": str(retry_after_ms)}
        with self._lock:
            self._failures.extend(HTTPFailure(status, message, headers) for _ in range(times))

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Hold the next ``times`` answers for ``seconds`` (to trigger client timeouts)."""
        with self._lock:
            self._delays.extend(seconds for _ in range(times))

    def reset(self) -> None:
        """Forget scripts, pending failures and delays, and recorded requests."""
        with self._lock:
            self._scripts.clear()
            self._failures.clear()
            self._delays.clear()
            self.requests.clear()
            self.handler_errors.clear()

    # -- answering, in the server thread --------------------------------------------------------
    def _answer(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> JSONResponse:
        with self._lock:
            self.requests.append({"path": path, "json": body, "headers": headers})
            failure = self._failures.popleft() if self._failures else None
            delay = self._delays.popleft() if self._delays else 0.0
        if delay:
            self._closing.wait(delay)  # returns early when the server shuts down
        if failure is not None:
            return _error(failure)
        responses_api = path.endswith("/responses")
        name, schema = _requested_schema(body, responses_api=responses_api)
        prompt = _prompt_texts(body, responses_api=responses_api)
        try:
            handler = self._scripts.get(name)
            result = handler(body) if handler else walk_schema(schema, schema, _last_user(prompt))
        except HTTPFailure as exc:
            return _error(exc)
        except Exception as exc:  # a bug in a test's handler: keep it for the test to see
            self.handler_errors.append(exc)
            return _error(HTTPFailure(500, f"handler for {name!r} raised {exc!r}",
                                      {"x-should-retry": "false"}))
        answer = result if isinstance(result, Answer) else Answer(content=json.dumps(result))
        model = answer.model or str(body.get("model", "fake-model"))
        prompt_tokens = max(1, sum(len(p["text"]) for p in prompt) // 4)
        completion_tokens = max(1, len(answer.content or answer.refusal or "") // 4)
        if responses_api:
            return JSONResponse(_responses_reply(answer, model, prompt_tokens, completion_tokens))
        return JSONResponse(_chat_reply(answer, model, prompt_tokens, completion_tokens))

    def _app(self) -> FastAPI:
        app = FastAPI()

        async def endpoint(request: Request) -> JSONResponse:
            body = await request.json()
            return await run_in_threadpool(
                self._answer, request.url.path, body, dict(request.headers))

        app.add_api_route("/v1/chat/completions", endpoint, methods=["POST"])
        app.add_api_route("/v1/responses", endpoint, methods=["POST"])
        return app


@contextmanager
def run_openai_server() -> Iterator[FakeOpenAIServer]:
    """Serve a :class:`FakeOpenAIServer` on a free loopback port for the ``with`` block."""
    state = FakeOpenAIServer()
    config = uvicorn.Config(state._app(), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-openai", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the fake OpenAI server did not start")
        time.sleep(0.002)
    port = server.servers[0].sockets[0].getsockname()[1]
    state.base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield state
    finally:
        state._closing.set()
        server.should_exit = True
        thread.join(timeout=10)


# -- wire formats ---------------------------------------------------------------------------------
def _error(failure: HTTPFailure) -> JSONResponse:
    body = {"error": {"message": failure.message, "type": "server_error" if failure.status >= 500
                      else "invalid_request_error", "param": None, "code": None}}
    return JSONResponse(body, status_code=failure.status, headers=failure.headers)


def _requested_schema(body: dict[str, Any], *, responses_api: bool) -> tuple[str, dict[str, Any]]:
    if responses_api:
        fmt = (body.get("text") or {}).get("format") or {}
        return str(fmt.get("name", "")), fmt.get("schema") or {}
    rf = body.get("response_format") or {}
    spec = rf.get("json_schema") or {}
    return str(spec.get("name", "")), spec.get("schema") or {}


def _prompt_texts(body: dict[str, Any], *, responses_api: bool) -> list[dict[str, str]]:
    """Every message as ``{"role", "text"}``, whatever the endpoint and content shape."""
    raw = body.get("input") if responses_api else body.get("messages")
    if isinstance(raw, str):
        return [{"role": "user", "text": raw}]
    out = []
    for message in raw or []:
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(str(part.get("text", "")) for part in content)
        out.append({"role": str(message.get("role", "")), "text": str(content or "")})
    return out


#: The creation time every answer carries: a fixed instant, so no answer depends on the wall
#: clock (the SDK parses the field; nothing in Cadenza reads it).
CREATED_AT = 1_764_547_200  # 2025-12-01T00:00:00Z


def _last_user(prompt: list[dict[str, str]]) -> str:
    return next((m["text"] for m in reversed(prompt) if m["role"] == "user"), "")


def _chat_reply(answer: Answer, model: str, prompt_tokens: int,
                completion_tokens: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": CREATED_AT,
        "model": model,
        "choices": [{
            "index": 0,
            "finish_reason": answer.finish_reason,
            "logprobs": None,
            "message": {"role": "assistant", "content": answer.content,
                        "refusal": answer.refusal},
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": answer.cached_tokens},
        },
    }


def _responses_reply(answer: Answer, model: str, prompt_tokens: int,
                     completion_tokens: int) -> dict[str, Any]:
    part = ({"type": "refusal", "refusal": answer.refusal} if answer.refusal is not None
            else {"type": "output_text", "text": answer.content or "", "annotations": []})
    return {
        "id": f"resp_{uuid.uuid4().hex}",
        "object": "response",
        "created_at": CREATED_AT,
        "status": "completed",
        "model": model,
        "parallel_tool_calls": False,
        "tool_choice": "auto",
        "tools": [],
        "output": [{"type": "message", "id": f"msg_{uuid.uuid4().hex}", "status": "completed",
                    "role": "assistant", "content": [part]}],
        "usage": {
            "input_tokens": prompt_tokens,
            "output_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "input_tokens_details": {"cached_tokens": answer.cached_tokens},
            "output_tokens_details": {"reasoning_tokens": 0},
        },
    }


# -- the deterministic fallback -------------------------------------------------------------------
_FORMATS = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00",
            "email": "stub@example.com", "uri": "https://example.com/stub"}


def walk_schema(node: dict[str, Any], root: dict[str, Any], prompt: str) -> Any:
    """A value valid for ``node``: enums follow the prompt, everything else is a fixed stub."""
    if "$ref" in node:
        target: Any = root
        for key in node["$ref"].removeprefix("#/").split("/"):
            target = target[key]
        return walk_schema(target, root, prompt)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return _pick_enum(node["enum"], prompt)
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in node:
            options = [o for o in node[combinator] if o.get("type") != "null"] or node[combinator]
            return walk_schema(options[0], root, prompt)
    kind = node.get("type")
    if isinstance(kind, list):  # e.g. ["string", "null"]
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in node:
        return {k: walk_schema(v, root, prompt) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        items = node.get("items") or {}
        return [walk_schema(items, root, prompt) for _ in range(node.get("minItems", 0))]
    if kind == "string":
        text = _FORMATS.get(node.get("format", ""), "stub")
        return text.ljust(node.get("minLength", 0), "x")
    if kind in ("number", "integer"):
        value: float = 0.5 if kind == "number" else 1
        if "minimum" in node:
            value = max(value, node["minimum"])
        if "maximum" in node:
            value = min(value, node["maximum"])
        return value
    if kind == "boolean":
        return False
    return None


def _pick_enum(values: list[Any], prompt: str) -> Any:
    """The longest value named in the prompt (so "not interested" beats "interested")."""
    text = prompt.lower()
    named = [v for v in values if isinstance(v, str)
             and (v.lower() in text or v.lower().replace("_", " ") in text)]
    return max(named, key=len) if named else values[0]
