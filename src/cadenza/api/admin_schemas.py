"""Request and response bodies of the operator's settings endpoints: policy, mailboxes,
enrollments and the bulk prospect import.

Secrets are references only: a password field that is not ``env:NAME`` or ``file:/path`` is a
422 naming the field, never stored. Updates are partial: what the body leaves out is unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cadenza.agent.policy import ApprovalPolicy
from cadenza.mailbox.accounts import Host, Label, Port, SecretRef, Security, Username
from cadenza.mailbox.resting import RestPolicy
from cadenza.mailbox.warmup import WarmupSchedule


class PolicyPatch(BaseModel):
    """The keys to change in the workspace's policy (the rest stays as it is)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"approval": {"mode": "always"}, "hold_countries": ["DE", "AT"],
                      "domain_daily_cap": 10, "public_base_url": "https://sdr.acme.example",
                      "classify_threshold": 0.7,
                      "warmup": {"start_per_day": 10, "increase_per_day": 5},
                      "resting": {"bounce_rate": 0.05, "min_sends": 20, "rest_hours": 48}}]})

    approval: ApprovalPolicy | None = None
    hold_countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] | None = None
    gdpr_notice: bool | None = None
    gdpr_notice_text: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    domain_daily_cap: Annotated[int, Field(ge=1)] | None = None
    timezone: Annotated[str, Field(max_length=64)] | None = None
    public_base_url: Annotated[str, Field(max_length=2000, description=(
        "This workspace's unsubscribe and ticket links use it instead of "
        "CADENZA_PUBLIC_BASE_URL (an http(s) URL; https and public in production); "
        "null or empty: back to the process's"))] | None = None
    classify_threshold: Annotated[float, Field(ge=0.0, le=1.0, description=(
        "Below this confidence this workspace's replies go to a person, instead of "
        "CADENZA_CLASSIFY_THRESHOLD; null: back to the process's"))] | None = None
    inbound_playbook: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")] | None = None
    warmup: WarmupSchedule | None = Field(default=None, description=(
        "The workspace's warm-up schedule: new mailboxes' daily caps start at "
        "`start_per_day` and grow by `increase_per_day` a day up to their own cap"))
    resting: RestPolicy | None = Field(default=None, description=(
        "When a mailbox is rested: hard bounces at `bounce_rate` of its sends in "
        "`window_hours` (after `min_sends`), or a spam complaint; for `rest_hours` "
        "(0: until an operator ends it)"))
    #: The pattern is documented, and checked with the whole policy: a refused value (maybe
    #: the secret itself) is not echoed back.
    inbound_secret: Annotated[str, Field(max_length=500, json_schema_extra={
        "pattern": r"^(?:env:[A-Za-z_][A-Za-z0-9_]*|file:/[!-~]+)?$"})] | None = None

    #: Keys whose ``null`` means "back to the default" rather than "unchanged".
    RESETTABLE: ClassVar[frozenset[str]] = frozenset({"public_base_url", "classify_threshold"})

    def changes(self) -> dict[str, Any]:
        """The keys sent: ``null`` leaves a key as it is, except a resettable one's."""
        sent = self.model_dump(exclude_unset=True, mode="json")
        return {k: v for k, v in sent.items() if v is not None or k in self.RESETTABLE}


