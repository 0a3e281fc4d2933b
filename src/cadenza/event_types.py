"""The events a webhook subscriber receives: one pydantic model per type, and their catalogue.

A CRM builds its "trigger → action" automations on these, so the names and fields are a public
contract: a field may be added, never renamed or removed. Every delivery is one
:class:`Envelope` (``id`` is the event's id — the same on a retry and on a replay, so a
receiver deduplicates by it — ``type``, ``created_at``, ``workspace``, ``data``). ``data`` holds
ids and the fields a CRM needs, never a reply's text, a draft's body or a secret: it is built by
validating the logged event against the type's model, which ignores every other field.

The JSON schema of each type, with an example, is served at ``GET /api/events/schema`` and
written to ``docs/events/<type>.json`` by ``cadenza webhooks schema --out docs/events``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_EXAMPLE_AT = dt.datetime(2026, 12, 7, 9, 30, 12, tzinfo=dt.UTC)


class _Data(BaseModel):
    """Unknown keys of the logged event are dropped: only what the model names goes out."""

    model_config = ConfigDict(extra="ignore")


class ProspectRef(_Data):
    """Who the event is about, as the CRM knows them (read when the delivery is made)."""

    id: int = Field(description="Cadenza's prospect id")
    external_id: str = Field(description="the `id` of the imported record (your CRM's id)")
    email: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company: str = ""
    company_domain: str = ""
    country: str = ""


class RepRef(_Data):
    """The rep who owns a handoff."""

    id: int
    name: str
    email: str


class _AboutProspect(_Data):
    prospect: ProspectRef | None = Field(
        default=None, description="null when the prospect is not known (an unmatched reply)")


class TouchSent(_AboutProspect):
    """An email of a cadence was accepted by the SMTP server (at most once per touch)."""

    touch_id: int
    enrollment_id: int
    playbook: str
    step: int = Field(description="1-based step of the playbook")
    attempt: int = Field(default=1, description="above 1: the step sent again after a soft "
                                                "bounce")
    channel: Literal["email"] = "email"
    subject: str
    message_id: str = Field(description="the Message-ID replies will refer to")
    to_address: str
    sent_at: dt.datetime


class ReplyClassified(_AboutProspect):
    """An inbound message was classified and the reply policy acted on it."""

    reply_id: int
    touch_id: int | None = Field(default=None, description="the touch it answers, if threaded")
    intent: str = Field(description="interested, meeting_request, question, referral, not_now, "
                                    "not_interested, unsubscribe, out_of_office, auto_reply, "
                                    "bounce or unclear")
    confidence: float
    classifier: str = Field(description="standards, rules, model, llm or person")
    action: str = Field(description="what Cadenza did: handoff, stopped, paused, suppressed, "
                                    "triage, …")
    thread_method: str = Field(description="how it was matched to a touch: in_reply_to, "
                                           "references, sender, … or none")
    return_date: str | None = Field(default=None, description="YYYY-MM-DD (out of office)")
    follow_up_after: str | None = Field(default=None, description="YYYY-MM-DD (not now)")
    referral_email: str | None = None


class ProspectOptedOut(_AboutProspect):
    """An address asked not to be contacted again: it is suppressed and every cadence stopped."""

    address: str
    reason: Literal["unsubscribe", "complaint"]
    via: Literal["link", "reply"] = Field(description="the one-click link, or a reply")
    touch_id: int | None = None
    reply_id: int | None = None
    stopped_enrollments: list[int] = Field(default_factory=list)


class HandoffCreated(_AboutProspect):
    """A prospect was handed to a person: a positive reply, or the agent's steps ended."""

    handoff_id: int
    intent: str = Field(description="interested, meeting_request, question, or "
                                    "cadence_handoff (the agent's steps ended)")
    priority: int
    reply_id: int | None = None
    enrollment_id: int | None = None


class HandoffAccepted(_AboutProspect):
    """A rep accepted a handoff."""

    handoff_id: int
    rep: RepRef | None = None
    by: str = Field(description="who acted: rep:<id>, an email, cli:<user>")
    accepted_at: dt.datetime


class HandoffSlaBreached(_AboutProspect):
    """Nobody accepted a handoff within its SLA: it is escalated (then reassigned or queued)."""

    handoff_id: int
    rep: RepRef | None = Field(default=None, description="who had it; null for a queue")
    queue: str
    sla_due_at: dt.datetime | None
    working_minutes_waited: float


class MeetingBooked(_AboutProspect):
    """A rep marked a handoff's meeting as booked."""

    handoff_id: int
    rep: RepRef | None = None
    by: str
    booked_at: dt.datetime


