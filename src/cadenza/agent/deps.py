"""The collaborators of the touch graph, passed as LangGraph run context (never checkpointed).

Because the context is supplied at every ``invoke``, a thread interrupted in one process can be
resumed in another with freshly built collaborators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cadenza.config import Settings
from cadenza.store import Database
from cadenza.store.models import utcnow

if TYPE_CHECKING:
    from cadenza.mailbox.send import MailSender
    from cadenza.store.models import Mailbox
    from cadenza.writing.drafting import Drafter


@dataclass
class AgentDeps:
    """Everything a node may use: database, drafter, mail transport, settings, clock."""

    db: Database
    drafter: Drafter
    sender_for: Callable[[Mailbox], MailSender]
    settings: Settings
    signing_key: bytes
    clock: Callable[[], dt.datetime] = utcnow
    max_revisions: int = 2
    today: Callable[[], dt.date] = field(default=lambda: utcnow().date())