class MailboxPublic(BaseModel):
    """A mailbox as the API shows it: secret references, never secrets."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_username: str
    smtp_password_ref: str
    imap_host: str
    imap_port: int
    imap_security: str
    imap_username: str
    imap_password_ref: str
    imap_folders: list[str]
    sent_folder: str
    daily_cap: int
    min_gap_seconds: int
    jitter_seconds: int
    active: bool
    next_send_at: dt.datetime | None = Field(
        default=None, description="When it may send next (now or earlier: at once)")


class MailboxPatch(BaseModel):
    """The mailbox settings to change."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"daily_cap": 30, "min_gap_seconds": 120,
                      "smtp_password_ref": "env:ACME_SMTP_PASSWORD"}]})

    display_name: Label | None = None
    smtp_host: Host | None = None
    smtp_port: Port | None = None
    smtp_security: Security | None = None
    smtp_username: Username | None = None
    smtp_password_ref: SecretRef | None = None
    imap_host: Host | None = None
    imap_port: Port | None = None
    imap_security: Security | None = None
    imap_username: Username | None = None
    imap_password_ref: SecretRef | None = None
    sent_folder: Label | None = None
    daily_cap: Annotated[int, Field(ge=0, le=100_000)] | None = None
    min_gap_seconds: Annotated[int, Field(ge=0, le=86_400)] | None = None
    jitter_seconds: Annotated[int, Field(ge=0, le=86_400)] | None = None
    active: bool | None = None


class EnrollIn(BaseModel):
    """Enroll prospects (by the ids they were imported with) in a built-in playbook, or in
    one of your own sent as YAML text."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"playbook": "ai-sdr-first-four", "prospect_ids": ["p001", "p002"]},
        {"playbook_yaml": "name: two-emails\nsteps:\n  - {day: 1, channel: email, owner: "
                          "agent, template: email_opener}\n  - {day: 4, channel: email, "
                          "owner: agent, template: email_followup}\n",
         "prospect_ids": ["p001"]}]})

    playbook: Annotated[str, Field(
        pattern=r"^[a-z0-9][a-z0-9-]{1,62}$",
        description="A built-in playbook's name (`cadenza playbooks list`); the default is "
                    "ai-sdr-first-four")] | None = None
    playbook_yaml: Annotated[str, Field(
        min_length=1, max_length=1_000_000,
        description="Your own playbook: the YAML text `cadenza playbooks validate` checks (a "
                    "JSON object written as text is YAML too). Errors name the line and the "
                    "field.")] | None = None
    prospect_ids: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]],
                            Field(min_length=1, max_length=1000)]
    allow_parallel: bool = False

    @model_validator(mode="after")
    def _one_playbook(self) -> EnrollIn:
        if self.playbook is not None and self.playbook_yaml is not None:
            raise ValueError("give playbook (a built-in name) or playbook_yaml, not both")
        return self


class EnrollSkipped(BaseModel):
    prospect_id: str
    reason: str


class EnrollResult(BaseModel):
    """How many were enrolled, and each one skipped with its reason."""

    playbook: str
    enrolled: int
    skipped: list[EnrollSkipped]
    warnings: list[str] = Field(default_factory=list, description=(
        "What is valid in the playbook but probably not meant (as `cadenza playbooks "
        "validate` warns)"))


class StopIn(BaseModel):
    """Why the enrollment stops (kept on it and in the event log)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"reason": "the client asked us to stop"}]})

    reason: Annotated[str, Field(min_length=1, max_length=200)] = "operator"


class StopResult(BaseModel):
    enrollment_id: int
    state: str
    cancelled_touches: list[int]


class ImportCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class BulkRowOutcome(BaseModel):
    """What happened to one record of the array (``index`` counts from 0)."""

    index: int
    prospect_id: str = Field(description="The record's id ('' when it could not be read)")
    email: str
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    reason: str | None = Field(default=None, description="Why it was rejected")
    field: str | None = Field(default=None, description="The field at fault (dotted: facts.0.id)")
    warnings: list[str] = Field(default_factory=list)


class BulkImportResult(BaseModel):
    """Counts per outcome and every record's outcome, in the order they were sent."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "counts": {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1},
        "rows": [{"index": 0, "prospect_id": "p001", "email": "zoe@example.com",
                  "outcome": "created", "reason": None, "field": None, "warnings": []},
                 {"index": 1, "prospect_id": "p002", "email": "not-an-email",
                  "outcome": "rejected", "reason": "invalid email 'not-an-email'",
                  "field": "email", "warnings": []}]}]})

    counts: ImportCounts
    rows: list[BulkRowOutcome]
