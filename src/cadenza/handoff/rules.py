"""Routing rules per workspace: YAML validated strictly, stored in ``Workspace.settings``.

The rules are data (like playbooks): a file an operator edits, validated with
``extra="forbid"`` so a typo (``capcity``) is an error naming the file, the line and the field
instead of a silently ignored setting. Reps are referenced by email; :func:`save_routing`
writes the per-rep settings onto the ``Rep`` rows (creating missing reps when the entry has a
name), so routing reads one table and an operator's later change through the API (marking a rep
away) is not overwritten until the file is applied again.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from cadenza.errors import InputError
from cadenza.store.events import record_event
from cadenza.store.models import Rep, Workspace
from cadenza.store.tokens import revoke_rep_tokens
from cadenza.timing.working_hours import WorkingHours, parse_week, zone_named
from cadenza.yamlsource import load_yaml, read_text, validation_error

SETTINGS_KEY = "routing"

#: Regions a territory may name besides ISO 3166 country codes; a workspace can add its own.
BUILTIN_REGIONS: dict[str, frozenset[str]] = {
    "DACH": frozenset({"DE", "AT", "CH"}),
    "BENELUX": frozenset({"BE", "NL", "LU"}),
    "NORDICS": frozenset({"SE", "NO", "DK", "FI", "IS"}),
    "UKI": frozenset({"GB", "IE"}),
    "IBERIA": frozenset({"ES", "PT"}),
    "NA": frozenset({"US", "CA"}),
    "LATAM": frozenset({"MX", "BR", "AR", "CL", "CO", "PE", "UY", "EC", "CR", "PA", "GT"}),
    "ANZ": frozenset({"AU", "NZ"}),
    "EU": frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
                     "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK",
                     "SI", "ES", "SE"}),
}
BUILTIN_REGIONS["EMEA"] = BUILTIN_REGIONS["EU"] | frozenset({
    "GB", "CH", "NO", "IS", "LI", "RS", "UA", "TR", "IL", "AE", "SA", "QA", "EG", "MA", "ZA",
    "NG", "KE"})
BUILTIN_REGIONS["AMER"] = BUILTIN_REGIONS["NA"] | BUILTIN_REGIONS["LATAM"]
BUILTIN_REGIONS["APAC"] = BUILTIN_REGIONS["ANZ"] | frozenset({
    "JP", "CN", "HK", "TW", "KR", "SG", "MY", "TH", "VN", "PH", "ID", "IN"})


class RoutingError(InputError):
    """A routing rules file or payload is malformed or fails the schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Week = dict[str, str | list[str]]


def _check_week(value: Week | None) -> Week | None:
    if value is not None:
        parse_week(value, "UTC")
    return value


class RepRule(_Strict):
    """One rep's routing settings; only the fields written here are applied to the Rep row."""

    email: str
    name: str | None = None
    timezone: str | None = None
    languages: list[str] | None = None
    territories: list[str] | None = None
    working_hours: Week | None = None
    capacity: int | None = Field(default=None, ge=0)
    weight: float | None = Field(default=None, gt=0)
    away: bool | None = None
    active: bool | None = None

    _hours = field_validator("working_hours")(_check_week)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if "@" not in v:
            raise ValueError(f"{v!r} is not an email address")
        return v.strip().lower()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str | None) -> str | None:
        if v is not None:
            zone_named(v)
        return v

    @field_validator("languages")
    @classmethod
    def _langs(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else [language_key(x) for x in v]


class Escalation(_Strict):
    """What happens when a ticket is not accepted in time (minutes are working minutes)."""

    reassign_after: int = Field(default=30, ge=1)
    max_reassignments: int = Field(default=2, ge=0)
    notify: list[str] = Field(default_factory=list)


class WebhookRule(_Strict):
    """Where handoff notices are POSTed, signed with the secret the reference points to."""

    url: str = Field(pattern=r"^https?://")
    secret: str = Field(default="", pattern=r"^(|env:.+|file:.+)$")
    slack: bool = False


class Notifications(_Strict):
    """How reps hear about their tickets: email (from the workspace's first active mailbox)
    and/or a signed webhook."""

    email: bool = True
    webhook: WebhookRule | None = None


class RoutingConfig(_Strict):
    """A workspace's routing rules (see the module docstring and ``docs`` in the README)."""

    sla_minutes: int = Field(default=15, ge=1)
    timezone: str = "UTC"
    working_hours: Week | None = None
    fallback_queue: str = Field(default="unassigned", min_length=1, max_length=64)
    cc_owner: bool = False
    #: Saleswhale's pattern: when a reply is handed to a rep, the sending mailbox answers in the
    #: prospect's thread with the rep in Cc ("I'm copying Ana, who will take it from here").
    cc_rep_in_thread: bool = False
    owner_when_away: Literal["keep", "route"] = "keep"
    language_required: bool = False
    assign_owner: bool = True
    escalation: Escalation = Field(default_factory=Escalation)
    notifications: Notifications = Field(default_factory=Notifications)
    regions: dict[str, list[str]] = Field(default_factory=dict)
    reps: list[RepRule] = Field(default_factory=list)

    _hours = field_validator("working_hours")(_check_week)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        zone_named(v)
        return v

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k.upper(): [c.strip().upper() for c in codes] for k, codes in v.items()}

    @model_validator(mode="after")
    def _unique_reps(self) -> RoutingConfig:
        seen: set[str] = set()
        for rule in self.reps:
            if rule.email in seen:
                raise ValueError(f"rep {rule.email} is listed twice")
            seen.add(rule.email)
        return self

    def hours(self) -> WorkingHours:
        """The workspace's own hours (for queues and reps without hours of their own)."""
        return parse_week(self.working_hours, self.timezone)

    def rep_hours(self, rep: Rep) -> WorkingHours:
        """A rep's hours in the rep's zone; the workspace's week when the rep has none."""
        week: Week | None = rep.working_hours or self.working_hours
        return _cached_week(_freeze(week), rep.timezone or self.timezone)

    def countries_of(self, territory: str) -> frozenset[str] | None:
        """The country codes a region names, or ``None`` when ``territory`` is not a region."""
        key = territory.strip().upper()
        if key in self.regions:
            return frozenset(self.regions[key])
        return BUILTIN_REGIONS.get(key)


