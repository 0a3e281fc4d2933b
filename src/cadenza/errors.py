"""Cadenza's error tree.

Adapters translate low-level errors into these; only the CLI and the API format them for humans.
Every message names the fix: the file, line and field, or the setting to change.
"""

from __future__ import annotations


class CadenzaError(Exception):
    """Base of every error Cadenza raises on purpose."""


class ConfigError(CadenzaError):
    """A setting is missing, malformed, or points at something unreachable."""


class DatabaseError(CadenzaError):
    """The database cannot be reached or is not initialised."""


class InputError(CadenzaError):
    """A user-supplied file or payload is invalid; the message names file, line and field."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.file = file
        self.line = line
        self.field = field
        where = ":".join(str(p) for p in (file, line) if p is not None)
        prefix = f"{where}: " if where else ""
        suffix = f" (field '{field}')" if field else ""
        super().__init__(f"{prefix}{message}{suffix}")
        self.detail = message


class PlaybookError(InputError):
    """A playbook YAML file is malformed or fails the schema."""


class ConflictError(InputError):
    """The input is valid but clashes with what exists: an address the workspace already has,
    an idempotency key in use. The API answers 409; the CLI treats it as any bad input."""


class NotFoundError(CadenzaError):
    """A named thing (playbook, prospect, workspace …) does not exist."""


class MailboxError(CadenzaError):
    """SMTP or IMAP failed in a way the caller must see."""


class LLMError(CadenzaError):
    """The LLM endpoint failed or answered outside the schema."""


class DeliveryError(MailboxError):
    """A touch could not be delivered.

    ``permanent`` tells the caller whether retrying can help: a 5xx answer, a refused login or a
    malformed message stays failed; a 4xx answer or a dropped connection may succeed later.
    """

    def __init__(self, *args: object, permanent: bool = False) -> None:
        super().__init__(*args)
        self.permanent = permanent
