"""The API's request and response models (``XPublic`` out, ``XIn``/``XCreate`` in).

Responses never carry a reply's raw bytes or HTML, only the stripped text; strings coming in are
bounded and may not contain NUL (PostgreSQL cannot store it), so a bad payload is a 422 naming the
field, never a half-written row.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

#: Database ids are 32-bit on PostgreSQL; anything outside is simply not found by validation.
IdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]

_NO_NUL = r"^[^\x00]*$"


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


ShortText = Annotated[str, Field(max_length=200, pattern=_NO_NUL)]
LongText = Annotated[str, Field(max_length=20_000, pattern=_NO_NUL)]
@cache
def _zones() -> list[str]:
    return sorted(available_timezones() | {"UTC"})


#: The schema lists the IANA names, so clients (and schemathesis) know what is accepted.
TimeZone = Annotated[str, Field(max_length=64, json_schema_extra=lambda s: s.update(
    enum=_zones())), AfterValidator(_timezone)]
#: Spelled without ``\s``: Python's and pydantic's regex engines disagree on what it matches.
_ADDR_PART = r"[^@\x00-\x20\x7f]+"
Email = Annotated[str, Field(max_length=254,
                             pattern=rf"^{_ADDR_PART}@{_ADDR_PART}\.{_ADDR_PART}$")]

INTENTS = ("interested", "meeting_request", "question", "referral", "not_now", "not_interested",
           "unsubscribe", "out_of_office", "auto_reply", "bounce")
Intent = Literal["interested", "meeting_request", "question", "referral", "not_now",
                 "not_interested", "unsubscribe", "out_of_office", "auto_reply", "bounce"]
HandoffAction = Literal["accept", "contacted", "meeting_booked", "disqualify", "return"]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FactPublic(_Out):
    key: str
    kind: str
    text: str
    date: dt.date | None = None
    source: str = ""


class ProspectPublic(_Out):
    id: int
    external_id: str
    email: str
    first_name: str
    last_name: str
    title: str
    company: str
    company_domain: str
    industry: str
    country: str
    timezone: str
    linkedin_url: str
    language: str
    owner_rep_id: int | None
    created_at: dt.datetime


class ProspectDetailPublic(ProspectPublic):
    facts: list[FactPublic]


class TouchPublic(_Out):
    id: int
    enrollment_id: int
    prospect_id: int
    step: int
    channel: str
    owner: str
    state: str
    to_address: str
    subject: str
    body: str
    fact_ids: list[str]
    reason: str
    approved_by: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class ReplyPublic(_Out):
    """A reply as a person reads it: classification and the stripped text, never raw HTML."""

    id: int
    state: str
    from_address: str
    subject: str
    text: str
    intent: str
    confidence: float
    fields: dict[str, Any]
    action: str
    touch_id: int | None
    prospect_id: int | None
    received_at: dt.datetime
    sent_at: dt.datetime | None


class EnrollmentPublic(_Out):
    id: int
    prospect_id: int
    playbook_id: int
    state: str
    next_step: int
    next_due_at: dt.datetime | None
    paused_until: dt.datetime | None
    stop_reason: str
    started_at: dt.datetime


class EnrollmentDetailPublic(EnrollmentPublic):
    touches: list[TouchPublic]
    replies: list[ReplyPublic]


class ApprovalPublic(BaseModel):
    """A draft waiting for a person, beside the research facts it used."""

    kind: Literal["approval", "held"]
    touch: TouchPublic
    prospect: ProspectPublic
    facts_used: list[FactPublic]
    failures: list[str]


class ApprovalEditIn(BaseModel):
    """The person's own text: checked again, then delivered (or held with the reason)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"subject": "Exceptions at Kestrel", "body": "Hi Dana, congratulations on the Series B…"}]})

    subject: ShortText | None = None
    body: Annotated[str, Field(min_length=1, max_length=20_000, pattern=_NO_NUL)]


class ApprovalRejectIn(BaseModel):
    """Why the draft was rejected (kept on the touch)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "too salesy"}]})

    note: ShortText = ""


class ApprovalResultPublic(BaseModel):
    touch_id: int
    outcome: str
    reason: str
    state: str


class TaskPublic(_Out):
    id: int
    kind: str
    state: str
    touch_id: int | None
    reply_id: int | None
    prospect_id: int | None
    title: str
    body: str
    link: str
    done_by: str
    created_at: dt.datetime
    done_at: dt.datetime | None


class TriageItemPublic(BaseModel):
    reply: ReplyPublic
    task: TaskPublic | None


class TriageResolveIn(BaseModel):
    """What the reply really says: the reply policy acts on this intent."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"intent": "not_now", "note": "asked us to write again in March"}]})

    intent: Intent
    note: ShortText = ""


