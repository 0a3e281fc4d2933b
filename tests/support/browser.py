"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Never downloads a browser (``playwright install`` cannot reach its CDN here): Playwright only
drives the system Chromium, with the flags this machine needs (no sandbox as root, no
background networking that the closed network would refuse). The fixtures are in
tests/conftest.py.
"""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
