"""The states of touches, enrollments and replies, and the named sets of them.

(A handoff's states and their transitions have their own home: :mod:`cadenza.handoff.tickets`.)

Every module that tests a state uses these names, so the sets cannot drift apart: a set
written out in two places once let a ``held`` touch survive an opt-out because one copy
counted it as unsent and the other did not. The values are the strings stored in the
database columns; ``StrEnum`` members compare equal to them.
"""

from __future__ import annotations

from enum import StrEnum


class TouchState(StrEnum):
    """Where one touch (one executed step; also the outbox row) stands."""

    PENDING = "pending"  # created by the scheduler, not drafted yet (or checked, auto-approved)
    DRAFTED = "drafted"  # written by older versions only; still claimable
    AWAITING_APPROVAL = "awaiting_approval"  # waiting for a person's approve/edit/reject
    HELD = "held"  # failed its checks or a policy: a person edits or rejects it
    APPROVED = "approved"  # a person approved it; not handed to the transport yet
    DEFERRED = "deferred"  # written by older versions only (soft-bounce retry)
    SENDING = "sending"  # claimed: handed to the transport, outcome not yet recorded
    SENT = "sent"
    TASK_OPEN = "task_open"  # a LinkedIn/call/manual step waiting for a person
    DONE = "done"  # a person did the step
    CANCELLED = "cancelled"
    SKIPPED = "skipped"
    REJECTED = "rejected"
    FAILED = "failed"


class EnrollmentState(StrEnum):
    """Where one prospect's run through one playbook stands."""

    ACTIVE = "active"  # a step is due at next_due_at (claimed_at set while in flight)
    PAUSED = "paused"  # until paused_until (out of office), or refused delivery
    WAITING = "waiting"  # a person must decide first (an uncertain reply); reason in stop_reason
    COMPLETED = "completed"  # the agent's steps are done: handed to a rep or cadence finished
    STOPPED = "stopped"  # a reply, an opt-out, a bounce, an operator
    SKIPPED = "skipped"  # the agent never reached the prospect: every step was skipped
    FAILED = "failed"


class ReplyState(StrEnum):
    """Where one inbound message stands."""

    STORED = "stored"  # raw bytes committed, not processed yet
    PROCESSING = "processing"
    PROCESSED = "processed"
    TRIAGE = "triage"  # waiting for a person to say what it means
    IGNORED = "ignored"
    DUPLICATE = "duplicate"


#: Unsent touches a stop, an opt-out or a bounce calls off: everything not yet handed to the
#: transport. A touch in ``sending`` is the outbox's to settle (the send-time check and
#: recovery), and settled touches are history.
UNSENT: frozenset[str] = frozenset({
    TouchState.PENDING, TouchState.DRAFTED, TouchState.AWAITING_APPROVAL, TouchState.HELD,
    TouchState.APPROVED, TouchState.DEFERRED})
#: A touch may be claimed for sending from these only: checked and auto-approved in the same
#: run (``pending``), or approved by a person. Never held, awaiting approval or cancelled.
CLAIMABLE: frozenset[str] = frozenset({TouchState.PENDING, TouchState.DRAFTED,
                                       TouchState.APPROVED})
#: Touches a crashed run left half-way that the scheduler may run again.
RESUMABLE: frozenset[str] = CLAIMABLE
#: Touches whose outcome is final.
TERMINAL: frozenset[str] = frozenset({
    TouchState.SENT, TouchState.TASK_OPEN, TouchState.DONE, TouchState.CANCELLED,
    TouchState.SKIPPED, TouchState.REJECTED, TouchState.FAILED})
#: Touches a graph node may never move out of (only the outbox and ``record`` may).
SETTLED: frozenset[str] = frozenset({TouchState.SENDING, *TERMINAL})
#: Touches that reached (or may have reached) the prospect's inbox.
DELIVERED: frozenset[str] = frozenset({TouchState.SENT, TouchState.SENDING})
#: Touches that mean the agent reached the prospect on some channel.
REACHED: frozenset[str] = frozenset({TouchState.SENT, TouchState.SENDING,
                                     TouchState.TASK_OPEN, TouchState.DONE})
#: Outcomes after which the enrollment moves on to its next step.
ADVANCING: frozenset[str] = frozenset({TouchState.SENT, TouchState.TASK_OPEN,
                                       TouchState.SKIPPED, TouchState.REJECTED})

#: Enrollments that may still produce a touch: what a stop ends and what blocks a second one.
LIVE: frozenset[str] = frozenset({EnrollmentState.ACTIVE, EnrollmentState.PAUSED,
                                  EnrollmentState.WAITING})

#: Replies whose processing is finished.
REPLY_DONE: frozenset[str] = frozenset({ReplyState.PROCESSED, ReplyState.TRIAGE,
                                        ReplyState.IGNORED, ReplyState.DUPLICATE})

#: Intents a machine sends; every other reply was written by a person. Only these leave an
#: enrollment running (an absence notice pauses it until the return date).
MACHINE_INTENTS: frozenset[str] = frozenset({"bounce", "auto_reply", "out_of_office"})
#: Intents that hand the prospect to a rep, with the ticket's priority.
HANDOFF_PRIORITY: dict[str, int] = {"meeting_request": 3, "interested": 2, "question": 1}
