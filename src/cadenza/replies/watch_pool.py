"""Many watch processes, one watcher per mailbox: leases, takeover and rebalancing.

Every ``cadenza watch`` (and ``cadenza run``) runs one :class:`WatchPool`. Each tick — a third
of the lease period — it:

1. heartbeats its process row, so the others count it as alive;
2. renews the leases it holds, and stops the watcher of any it has lost;
3. works out every live process's fair share (an even split; the oldest processes take the
   remainder) and, when it holds more than its share while another live process holds less,
   stops and releases the surplus;
4. takes free or expired mailboxes up to its share, and any mailbox left without a holder for a
   whole lease period whatever its share (so nothing stays unwatched while the processes'
   views of each other settle);
5. starts a :class:`~cadenza.replies.watcher.MailboxWatcher` thread, carrying the lease, for
   each mailbox it took.

When a process dies its heartbeat and leases expire, and the others take its mailboxes within a
lease period and a tick. A process that was only paused finds its leases taken over: the
fencing tokens refuse its writes (see :mod:`cadenza.store.leases`), its watchers stop, and its
next tick takes a fair share again. A process that stops cleanly releases its leases and
removes its heartbeat, so the others rebalance at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cadenza.config import Settings
from cadenza.replies.processing import Classify, ProcessOutcome, default_classifier
from cadenza.replies.watcher import (
    MailboxWatcher,
    SourceFactory,
    WatchOptions,
    imap_source,
    watchable_mailbox_ids,
)
from cadenza.store import leases as store
from cadenza.store.database import Database
from cadenza.store.leases import Lease

log = logging.getLogger(__name__)


def process_name() -> str:
    """This process's name in the lease table: host, pid and a random suffix (a pid is reused
    after a restart; the suffix keeps the new process from inheriting the old one's leases)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class _Held:
    lease: Lease
    stop: threading.Event
    thread: threading.Thread
    expires_at: dt.datetime


