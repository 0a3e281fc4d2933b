"""Assembling the agent from settings: drafter, mail transports, checkpointer, runner, scheduler.

The one place where configuration turns into collaborators, used by ``cadenza worker``,
``cadenza run``, ``cadenza demo`` and the API's approval endpoints.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from cadenza.agent.checkpoints import checkpoint_location, open_checkpointer
from cadenza.agent.deps import AgentDeps
from cadenza.agent.graph import Durability, TouchRunner, build_touch_graph
from cadenza.agent.scheduler import Scheduler
from cadenza.agent.workers import WorkerLease
from cadenza.config import Settings
from cadenza.llm import LLM, llm_from_settings
from cadenza.mailbox.send import MailSender
from cadenza.mailbox.smtp import sender_for_mailbox
from cadenza.store import Database
from cadenza.store.models import Mailbox, utcnow
from cadenza.writing.drafting import Drafter, TemplateDrafter


def make_drafter(settings: Settings, llm: LLM | None = None) -> Drafter:
    """The LLM drafter when an endpoint is configured, else the offline template drafter."""
    llm = llm or llm_from_settings(base_url=settings.llm_base_url, model=settings.llm_model,
                                   api_key=settings.llm_api_key())
    if llm is None:
        return TemplateDrafter()
    from cadenza.writing.llm_drafting import LLMDrafter

    return LLMDrafter(llm)


class SenderCache:
    """One transport per mailbox, reused across touches (SMTP connection reuse)."""

    def __init__(self, factory: Callable[[Mailbox], MailSender] = sender_for_mailbox) -> None:
        self._factory = factory
        self._senders: dict[int, MailSender] = {}

    def __call__(self, mailbox: Mailbox) -> MailSender:
        key = mailbox.id or 0
        if key not in self._senders:
            self._senders[key] = self._factory(mailbox)
        return self._senders[key]

    def close(self) -> None:
        for sender in self._senders.values():
            close = getattr(sender, "close", None)
            if callable(close):
                close()
        self._senders.clear()


@dataclass
class Agent:
    """A ready agent: run touches, resume approvals, tick the scheduler."""

    deps: AgentDeps
    runner: TouchRunner
    scheduler: Scheduler


@contextmanager
def open_agent(settings: Settings, db: Database, *, drafter: Drafter | None = None,
               senders: Callable[[Mailbox], MailSender] | None = None,
               clock: Callable[[], dt.datetime] = utcnow,
               durability: Durability | None = None,
               jitter: tuple[float, float] = (0.0, 30.0),
               batch: int = 100, retry_interval: float = 0.5,
               retry_jitter: bool = True) -> Iterator[Agent]:
    """Build the agent; closes the checkpointer and SMTP connections on exit.

    ``retry_interval`` and ``retry_jitter``: how a failing node waits before it is retried
    (:func:`~cadenza.agent.graph.build_touch_graph`); tests of the retries wait less. In
    production it refuses to start without a public https base URL: every email it sends
    carries an unsubscribe link built from it.
    """
    if settings.environment == "production":
        settings.check_production_base_url()
    cache = SenderCache() if senders is None else None
    deps = AgentDeps(db=db, drafter=drafter or make_drafter(settings),
                     sender_for=senders or cache,  # type: ignore[arg-type]
                     settings=settings, signing_key=settings.signing_key(), clock=clock,
                     max_revisions=settings.max_revisions, today=lambda: clock().date())
    location = checkpoint_location(settings.database_url, settings.checkpoint_url)
    try:
        with open_checkpointer(location) as saver:
            runner = TouchRunner(build_touch_graph(checkpointer=saver,
                                                   retry_interval=retry_interval,
                                                   retry_jitter=retry_jitter), deps,
                                 durability=durability or settings.checkpoint_durability)
            scheduler = Scheduler(runner, jitter_seconds=jitter, batch=batch)
            scheduler.lease = WorkerLease(db, clock=clock)
            scheduler.lease.start()  # PostgreSQL: registered and alive until closed
            try:
                yield Agent(deps=deps, runner=runner, scheduler=scheduler)
            finally:
                try:
                    scheduler.release_own()
                finally:
                    scheduler.lease.close()
    finally:
        if cache is not None:
            cache.close()


class AgentHandle:
    """An agent a long-lived process opens on first use and keeps (checkpointer, drafter, SMTP
    connections), with one lock its runs go through; :meth:`close` at shutdown.

    The API's approvals and its inbound-lead runner are both this: a request must not pay for
    opening the agent, and two requests must not run the graph on it at once.
    """

    def __init__(self, settings: Settings, db: Database, *,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._settings = settings
        self._db = db
        self._clock = clock
        self._stack: ExitStack | None = None
        self._agent: Agent | None = None
        self._lock = threading.Lock()

    def _open(self) -> Agent:
        """The agent, opened now if it is not yet (call with ``self._lock`` held)."""
        if self._agent is None:
            stack = ExitStack()
            self._agent = stack.enter_context(open_agent(self._settings, self._db,
                                                         clock=self._clock))
            self._stack = stack
        return self._agent

    def close(self) -> None:
        with self._lock:
            if self._stack is not None:
                self._stack.close()
            self._stack, self._agent = None, None
