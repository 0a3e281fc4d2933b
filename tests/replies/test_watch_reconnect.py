"""The server drops the watcher mid-IDLE (kicked, restarted, down a while): it reconnects with
backoff and misses nothing (#17 item 2). Against its own dovecot, which the test restarts."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter

import pytest
from sqlmodel import select

from cadenza.config import Settings
from cadenza.replies.processing import ProcessOutcome
from cadenza.replies.watch_pool import run_watchers
from cadenza.replies.watcher import WatchOptions
from cadenza.store import Database
from cadenza.store.models import Reply

from support.clock import wall_clock
from support.dovecot import append, run_dovecot_process
from support.mail_builders import make_world, reply_bytes
from support.watch_fleet import wait_for

pytestmark = pytest.mark.slow

INTERESTED = "Sounds interesting, tell me more about how this works for our team."


def test_a_kick_a_restart_and_an_outage_mid_idle_lose_nothing(
        sqlite_db: Database, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cadenza")
    done: list[ProcessOutcome] = []
    with run_dovecot_process() as (server, master):
        monkeypatch.setenv("CADENZA_TEST_IMAP_PASSWORD", server.password)
        user = f"drop-{uuid.uuid4().hex[:8]}"
        world = make_world(sqlite_db, imap_host=server.host, imap_port=server.port,
                           imap_user=user, imap_security="none", now=wall_clock())
        sent: list[str] = []

        def deliver() -> None:
            message_id = f"<drop-{uuid.uuid4().hex}@prospect.example>"
            append(server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0],
                                             message_id=message_id))
            sent.append(message_id)

        def all_done() -> bool:
            return len([o for o in done if o.changed]) >= len(sent)

        def idling() -> bool:
            return "connected, watching" in caplog.text

        stop = threading.Event()
        thread = threading.Thread(target=run_watchers, kwargs=dict(
            db=sqlite_db, settings=Settings(), stop=stop, mailbox_ids=[world.mailbox_id],
            options=WatchOptions(backoff_initial=0.2, backoff_max=1.0), clock=wall_clock,
            on_processed=done.append, lease_seconds=3.0))
        thread.start()
        try:
            assert wait_for(idling, 30) is not None
            deliver()
            assert wait_for(all_done, 30) is not None
            master.kick(user)  # the server drops the IDLE connection …
            deliver()  # … and mail arrives before the watcher is back
            deliver()
            assert wait_for(all_done, 30) is not None, caplog.text
            master.restart()  # every connection dropped, the server back at once
            deliver()
            assert wait_for(all_done, 30) is not None, caplog.text
            master.stop()  # down for a while: connections refused, backing off
            assert wait_for(lambda: caplog.text.count("reconnecting in") >= 4, 30)
            master.start()
            deliver()
            deliver()
            assert wait_for(all_done, 30) is not None, caplog.text
        finally:
            stop.set()
            thread.join(timeout=30)
    with sqlite_db.session() as s:
        stored = s.exec(select(Reply.message_id, Reply.state)).all()
    assert Counter(m for m, _ in stored) == Counter(sent)  # each stored once, none missing
    assert {state for _, state in stored} == {"processed"}
    assert sorted(o.reply_id for o in done if o.changed) == sorted(set(
        o.reply_id for o in done if o.changed))  # and acted on once
    # first, after the kick, after the outage (a restart's old imap process may serve on)
    assert caplog.text.count("connected, watching") >= 3
    assert "closed the connection during IDLE" in caplog.text