class EnrollmentCompleted(_AboutProspect):
    """The agent's steps of a cadence ended without a reply."""

    enrollment_id: int
    playbook: str
    reason: Literal["cadence_finished", "handed_to_rep"]
    steps_done: int
    handoff_id: int | None = Field(default=None, description="the rep's ticket, when handed on")


class LeadReceived(_AboutProspect):
    """An inbound lead arrived (``POST /api/leads`` or the signed inbound webhook)."""

    arrived_at: dt.datetime
    via: Literal["api", "inbound_webhook"]
    record: Literal["created", "updated", "unchanged", "rejected"] = Field(
        description="what the import did with the record")
    status: Literal["queued", "scheduled", "not_enrolled", "suppressed", "rejected"] = Field(
        description="queued: its first touch runs now; scheduled: at the send window's next "
                    "opening (next_due_at); not_enrolled: see reason (already in a cadence…); "
                    "suppressed: the address must not be contacted; rejected: the record is "
                    "invalid (reason, field)")
    playbook: str
    enrollment_id: int | None = None
    next_due_at: dt.datetime | None = None
    reason: str = ""
    field: str | None = Field(default=None, description="of a rejected record")


class LeadContacted(_AboutProspect):
    """The first touch of an inbound lead was delivered: speed to lead, both timestamps."""

    enrollment_id: int
    touch_id: int
    playbook: str
    arrived_at: dt.datetime
    delivered_at: dt.datetime
    seconds: float = Field(description="delivered_at - arrived_at")


class MailboxRested(_Data):
    """A mailbox was taken out of rotation for a while: a hard-bounce spike or a spam
    complaint (``source`` names the touch or reply that tipped it), or an operator's rest.
    Its own prospects' touches wait for it; no new prospect goes to it."""

    mailbox_id: int
    mailbox: str = Field(description="its sending address")
    reason: str = Field(description="why, e.g. the bounce rate against the threshold")
    source: str = Field(description="`touch <id>`, `reply:<id>`, or the operator's token/user")
    rested_at: dt.datetime
    rested_until: dt.datetime | None = Field(
        default=None, description="when it is back by itself; null: when an operator ends "
                                  "the rest")
    waiting_enrollments: int = Field(description="its running enrollments, which now wait")


class WebhookTest(_Data):
    """Sent by ``cadenza webhooks test`` / ``POST /api/webhooks/{id}/test`` only."""

    subscription_id: int
    message: str = "a test event from Cadenza"


#: The stable names of the public types (what a subscription's ``event_types`` may list).
EventType = Literal["touch.sent", "reply.classified", "prospect.opted_out", "handoff.created",
                    "handoff.accepted", "handoff.sla_breached", "meeting.booked",
                    "enrollment.completed", "lead.received", "lead.contacted",
                    "mailbox.rested"]

#: Every type a subscription may ask for, by its stable name.
CATALOGUE: dict[str, type[_Data]] = {
    "touch.sent": TouchSent,
    "reply.classified": ReplyClassified,
    "prospect.opted_out": ProspectOptedOut,
    "handoff.created": HandoffCreated,
    "handoff.accepted": HandoffAccepted,
    "handoff.sla_breached": HandoffSlaBreached,
    "meeting.booked": MeetingBooked,
    "enrollment.completed": EnrollmentCompleted,
    "lead.received": LeadReceived,
    "lead.contacted": LeadContacted,
    "mailbox.rested": MailboxRested,
}
#: The kinds the event log delivers to subscriptions (``webhook.test`` goes to one, on demand).
PUBLIC_KINDS: frozenset[str] = frozenset(CATALOGUE)
TEST_KIND = "webhook.test"
DOCUMENTED: dict[str, type[_Data]] = {**CATALOGUE, TEST_KIND: WebhookTest}


class Envelope(BaseModel):
    """One delivery's JSON body (signed; see the README's "Events and webhooks")."""

    id: int = Field(description="the event's id: the same on every retry and replay")
    type: str
    created_at: dt.datetime
    workspace: str = Field(description="the workspace's slug")
    data: dict[str, Any]


def envelope(*, event_id: int, kind: str, at: dt.datetime, workspace: str,
             data: dict[str, Any]) -> dict[str, Any]:
    """The JSON-ready body of one event: ``data`` validated by the type's model."""
    model = DOCUMENTED[kind]
    public = model.model_validate(data).model_dump(mode="json")
    return Envelope(id=event_id, type=kind, created_at=at, workspace=workspace,
                    data=public).model_dump(mode="json")


