"""The cadence runtime: the touch graph and its nodes, the outbox (exactly-once delivery and
the send-time check), the scheduler, enrolment, and the enrollment lifecycle (stop, pause,
wait, resume) that every other package uses to change an enrollment.

May import ``writing``, ``mailbox`` (sending), ``timing``, ``playbooks``, ``prompts``, ``llm``,
``store`` and ``states``; never ``replies``, ``handoff``, ``api``, ``evals`` or ``cli``
(tests/test_layering.py checks the direction).
"""
