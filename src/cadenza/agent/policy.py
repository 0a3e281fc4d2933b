"""Workspace policies the agent applies to every touch: approval, country rules, throttles.

Stored in ``Workspace.settings``; defaults are the cautious ones a serious agency would choose:
the first 20 drafts of each playbook are approved by a person before the agent runs alone.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from cadenza.config import WorkspaceOverrides
from cadenza.errors import InputError
from cadenza.mailbox.resting import RestPolicy
from cadenza.mailbox.warmup import WarmupSchedule
from cadenza.store.events import record_event
from cadenza.store.models import Workspace


class ApprovalPolicy(BaseModel):
    """When a person must approve a draft before it goes out."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["never", "always", "first_n"] = "first_n"
    first_n: int = Field(default=20, ge=0)


class WorkspacePolicy(WorkspaceOverrides):
    """The agent-relevant part of a workspace's settings, with the process settings a
    workspace may override (``public_base_url``, ``classify_threshold``)."""

    model_config = ConfigDict(extra="ignore")

    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)
    #: ISO country codes whose prospects get no cold email without prior consent
    #: (e.g. DE under UWG §7): such touches are held for a person.
    hold_countries: list[str] = Field(default_factory=list)
    #: Append a GDPR Art. 14 line saying where the contact data came from.
    gdpr_notice: bool = False
    gdpr_notice_text: str = ("Why you are hearing from me: I found your business contact "
                             "details in public professional sources (your company's website "
                             "or professional networks).")
    #: Per recipient domain: at most this many emails per rolling 24 hours (Outreach's
    #: "Daily Max Domain"), so one company is not flooded from one workspace.
    domain_daily_cap: int = Field(default=20, ge=1)
    timezone: str = "UTC"
    #: New mailboxes' daily caps ramp up by this schedule (a mailbox may set its own).
    warmup: WarmupSchedule = Field(default_factory=WarmupSchedule)
    #: When a mailbox with a bounce or complaint spike is rested, and for how long.
    resting: RestPolicy = Field(default_factory=RestPolicy)
    #: The playbook (``kind: inbound``) an inbound lead is enrolled in when it names none.
    inbound_playbook: str = Field(default="inbound", pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    #: The reference (``env:NAME`` / ``file:/path``) of the secret that signs inbound-lead
    #: webhooks (``POST /api/leads/inbound``); empty: that endpoint refuses the workspace.
    inbound_secret: str = Field(default="",
                                pattern=r"^(?:env:[A-Za-z_][A-Za-z0-9_]*|file:/[!-~]+)?$")


def workspace_policy(settings: dict[str, Any]) -> WorkspacePolicy:
    return WorkspacePolicy.model_validate(settings or {})


def change_policy(session: Session, workspace: Workspace, changes: dict[str, Any], *,
                  by: str, environment: str) -> WorkspacePolicy:
    """Merge ``changes`` into the workspace's policy (a section such as ``approval`` merged
    key by key), validate the whole before anything is stored, store it and record who
    changed what. A refusal is an :class:`~cadenza.errors.InputError` naming the key.
    ``environment`` is the process's (``CADENZA_ENVIRONMENT``): in production a workspace's
    ``public_base_url`` must pass the check ``CADENZA_PUBLIC_BASE_URL`` passes.

    The one way the policy changes, whether from ``cadenza workspace set`` or the API.
    """
    settings: dict[str, Any] = json.loads(json.dumps(workspace.settings or {}))
    for key, value in changes.items():
        current = settings.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            settings[key] = {**current, **value}
        else:
            settings[key] = value
    try:
        policy = WorkspacePolicy.model_validate(settings, context={"environment": environment})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        msg = first["msg"].removeprefix("Value error, ")
        raise InputError(f"{where}: {msg}", field=where) from None
    workspace.settings = settings
    session.add(workspace)
    record_event(session=session, kind="workspace.policy_changed", workspace_id=workspace.id,
                 subject_type="workspace", subject_id=workspace.id, by=by, changes=changes)
    return policy
