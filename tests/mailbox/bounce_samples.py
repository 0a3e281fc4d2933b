"""The bounce samples under ``bounces/``: one .eml per mail system and case, labelled in
``labels.jsonl`` (mta, hard|soft|policy or null for a human message, the failed recipients,
the original Message-ID when the bounce embeds it). Written for these tests, modelled on the
formats each MTA sends; every domain is an example one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent / "bounces"
_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")
_THREAD_HEADERS = re.compile(rb"^(?:In-Reply-To|References):.*\r?\n(?:[ \t].*\r?\n)*",
                             re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Sample:
    """One labelled message."""

    file: str
    mta: str | None
    bounce: str | None  # hard | soft | policy; None: a person wrote it
    recipients: list[str] = field(default_factory=list)
    original_message_id: str | None = None
    notes: str = ""

    @property
    def raw(self) -> bytes:
        return (HERE / self.file).read_bytes()

    def without_thread_headers(self) -> bytes:
        """The raw message with In-Reply-To/References removed (only its body can tell)."""
        head, body = _END_OF_HEADERS.split(self.raw, maxsplit=1)
        return _THREAD_HEADERS.sub(b"", head + b"\n") + b"\n" + body


def samples() -> list[Sample]:
    rows = (json.loads(line) for line in (HERE / "labels.jsonl").read_text().splitlines()
            if line.strip())
    return [Sample(**row) for row in rows]


def bounces() -> list[Sample]:
    return [s for s in samples() if s.bounce is not None]
