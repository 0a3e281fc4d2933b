"""The playbook schema: a cadence as data, validated strictly (unknown keys are errors)."""

from __future__ import annotations

import re
from typing import Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

Channel = Literal["email", "linkedin_connect", "linkedin_message", "call", "manual"]
Owner = Literal["agent", "rep"]
#: How an email's subject is written: as the template writes it, the prospect's company name
#: alone, or the prospect's first name before the template's subject. A follow-up in a thread
#: keeps its ``Re:`` subject whatever the style.
SubjectStyle = Literal["template", "company", "first_name"]
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


class Variant(_Strict):
    """One arm of a step's A/B test: what it changes from the step as written (nothing, for
    the control)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")
    template: str | None = None
    subject_style: SubjectStyle | None = None
    day: int | None = Field(default=None, ge=1, le=365)
    channel: Channel | None = None

    def changes(self) -> dict[str, Any]:
        """The step fields this variant sets."""
        return {k: v for k, v in (("template", self.template),
                                  ("subject_style", self.subject_style), ("day", self.day),
                                  ("channel", self.channel)) if v is not None}


class Step(_Strict):
    """One step: on ``day`` (1 = the day of enrollment), over ``channel``, owned by someone.

    ``variants`` (two or more, agent-owned steps only) make the step an A/B test: each
    prospect gets one variant, chosen by :func:`cadenza.playbooks.variants.assign_variant`.
    """

    day: int = Field(ge=1, le=365)
    channel: Channel
    owner: Owner = "agent"
    template: str | None = None
    name: str = ""
    send_window: SendWindow | None = None
    subject_style: SubjectStyle = "template"
    variants: tuple[Variant, ...] = ()

    @model_serializer(mode="wrap")
    def _without_unused(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Leave the A/B fields out while they hold their defaults, so a playbook written
        before variants existed keeps its content hash (its stored version) and its stored
        definition."""
        data: dict[str, Any] = handler(self)
        if not self.variants:
            data.pop("variants", None)
        if self.subject_style == "template":
            data.pop("subject_style", None)
        return data

    @model_validator(mode="after")
    def _variants_valid(self) -> Step:
        if not self.variants:
            return self
        if self.owner != "agent":
            raise ValueError("only agent-owned steps can carry variants (a rep writes their "
                             "own text)")
        if len(self.variants) < 2:
            raise ValueError("variants need at least two arms (the first is usually the step "
                             "as written: {name: a})")
        names = [v.name for v in self.variants]
        if len(set(names)) != len(names):
            raise ValueError(f"variant names must be unique, got {', '.join(names)}")
        for variant in self.variants:
            try:
                self.with_variant(variant.name)
            except ValueError as exc:
                raise ValueError(f"variant {variant.name!r}: {_first_error(exc)}") from None
        return self

    def variant(self, name: str) -> Variant | None:
        return next((v for v in self.variants if v.name == name), None)

    def with_variant(self, name: str) -> Step:
        """The step as variant ``name`` runs it (the step itself for "" or an unknown name:
        a touch recorded before a playbook edit still runs)."""
        chosen = self.variant(name) if name else None
        if chosen is None:
            return self
        data = self.model_dump()
        data.update(chosen.changes())
        data.pop("variants", None)
        if chosen.channel is not None and chosen.template is None and \
                chosen.channel != self.channel:
            data["template"] = None if self.owner != "agent" else _default_template(
                chosen.channel)
        return Step.model_validate(data)

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
            following = self.steps[i].day if i < len(self.steps) else 365
            for variant in step.variants:
                if variant.day is not None and not last <= variant.day <= following:
                    raise ValueError(f"step {i} variant {variant.name!r} is on day "
                                     f"{variant.day}, outside its neighbours' days "
                                     f"{last}..{following}")
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

    def step_as(self, number: int, variant: str) -> Step:
        """Step ``number`` as its variant ``variant`` runs it ("" = the step as written)."""
        return self.steps[number - 1].with_variant(variant)


def _default_template(channel: str) -> str | None:
    """The template a variant that only moves a step to another channel drafts with: the
    channel's one template (email has several, so an email variant must name it)."""
    known = AGENT_TEMPLATES[channel]
    return next(iter(known)) if len(known) == 1 else None


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        return str(first.get("msg", exc)).removeprefix("Value error, ")
    return str(exc)


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return _ZONES
