"""What an inbound message means for the cadence, and what Cadenza does about it.

``policy`` is the only place an intent becomes an action (the watcher and the triage decision
both call it); ``triage`` holds the person's decision and its clock; ``optout`` the one-click
opt-out. May import ``agent`` (the enrollment lifecycle), ``mailbox`` (parsing, threading,
classification), ``handoff`` (working hours, routing rules) and ``store``; nothing in ``agent``,
``mailbox`` or ``handoff`` imports it back, except the mailbox's processing pipeline, which calls
the policy.
"""
