"""Run one agent action in a separate process, for restart and crash tests.

Usage: python agent_proc.py tick DB_URL CHECKPOINT_URL HOME NOW_ISO [--crash-after-send]
       python agent_proc.py resume DB_URL CHECKPOINT_URL HOME NOW_ISO TOUCH_ID ACTION
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from email.message import EmailMessage
from typing import Any

from cadenza.agent.service import open_agent
from cadenza.config import Settings
from cadenza.mailbox.smtp import sender_for_mailbox
from cadenza.store import Database
from cadenza.store.models import Mailbox


class CrashAfterSend:
    """Sends for real, then dies before the database hears about it."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.inner = sender_for_mailbox(mailbox)

    def send(self, message: EmailMessage, *, envelope_from: str, recipients: list[str]) -> Any:
        self.inner.send(message, envelope_from=envelope_from, recipients=recipients)
        os._exit(17)


def main() -> None:
    command, db_url, cp_url, home, now_iso, *rest = sys.argv[1:]
    now = dt.datetime.fromisoformat(now_iso)
    settings = Settings(database_url=db_url, checkpoint_url=cp_url or None, home=home,
                        secret_key="test-secret-key")
    db = Database(db_url)
    senders = CrashAfterSend if "--crash-after-send" in rest else None
    with open_agent(settings, db, clock=lambda: now, jitter=(0.0, 0.0),
                    senders=senders) as agent:  # type: ignore[arg-type]
        if command == "tick":
            report = agent.scheduler.tick()
            print(json.dumps([r.outcome for r in report.results]))
        elif command == "recover":
            print(json.dumps(agent.scheduler.recover(now)))
        else:
            touch_id, action = int(rest[0]), rest[1]
            result = agent.runner.resume(touch_id, {"action": action, "by": "proc"})
            print(json.dumps(result.outcome))


if __name__ == "__main__":
    main()
