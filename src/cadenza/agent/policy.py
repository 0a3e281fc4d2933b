"""Workspace policies the agent applies to every touch: approval, country rules, throttles.

Stored in ``Workspace.settings``; defaults are the cautious ones a serious agency would choose:
the first 20 drafts of each playbook are approved by a person before the agent runs alone.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ApprovalPolicy(BaseModel):
    """When a person must approve a draft before it goes out."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["never", "always", "first_n"] = "first_n"
    first_n: int = Field(default=20, ge=0)


class WorkspacePolicy(BaseModel):
    """The agent-relevant part of a workspace's settings."""

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


def workspace_policy(settings: dict[str, Any]) -> WorkspacePolicy:
    return WorkspacePolicy.model_validate(settings or {})