def _freeze(week: Week | None) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if week is None:
        return None
    return tuple((k, (v,) if isinstance(v, str) else tuple(v)) for k, v in week.items())


@lru_cache(maxsize=1024)
def _cached_week(frozen: tuple[tuple[str, tuple[str, ...]], ...] | None,
                 timezone: str) -> WorkingHours:
    """Parsed hours per (week, zone): routing checks 50 reps per decision."""
    spec: Week | None = None if frozen is None else {k: list(v) for k, v in frozen}
    return parse_week(spec, timezone)


def language_key(tag: str) -> str:
    """``de-AT`` → ``de``: routing matches the primary language subtag."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def parse_routing(text: str, *, origin: str) -> RoutingConfig:
    """Parse and validate routing YAML; ``origin`` names the source in errors."""
    data, root = load_yaml(text, origin=origin, error=RoutingError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RoutingError("routing rules must be a mapping (sla_minutes, reps, …)",
                           file=origin, line=1)
    return _validate(data, origin=origin, root=root)


def _validate(data: Any, *, origin: str | None, root: yaml.Node | None = None) -> RoutingConfig:
    try:
        return RoutingConfig.model_validate(data)
    except ValidationError as exc:
        # A Week is a dict of str|list: pydantic adds the union branch to the location.
        raise validation_error(exc, origin=origin, root=root, error=RoutingError,
                               ignore=("str", "list[str]")) from None


def load_routing_file(path: Path | str) -> RoutingConfig:
    """Load and validate one routing rules file."""
    path = Path(path)
    text = read_text(path, what="routing rules", error=RoutingError)
    return parse_routing(text, origin=str(path))


def routing_for(workspace: Workspace) -> RoutingConfig:
    """The workspace's stored rules (defaults when none were saved)."""
    raw = (workspace.settings or {}).get(SETTINGS_KEY)
    if raw is None:
        return RoutingConfig()
    return _validate(raw, origin=f"workspace {workspace.slug} settings.routing")


def save_routing(*, session: Session, workspace_id: int,
                 config: RoutingConfig | dict[str, Any], now: dt.datetime) -> RoutingConfig:
    """Validate, store in ``Workspace.settings["routing"]`` and apply the rep entries.

    A rep entry whose email has no Rep row creates one when it has a ``name``; without a name
    it is an error (a typo in an email must not silently route nobody). An entry with
    ``active: false`` revokes that rep's tokens at ``now``, as deactivating them through the
    API does.
    """
    if not isinstance(config, RoutingConfig):
        config = _validate(config, origin="routing payload")
    ws = session.get(Workspace, workspace_id)
    if ws is None:
        raise RoutingError(f"no workspace with id {workspace_id}")
    existing = {r.email.lower(): r for r in
                session.exec(select(Rep).where(Rep.workspace_id == workspace_id)).all()}
    for i, rule in enumerate(config.reps):
        rep = existing.get(rule.email)
        if rep is None:
            if not rule.name:
                raise RoutingError(f"no rep {rule.email} in this workspace; add a name to "
                                   "create one", field=f"reps.{i}.email")
            rep = Rep(workspace_id=workspace_id, name=rule.name, email=rule.email)
        for key, value in rule.model_dump(exclude_unset=True, exclude={"email"}).items():
            if key == "working_hours":
                value = parse_week(value, "UTC").as_spec()
            setattr(rep, key, value)
        session.add(rep)
        if rule.active is False and rep.id is not None:
            revoke_rep_tokens(session=session, rep_id=rep.id, now=now, by="routing rules")
    settings = dict(ws.settings or {})
    settings[SETTINGS_KEY] = config.model_dump(mode="json", exclude_defaults=True)
    ws.settings = settings
    session.add(ws)
    session.flush()
    record_event(session=session, kind="routing.saved", workspace_id=workspace_id,
                 subject_type="workspace", subject_id=workspace_id, reps=len(config.reps))
    return config