class TriageResultPublic(BaseModel):
    reply_id: int
    intent: str
    handoff_id: int | None


class HandoffPublic(_Out):
    id: int
    prospect_id: int
    enrollment_id: int | None
    reply_id: int | None
    rep_id: int | None
    queue: str
    state: str
    priority: int
    intent: str
    confidence: float
    summary: str
    sla_due_at: dt.datetime | None
    created_at: dt.datetime
    accepted_at: dt.datetime | None
    contacted_at: dt.datetime | None
    closed_at: dt.datetime | None


class QueueItemPublic(HandoffPublic):
    """A queue row: the handoff plus who it is about, enough to pick what to open first."""

    prospect_name: str
    company: str
    sla_text: str


class ThreadItemPublic(BaseModel):
    direction: Literal["out", "in"]
    at: dt.datetime | None
    subject: str
    text: str
    channel: str


class TicketPublic(BaseModel):
    """Everything a rep needs to act within a minute."""

    handoff: HandoffPublic
    prospect: ProspectPublic
    facts: list[FactPublic]
    thread: list[ThreadItemPublic]
    fields: dict[str, Any]
    summary: str
    suggested_reply: str
    next_step: str
    route_reason: str
    sla_text: str


class RepPublic(_Out):
    id: int
    name: str
    email: str
    timezone: str
    languages: list[str]
    territories: list[str]
    capacity: int
    weight: float
    away: bool
    active: bool


class RepCreate(BaseModel):
    """A person who receives handoffs."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"name": "Ana Ruiz", "email": "ana@agency.example", "timezone": "Europe/Madrid",
         "languages": ["es", "en"], "territories": ["ES", "LATAM"], "capacity": 20}]})

    name: Annotated[str, Field(min_length=1, max_length=200, pattern=_NO_NUL)]
    email: Email
    timezone: TimeZone = "UTC"
    languages: list[Annotated[str, Field(max_length=8, pattern=r"^[A-Za-z-]+$")]] = Field(
        default_factory=list, max_length=20)
    territories: list[Annotated[str, Field(max_length=64, pattern=_NO_NUL)]] = Field(
        default_factory=list, max_length=50)
    capacity: Annotated[int, Field(ge=0, le=10_000)] = 20
    weight: Annotated[float, Field(ge=0.0, le=100.0)] = 1.0


class RepUpdate(BaseModel):
    """The rep's settings to change (``active: false`` also revokes their tokens)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"away": True},
                                                              {"capacity": 30}]})

    away: bool | None = None
    active: bool | None = None
    capacity: Annotated[int, Field(ge=0, le=10_000)] | None = None
    weight: Annotated[float, Field(ge=0.0, le=100.0)] | None = None


#: Days until a new token stops working (counted from its creation); omitted, it works until
#: revoked. Relative, so the schema alone says what is valid and no client clock is trusted.
ExpiresInDays = Annotated[int | None, Field(
    ge=1, le=3650, description="Refuse the token this many days after its creation, like a "
                               "revoked one; omit for a token that works until revoked.")]


class RepTokenCreate(BaseModel):
    """A token for one rep: it sees only that rep's queue and tickets."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"role": "rep", "name": "ana's phone", "rep_id": 3, "expires_in_days": 90}]})

    role: Literal["rep"]
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=_NO_NUL)]
    rep_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    expires_in_days: ExpiresInDays = None


class OperatorTokenCreate(BaseModel):
    """A token for an operator of the workspace: every endpoint, every ticket."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"role": "operator", "name": "crm-sync"}]})

    role: Literal["operator"]
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=_NO_NUL)]
    expires_in_days: ExpiresInDays = None


TokenCreate = Annotated[RepTokenCreate | OperatorTokenCreate, Field(discriminator="role")]


class TokenPublic(_Out):
    """A token as it is listed: what it is for and its state, never its secret (nor its
    hash)."""

    id: int
    name: str
    role: str
    rep_id: int | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None = Field(
        description="Recorded to the minute: a token used twice in a minute shows the first.")
    revoked: bool
    revoked_at: dt.datetime | None


class TokenCreatedPublic(TokenPublic):
    """The clear token appears here once; only its hash is kept."""

    token: str


class WhoAmIPublic(BaseModel):
    workspace_id: int
    role: str
    rep_id: int | None
    name: str


class MetricsPublic(BaseModel):
    enrollments_by_state: dict[str, int]
    touches_by_state: dict[str, int]
    replies_by_intent: dict[str, int]
    handoffs_by_state: dict[str, int]
    handoff: dict[str, Any] | None = None


class Problem(BaseModel):
    """The error body (FastAPI's ``{"detail": …}``)."""

    detail: str