_PROSPECT = {"id": 42, "external_id": "crm-0042", "email": "dana@kestrelfreight.example",
             "first_name": "Dana", "last_name": "Ruiz", "title": "VP Operations",
             "company": "Kestrel Freight", "company_domain": "kestrelfreight.example",
             "country": "US"}
_REP = {"id": 3, "name": "Ana Lopez", "email": "ana@northwindlabs.io"}
_AT = _EXAMPLE_AT.isoformat()
EXAMPLES: dict[str, dict[str, Any]] = {
    "touch.sent": {"prospect": _PROSPECT, "touch_id": 901, "enrollment_id": 77,
                   "playbook": "ai-sdr-first-four", "step": 1, "attempt": 1, "channel": "email",
                   "subject": "Kestrel's new distribution centre",
                   "message_id": "<touch-901.3f2a@northwindlabs.io>",
                   "to_address": "dana@kestrelfreight.example", "sent_at": _AT},
    "reply.classified": {"prospect": _PROSPECT, "reply_id": 311, "touch_id": 901,
                         "intent": "meeting_request", "confidence": 0.93,
                         "classifier": "model", "action": "handoff",
                         "thread_method": "in_reply_to", "return_date": None,
                         "follow_up_after": None, "referral_email": None},
    "prospect.opted_out": {"prospect": _PROSPECT, "address": "dana@kestrelfreight.example",
                           "reason": "unsubscribe", "via": "link", "touch_id": 901,
                           "reply_id": None, "stopped_enrollments": [77]},
    "handoff.created": {"prospect": _PROSPECT, "handoff_id": 55, "intent": "meeting_request",
                        "priority": 3, "reply_id": 311, "enrollment_id": 77},
    "handoff.accepted": {"prospect": _PROSPECT, "handoff_id": 55, "rep": _REP, "by": "rep:3",
                         "accepted_at": _AT},
    "handoff.sla_breached": {"prospect": _PROSPECT, "handoff_id": 55, "rep": _REP,
                             "queue": "rep", "sla_due_at": _AT,
                             "working_minutes_waited": 16.0},
    "meeting.booked": {"prospect": _PROSPECT, "handoff_id": 55, "rep": _REP, "by": "rep:3",
                       "booked_at": _AT},
    "enrollment.completed": {"prospect": _PROSPECT, "enrollment_id": 77,
                             "playbook": "ai-sdr-first-four", "reason": "handed_to_rep",
                             "steps_done": 4, "handoff_id": 56},
    "lead.received": {"prospect": _PROSPECT, "arrived_at": _AT, "via": "inbound_webhook",
                      "record": "created", "status": "queued", "playbook": "inbound",
                      "enrollment_id": 78, "next_due_at": _AT, "reason": "", "field": None},
    "lead.contacted": {"prospect": _PROSPECT, "enrollment_id": 78, "touch_id": 902,
                       "playbook": "inbound", "arrived_at": _AT,
                       "delivered_at": "2026-12-07T09:30:12.840000+00:00", "seconds": 0.84},
    "mailbox.rested": {"mailbox_id": 2, "mailbox": "maya@northwindlabs.io",
                       "reason": "hard bounce spike: 2 of its last 31 sends in 24 h bounced "
                                 "(6%, threshold 5%)", "source": "touch 903",
                       "rested_at": _AT, "rested_until": "2026-12-09T09:30:12+00:00",
                       "waiting_enrollments": 14},
    TEST_KIND: {"subscription_id": 4, "message": "a test event from Cadenza"},
}


def example(kind: str) -> dict[str, Any]:
    """An example delivery body of ``kind`` (validated like a real one)."""
    return envelope(event_id=12345, kind=kind, at=_EXAMPLE_AT, workspace="acme",
                    data=EXAMPLES[kind])


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON schema of a delivery of ``kind``: the envelope with this type's ``data``, and
    an example."""
    model = DOCUMENTED[kind]
    data_schema = model.model_json_schema()
    defs = data_schema.pop("$defs", {})
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://cadenza.example/events/{kind}.json",
        "title": kind,
        "description": (model.__doc__ or "").strip(),
        "type": "object",
        "required": ["id", "type", "created_at", "workspace", "data"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "description": "the event's id: the same on every "
                                                     "retry and replay"},
            "type": {"const": kind},
            "created_at": {"type": "string", "format": "date-time"},
            "workspace": {"type": "string", "description": "the workspace's slug"},
            "data": data_schema,
        },
        "examples": [example(kind)],
    }
    if defs:
        schema["$defs"] = defs
    return schema
