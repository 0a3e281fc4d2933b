"""The fault run, small (#17 item 4): real worker and watch processes on PostgreSQL, dovecot
and an SMTP sink while each kind of fault happens at least once (a worker and a watcher
SIGKILLed and restarted, the sink refusing and dropping connections, dovecot's connections
kicked and dovecot restarted); PostgreSQL's restart is left to ``benchmarks/fault_run.py``,
since it cuts every other test's connections too."""

from __future__ import annotations

from cadenza.bench.fault_run import SMOKE, fault_run

from support.dovecot import BreakableImap, run_dovecot_process
from support.postgres import ADMIN_URL


def test_every_invariant_holds_under_faults() -> None:
    with run_dovecot_process() as (server, master):
        figures = fault_run(SMOKE, imap=BreakableImap(server, master), admin_url=ADMIN_URL)
    assert figures["broken"] == {}, figures["broken"]
    assert all(figures["faults"].get(kind, 0) >= 1 for kind in (
        "kill_worker", "kill_watcher", "smtp_refuse", "smtp_drop", "imap_kick",
        "imap_restart")), figures["faults"]
    assert figures["distinct_at_sink"] == figures["at_sink"] > 0
    assert figures["replies_appended"] > 0
    assert figures["reply_processed_events"] == figures["replies_appended"]
    assert figures["most_sends_of_a_mailbox_in_24h"] <= figures["daily_cap"]
