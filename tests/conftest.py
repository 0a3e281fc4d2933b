"""Shared fixtures: isolation from the developer's machine, and the real local servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.openai_server import FakeOpenAIServer, run_openai_server


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's CADENZA_*/OPENAI_* settings or writes outside a temp dir."""
    for key in list(os.environ):
        if key.startswith(("CADENZA_", "OPENAI_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CADENZA_HOME", str(tmp_path / "cadenza-home"))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A real OpenAI-compatible server on loopback; script it, point the real SDK at .base_url."""
    with run_openai_server() as server:
        yield server
