"""Adding a mailbox to a workspace: one model of its settings and one function, for both
``cadenza mailbox add`` and ``POST /api/mailboxes``.

Secrets are references (``env:NAME`` or ``file:/path``), never the secret: a password field
holding anything else is refused naming the field, and nothing is stored. An address the
workspace already has (in any case) is a :class:`~cadenza.errors.ConflictError` naming the
way to change it, even when a concurrent request added it a moment before.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from cadenza.addresses import validate_email_address
from cadenza.errors import ConflictError
from cadenza.mailbox.warmup import warmup_schedule
from cadenza.store.events import record_event
from cadenza.store.models import Mailbox, Workspace

#: Spelled without ``\S``: Python's, pydantic's and a schema reader's regex engines disagree
#: on what it matches (``\x1c`` is a space to Python only), and all three read this one.
_REFERENCE_PATTERN = r"^(?:(?:env|file):[^\x00-\x20\x7f]+)?$"
_REFERENCE = re.compile(_REFERENCE_PATTERN)


def _reference(value: str) -> str:
    if not _REFERENCE.fullmatch(value):
        # the value is not repeated: it may be the very password that must not be stored
        raise ValueError("must be a reference (env:NAME or file:/path), never the password "
                         "itself")
    return value


def _address(value: str) -> str:
    address = validate_email_address(value)
    if address is None:
        raise ValueError("is not a valid email address")
    return address


SecretRef = Annotated[str, Field(max_length=500, description="env:NAME or file:/path, never "
                                                             "the secret",
                                 json_schema_extra={"pattern": _REFERENCE_PATTERN}),
                      AfterValidator(_reference)]
Security = Literal["starttls", "tls", "none"]
Host = Annotated[str, Field(max_length=253, pattern=r"^[A-Za-z0-9.\-:\[\]]*$")]
Port = Annotated[int, Field(ge=1, le=65535)]
Username = Annotated[str, Field(max_length=320, pattern=r"^[^\x00-\x1f\x7f]*$")]
Label = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


class MailboxCreate(BaseModel):
    """A new mailbox: the options of ``cadenza mailbox add``, with the same defaults."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "email": "maya@acme.example", "display_name": "Maya Lind",
        "smtp_host": "smtp.acme.example", "smtp_port": 587, "smtp_security": "starttls",
        "smtp_username": "maya", "smtp_password_ref": "env:ACME_SMTP_PASSWORD",
        "imap_host": "imap.acme.example", "imap_password_ref": "env:ACME_IMAP_PASSWORD",
        "sent_folder": "Sent", "daily_cap": 40}]})

    email: Annotated[str, Field(min_length=3, max_length=320), AfterValidator(_address)]
    display_name: Label = ""
    smtp_host: Host = "127.0.0.1"
    smtp_port: Port = 587
    smtp_security: Security = "starttls"
    smtp_username: Username = ""
    smtp_password_ref: SecretRef = ""
    imap_host: Host = ""
    imap_port: Port = 993
    imap_security: Security = "tls"
    imap_username: Username = Field(default="", description="Default: the address, when "
                                                            "imap_host is set")
    imap_password_ref: SecretRef = ""
    sent_folder: Label = ""
    daily_cap: Annotated[int, Field(ge=0, le=100_000)] = 40
    min_gap_seconds: Annotated[int, Field(ge=0, le=86_400)] = 90
    jitter_seconds: Annotated[int, Field(ge=0, le=86_400)] = 30


def create_mailbox(*, session: Session, workspace: Workspace, data: MailboxCreate,
                   by: str) -> Mailbox:
    """Add the mailbox to the workspace (the caller commits) and record who did."""
    assert workspace.id is not None
    existing = session.exec(select(Mailbox.id).where(
        Mailbox.workspace_id == workspace.id,
        func.lower(Mailbox.email) == data.email.lower())).first()
    if existing is not None:
        raise _taken(data.email, workspace, existing)
    box = Mailbox(workspace_id=workspace.id, email=data.email, display_name=data.display_name,
                  smtp_host=data.smtp_host, smtp_port=data.smtp_port,
                  smtp_security=data.smtp_security, smtp_username=data.smtp_username,
                  smtp_password_ref=data.smtp_password_ref, imap_host=data.imap_host,
                  imap_port=data.imap_port, imap_security=data.imap_security,
                  imap_username=data.imap_username or (data.email if data.imap_host else ""),
                  imap_password_ref=data.imap_password_ref, imap_folders=["INBOX"],
                  sent_folder=data.sent_folder, daily_cap=data.daily_cap,
                  min_gap_seconds=data.min_gap_seconds, jitter_seconds=data.jitter_seconds)
    if warmup_schedule(workspace.settings).new_mailboxes:  # its warm-up starts today
        box.warmup_started_at = box.created_at
    session.add(box)
    try:
        session.flush()
    except IntegrityError:  # a concurrent add of the same address committed first
        raise _taken(data.email, workspace, None) from None
    record_event(session=session, kind="mailbox.created", workspace_id=workspace.id,
                 subject_type="mailbox", subject_id=box.id, by=by, email=box.email)
    return box


def _taken(address: str, workspace: Workspace, mailbox_id: int | None) -> ConflictError:
    which = f"PATCH /api/mailboxes/{mailbox_id}" if mailbox_id else "PATCH /api/mailboxes/{id}"
    return ConflictError(f"mailbox {address} already exists in workspace {workspace.slug}: "
                         f"change it with `cadenza mailbox update {address} -w "
                         f"{workspace.slug}` or {which}", field="email")