@dataclass
class WatchPool:
    """This process's share of the mailboxes (see the module docstring)."""

    db: Database
    settings: Settings
    stop: threading.Event
    mailbox_ids: Sequence[int] | None = None
    classify: Classify | None = None
    options: WatchOptions | None = None
    source_factory: SourceFactory = imap_source
    on_processed: Callable[[ProcessOutcome], None] | None = None
    on_handoff: Callable[[int], None] | None = None
    clock: Callable[[], dt.datetime] | None = None
    lease_seconds: float | None = None
    name: str = field(default_factory=process_name)
    held: dict[int, _Held] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.classify = self.classify or default_classifier(self.settings)
        self.seconds = float(self.lease_seconds or self.settings.watch_lease_seconds)
        self._now = self.clock or (lambda: dt.datetime.now(dt.UTC))
        self._thread: threading.Thread | None = None

    # -- one tick --------------------------------------------------------------------------
    def tick(self) -> None:
        """Heartbeat, renew, rebalance and take over, once (see the module docstring)."""
        now = self._now()
        with self.db.session() as s:
            store.heartbeat(s, process_id=self.name, host=socket.gethostname(),
                            pid=os.getpid(), now=now, seconds=self.seconds)
        self._renew(now)
        wanted = watchable_mailbox_ids(self.db, self.mailbox_ids)
        for mailbox_id in [m for m in self.held if m not in wanted]:
            self._let_go(mailbox_id, now)
        with self.db.session() as s:
            processes = store.live_processes(s, now=now)
            rows = {row.mailbox_id: row for row in store.leases(s)}
        live = Counter(row.holder for row in rows.values()
                       if row.holder and row.expires_at >= now)
        share = store.fair_share(len(wanted), processes, self.name)
        short = any(live[p] < store.fair_share(len(wanted), processes, p) for p in processes
                    if p != self.name)
        if len(self.held) > share and short:
            for mailbox_id in sorted(self.held, reverse=True)[:len(self.held) - share]:
                log.info("rebalancing: releasing mailbox %s to a process with fewer",
                         mailbox_id)
                self._let_go(mailbox_id, now)
        free = [m for m in wanted if m not in self.held and (
            m not in rows or not rows[m].holder or rows[m].expires_at < now)]
        random.shuffle(free)  # processes starting together do not all race for the same one
        orphaned = now - dt.timedelta(seconds=self.seconds)
        for mailbox_id in free:
            row = rows.get(mailbox_id)
            if len(self.held) >= share and (row is None or row.expires_at >= orphaned):
                continue
            self._take(mailbox_id, now)

    def _renew(self, now: dt.datetime) -> None:
        for mailbox_id, held in list(self.held.items()):
            if not held.thread.is_alive():  # it stopped itself: it lost the lease
                self._let_go(mailbox_id, now)
                continue
            try:
                with self.db.session() as s:
                    kept = store.renew(s, lease=held.lease, now=now, seconds=self.seconds)
            except Exception:  # the database is away: keep watching until the lease runs out
                log.exception("mailbox %s: could not renew the lease", mailbox_id)
                kept = held.expires_at > now
            else:
                if kept:
                    held.expires_at = now + dt.timedelta(seconds=self.seconds)
            if not kept:
                log.warning("mailbox %s: lease lost (taken over or expired); stopping its "
                            "watcher", mailbox_id)
                held.stop.set()
                del self.held[mailbox_id]

    def _take(self, mailbox_id: int, now: dt.datetime) -> None:
        with self.db.session() as s:
            lease = store.acquire(s, mailbox_id=mailbox_id, holder=self.name, now=now,
                                  seconds=self.seconds)
        if lease is None:
            return
        stop = threading.Event()
        assert self.classify is not None
        try:
            watcher = MailboxWatcher(
                db=self.db, mailbox_id=mailbox_id, classify=self.classify,
                threshold=self.settings.classify_threshold, options=self.options,
                source_factory=self.source_factory, stop=stop, on_processed=self.on_processed,
                on_handoff=self.on_handoff, clock=self.clock, lease=lease)
        except Exception:
            log.exception("mailbox %s: cannot start its watcher", mailbox_id)
            with self.db.session() as s:
                store.release(s, lease=lease, now=now)
            return
        thread = threading.Thread(target=watcher.run, name=f"watch-{watcher.mailbox.email}",
                                  daemon=True)
        self.held[mailbox_id] = _Held(lease, stop, thread,
                                      now + dt.timedelta(seconds=self.seconds))
        log.info("mailbox %s (%s): lease %s taken by %s", mailbox_id, watcher.mailbox.email,
                 lease.token, self.name)
        thread.start()

    def _let_go(self, mailbox_id: int, now: dt.datetime, *, wait: float = 0.0) -> None:
        """Stop the mailbox's watcher and release the lease.

        Not waiting for the watcher to finish is safe: releasing keeps the token, the next
        holder's is higher, and a write the old watcher still attempts is fenced out. Waiting
        would hold up this tick's renewals of the other leases behind a slow IMAP fetch.
        """
        held = self.held.pop(mailbox_id)
        held.stop.set()
        if wait:
            held.thread.join(timeout=wait)
        with self.db.session() as s:
            store.release(s, lease=held.lease, now=now)

    # -- the long-running loop ---------------------------------------------------------------
    def run(self) -> None:
        """Tick until ``stop`` is set, then release everything and say goodbye."""
        interval = self.seconds / 3
        try:
            while not self.stop.is_set():
                try:
                    self.tick()
                except Exception:  # the database is away: the next tick tries again
                    log.exception("watch pool tick failed")
                self.stop.wait(interval)
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        """Stop every watcher, release every lease, remove this process's heartbeat."""
        now = self._now()
        for held in self.held.values():
            held.stop.set()
        for mailbox_id in list(self.held):
            try:
                self._let_go(mailbox_id, now, wait=30.0)
            except Exception:  # its lease expires by itself
                log.exception("mailbox %s: could not release the lease", mailbox_id)
        try:
            with self.db.session() as s:
                store.forget_process(s, process_id=self.name)
        except Exception:  # its heartbeat expires by itself
            log.exception("could not remove this process's heartbeat")

    def start(self) -> WatchPool:
        """Run in a background thread and return at once; ``join`` after setting ``stop``."""
        self._thread = threading.Thread(target=self.run, name="watch-pool", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


def start_watchers(*, db: Database, settings: Settings, stop: threading.Event,
                   mailbox_ids: Sequence[int] | None = None, classify: Classify | None = None,
                   options: WatchOptions | None = None,
                   source_factory: SourceFactory = imap_source,
                   on_processed: Callable[[ProcessOutcome], None] | None = None,
                   on_handoff: Callable[[int], None] | None = None,
                   clock: Callable[[], dt.datetime] | None = None,
                   lease_seconds: float | None = None) -> WatchPool:
    """Start this process's pool and return at once (``cadenza run`` uses this)."""
    if not watchable_mailbox_ids(db, mailbox_ids):
        log.warning("no mailbox to watch yet: add one with imap_host set, or pass mailbox ids")
    return WatchPool(db=db, settings=settings, stop=stop, mailbox_ids=mailbox_ids,
                     classify=classify, options=options, source_factory=source_factory,
                     on_processed=on_processed, on_handoff=on_handoff, clock=clock,
                     lease_seconds=lease_seconds).start()


def run_watchers(*, db: Database, settings: Settings, stop: threading.Event,
                 mailbox_ids: Sequence[int] | None = None,
                 on_processed: Callable[[ProcessOutcome], None] | None = None,
                 on_handoff: Callable[[int], None] | None = None,
                 classify: Classify | None = None, options: WatchOptions | None = None,
                 source_factory: SourceFactory = imap_source,
                 clock: Callable[[], dt.datetime] | None = None,
                 lease_seconds: float | None = None) -> int:
    """Watch this process's share of the mailboxes until ``stop`` is set (``cadenza watch``);
    returns how many mailboxes there were to share (0: nothing to watch, nothing started)."""
    count = len(watchable_mailbox_ids(db, mailbox_ids))
    if count == 0:
        return 0
    pool = start_watchers(db=db, settings=settings, stop=stop, mailbox_ids=mailbox_ids,
                          classify=classify, options=options, source_factory=source_factory,
                          on_processed=on_processed, on_handoff=on_handoff, clock=clock,
                          lease_seconds=lease_seconds)
    stop.wait()
    pool.join(timeout=60)
    return count
