"""The playbook schema: a cadence as data, validated strictly (unknown keys are errors)."""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Channel = Literal["email", "linkedin_connect", "linkedin_message", "call", "manual"]
Owner = Literal["agent", "rep"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Templates the agent knows how to draft, per channel. Rep-owned steps may name any template
#: (it is a suggestion for the rep's own text) or none.
AGENT_TEMPLATES: dict[str, frozenset[str]] = {
    "email": frozenset({"email_opener", "email_followup", "email_value", "email_breakup"}),
    "linkedin_connect": frozenset({"linkedin_connect"}),
    "linkedin_message": frozenset({"linkedin_message"}),
    "call": frozenset({"call_script"}),
    "manual": frozenset({"social_engagement"}),
}
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SendWindow(_Strict):
    """When touches may go out, in the time zone chosen by the playbook's ``timezone_policy``."""

    start: str = "08:30"
    end: str = "17:30"
    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not _HHMM.match(v):
            raise ValueError(f"{v!r} is not a time of day HH:MM")
        return v

    @model_validator(mode="after")
    def _ordered(self) -> SendWindow:
        if self.start >= self.end:
            raise ValueError(f"send window start {self.start} must be before end {self.end}")
        if not self.days:
            raise ValueError("send window needs at least one day")
        return self

    def minutes(self) -> tuple[int, int]:
        sh, sm = map(int, self.start.split(":"))
        eh, em = map(int, self.end.split(":"))
        return sh * 60 + sm, eh * 60 + em


class Step(_Strict):
    """One step: on ``day`` (1 = the day of enrollment), over ``channel``, owned by someone."""

    day: int = Field(ge=1, le=365)
    channel: Channel
    owner: Owner = "agent"
    template: str | None = None
    name: str = ""
    send_window: SendWindow | None = None

    @model_validator(mode="after")
    def _template_known(self) -> Step:
        if self.owner == "agent":
            known = AGENT_TEMPLATES[self.channel]
            if self.template is None:
                raise ValueError(f"an agent-owned {self.channel} step needs a template "
                                 f"(one of {', '.join(sorted(known))})")
            if self.template not in known:
                raise ValueError(f"unknown template {self.template!r} for channel "
                                 f"{self.channel} (one of {', '.join(sorted(known))})")
        return self


class PlaybookSpec(_Strict):
    """A whole cadence."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    description: str = ""
    kind: Literal["outbound", "inbound"] = "outbound"
    business_days: bool = True
    timezone_policy: Literal["prospect", "workspace"] = "prospect"
    default_timezone: str = "UTC"
    send_window: SendWindow = Field(default_factory=SendWindow)
    linkedin_note_limit: int = Field(default=300, ge=50, le=300)
    steps: tuple[Step, ...] = Field(min_length=1)

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        if v not in _zones():
            raise ValueError(f"unknown time zone {v!r} (use an IANA name like Europe/Berlin)")
        ZoneInfo(v)
        return v

    @model_validator(mode="after")
    def _days_ordered(self) -> PlaybookSpec:
        last = 0
        for i, step in enumerate(self.steps, start=1):
            if step.day < last:
                raise ValueError(f"step {i} is on day {step.day}, before step {i - 1} "
                                 f"(day {last}): steps must be in day order")
            last = step.day
        return self

    def warnings(self) -> list[str]:
        """What is valid but probably not what the author meant: a send window that lists
        Saturday or Sunday while ``business_days`` keeps every touch off the weekend."""
        weekend = [d for d in self.send_window.days if d in ("sat", "sun")]
        if weekend and self.business_days:
            return [f"send_window.days lists {', '.join(weekend)}, but business_days is true, so "
                    "no touch goes out then (set business_days: false to send at weekends)"]
        return []

    def agent_steps(self) -> list[tuple[int, Step]]:
        """The early agent-owned steps (1-based numbers) up to the first rep-owned step."""
        out: list[tuple[int, Step]] = []
        for number, step in enumerate(self.steps, start=1):
            if step.owner != "agent":
                break
            out.append((number, step))
        return out

    def step(self, number: int) -> Step:
        return self.steps[number - 1]


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return _ZONES
