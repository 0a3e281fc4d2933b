"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Never downloads a browser (``playwright install`` cannot reach its CDN here): Playwright only
drives the system Chromium, with the flags this machine needs (no sandbox as root, no
background networking that the closed network would refuse).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A fresh page in a fresh headless Chromium with an empty profile."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="cadenza-chromium-")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def png_is_blank(data: bytes) -> bool:
    """True when a screenshot has (almost) a single colour: nothing rendered."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = len(raw) // height
    sample = {raw[y * stride + 1:y * stride + 1 + min(stride - 1, 3 * width)][::97]
              for y in range(0, height, max(1, height // 60))}
    distinct = {bytes(row[i:i + 3]) for row in sample for i in range(0, len(row) - 2, 3)}
    return len(distinct) <= 2
