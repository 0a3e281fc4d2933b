"""What an inbound message means for the cadence, and what Cadenza does about it.

``classify/`` reads a raw message (pure, no database); ``watcher`` and ``processing`` fetch,
store and process every message exactly once; ``threading`` finds its touch and prospect;
``policy`` is the only place an intent becomes an action (the watcher and the triage decision
both call it; ``bounces`` is its bounce branch, ``base`` what every branch records);
``triage`` holds a person's decision and its clock; ``optout`` the one-click opt-out.

May import ``agent`` (the enrollment lifecycle), ``handoff`` (working hours, routing rules,
notices), ``mailbox`` (IMAP, the message format), ``timing`` and ``store``; nothing imports
it but ``api``, ``evals``, ``bench`` and ``cli`` (tests/test_layering.py).
"""
