"""Secrets by reference: a mailbox stores ``env:NAME`` or ``file:/path``, never the secret.

The value is resolved at the moment of use and never logged or written to the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from cadenza.errors import ConfigError


def resolve_secret(reference: str) -> str:
    """The secret a reference points to; ``""`` for an empty reference (no authentication)."""
    if not reference:
        return ""
    scheme, _, target = reference.partition(":")
    if scheme == "env" and target:
        value = os.environ.get(target)
        if value is None:
            raise ConfigError(f"secret reference {reference!r}: environment variable "
                              f"{target} is not set")
        return value
    if scheme == "file" and target:
        try:
            return Path(target).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"secret reference {reference!r}: cannot read the file "
                              f"({exc.strerror})") from None
    raise ConfigError(f"secret reference {reference!r} must be env:NAME or file:/path "
                      "(secrets are never stored in the database)")
