"""Browser fixtures for the page tests: Debian's Chromium once per session, the app on uvicorn.

Imported by the page test modules (not a conftest, so nothing else pays for it). Chromium runs
headless from /usr/bin/chromium with the machine's flags and a new empty profile directory;
Playwright never downloads a browser.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from support.browser import ARGS, CHROMIUM
from support.dovecot import free_port


@pytest.fixture(scope="session")
def browser_context() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("/usr/bin/chromium is not installed (the test command installs it)")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="cadenza-api-chromium-")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(name="page")
def page_fixture(browser_context: Any) -> Iterator[Any]:
    """A fresh tab with no cookies: every test logs in itself."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        tab.close()


class LiveServer:
    """The app on uvicorn in a thread, on a free loopback port."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def log_in(page: Any, base: str, token: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#token", token)
    page.click("#login")
    page.wait_for_load_state()
