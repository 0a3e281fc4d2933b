"""The mailbox watcher: every message read, stored raw first, then processed exactly once.

One thread per mailbox. imapclient is a blocking library and IDLE is a blocking wait, the
database layer is synchronous, and a process watches a handful of mailboxes (more processes
share them by lease: :mod:`cadenza.replies.watch_pool`); threads give each mailbox its own
failure domain and backoff with no event loop to keep responsive. asyncio would only wrap the
same blocking calls in ``to_thread``, adding a layer without removing a thread.

Per folder, a cycle does, in this order:

1. SELECT the folder and compare its UIDVALIDITY with the stored :class:`FolderCursor`.
2. Fetch every UID after the cursor with ``BODY.PEEK[]`` and commit each raw message as a
   ``stored`` :class:`Reply` — **before anything else**, so nothing a crash interrupts is lost.
3. Advance the cursor (a crash before this re-fetches; the unique (mailbox, folder, UIDVALIDITY,
   UID) key makes the second store a no-op).
4. Process every ``stored`` reply of the mailbox (this one's and any a crash left behind).

A changed UIDVALIDITY voids every stored UID: the folder is re-listed and only messages whose
Message-ID (or raw-bytes hash) is not already stored for the mailbox are stored, so a server
rebuild does not replay old replies. On first sight of a folder, only mail received since the
day before the mailbox was registered is read: older mail cannot answer our touches.

A watcher started with a :class:`~cadenza.store.leases.Lease` (by
:mod:`cadenza.replies.watch_pool`, which shares the mailboxes among processes) checks it in the
transaction of every cursor advance and every reply it acts on; when another process has taken
the mailbox over, the write is rolled back and the watcher stops (:class:`LeaseLost`). Storing a
raw message is not fenced: it is idempotent, and a stale copy only makes sure nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cadenza.config import Settings, workspace_classify_threshold
from cadenza.errors import MailboxError
from cadenza.mailbox.imap import ImapSource, imap_config
from cadenza.mailbox.source import FetchedMessage, FolderError, MailSource
from cadenza.replies.processing import (
    FENCED,
    Classify,
    ProcessOutcome,
    default_classifier,
    message_key,
    process_stored,
    sender_of,
)
from cadenza.store.database import Database
from cadenza.store.events import record_event
from cadenza.store.leases import Lease, fence
from cadenza.store.models import FolderCursor, Mailbox, Reply, Workspace

log = logging.getLogger(__name__)
SourceFactory = Callable[[Mailbox, "WatchOptions"], MailSource]


@dataclass(frozen=True)
class WatchOptions:
    """How a mailbox is watched; a workspace can set these under ``settings["watcher"]``."""

    idle_renew_seconds: float = 25 * 60.0
    poll_seconds: float = 60.0
    backoff_initial: float = 1.0
    backoff_max: float = 300.0
    fetch_batch: int = 50
    keyword: str | None = None  # e.g. "$CadenzaProcessed"; never \Seen
    move_to: str | None = None  # a folder to move processed mail to; never deleted

    @classmethod
    def from_settings(cls, values: dict[str, Any] | None) -> WatchOptions:
        known = {k: v for k, v in (values or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


class LeaseLost(Exception):
    """This process no longer holds the mailbox's lease: another watcher has taken it over."""


@dataclass
class CycleReport:
    """What one fetch-and-process cycle of one mailbox did."""

    mailbox_id: int
    stored: int = 0
    skipped_known: int = 0
    resynced: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    outcomes: list[ProcessOutcome] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.changed and o.state == state)


def imap_source(mailbox: Mailbox, options: WatchOptions) -> MailSource:
    """The default source: IMAP, writable only when a keyword or move is configured."""
    config = imap_config(mailbox, idle_renew_seconds=options.idle_renew_seconds,
                         poll_seconds=options.poll_seconds)
    return ImapSource(config, writable=bool(options.keyword or options.move_to))


class MailboxWatcher:
    """Watches one mailbox: cycles, waits for push, reconnects with backoff until ``stop``."""

    def __init__(self, *, db: Database, mailbox_id: int, classify: Classify, threshold: float,
                 options: WatchOptions | None = None, source_factory: SourceFactory = imap_source,
                 stop: threading.Event | None = None,
                 on_processed: Callable[[ProcessOutcome], None] | None = None,
                 on_handoff: Callable[[int], None] | None = None,
                 clock: Callable[[], dt.datetime] | None = None,
                 lease: Lease | None = None) -> None:
        self.db, self.mailbox_id = db, mailbox_id
        self.lease = lease
        self.classify, self.threshold = classify, threshold
        self.stop = stop or threading.Event()
        self.source_factory = source_factory
        self.on_processed, self.on_handoff = on_processed, on_handoff
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.mailbox, workspace_options = self._load()
        self.options = options or workspace_options
        self.folders = list(self.mailbox.imap_folders or ["INBOX"])

    def _load(self) -> tuple[Mailbox, WatchOptions]:
        with self.db.session() as s:
            mailbox = s.get(Mailbox, self.mailbox_id)
            if mailbox is None:
                raise MailboxError(f"no mailbox with id {self.mailbox_id}")
            workspace = s.get(Workspace, mailbox.workspace_id)
            settings = (workspace.settings if workspace else {}) or {}
            return mailbox, WatchOptions.from_settings(settings.get("watcher"))

    # -- one cycle ------------------------------------------------------------------------
    def cycle(self, source: MailSource) -> CycleReport:
        """Store what is new in every folder, then process every stored reply."""
        report = CycleReport(self.mailbox_id)
        for folder in self.folders:
            try:
                self._sync_folder(source, folder, report)
            except FolderError as exc:  # one bad folder name must not blind the others
                log.warning("mailbox %s: %s", self.mailbox.email, exc)
                report.missing.append(folder)
        report.outcomes = process_stored(
            db=self.db, classify=self.classify, threshold=self._threshold(),
            mailbox_id=self.mailbox_id, now=self.clock, on_handoff=self.on_handoff,
            on_processed=self.on_processed,
            fence=self._holds if self.lease is not None else None)
        if any(o.state == FENCED for o in report.outcomes):
            raise LeaseLost(f"mailbox {self.mailbox.email}: lease lost, reply left alone")
        if self.options.keyword or self.options.move_to:
            self._mark(source, report.outcomes)
        return report

    def _holds(self, session: Session) -> bool:
        """True while this watcher's lease is current (always, without one)."""
        return self.lease is None or fence(session, self.lease)

    def _threshold(self) -> float:
        """The workspace's own ``classify_threshold`` when it set one, else the process's;
        read every cycle, so a change applies from the next reply on."""
        with self.db.session() as s:
            workspace = s.get(Workspace, self.mailbox.workspace_id)
            settings = workspace.settings if workspace is not None else None
        return workspace_classify_threshold(settings, default=self.threshold)

    def _cursor(self, folder: str) -> FolderCursor:
        with self.db.session() as s:
            cursor = s.exec(select(FolderCursor).where(
                FolderCursor.mailbox_id == self.mailbox_id, FolderCursor.folder == folder)).first()
            if cursor is None:
                cursor = FolderCursor(mailbox_id=self.mailbox_id, folder=folder)
                s.add(cursor)
                try:
                    s.flush()
                except IntegrityError:  # another watcher of this mailbox got there first
                    s.rollback()
                    return self._cursor(folder)
            return cursor

    def _sync_folder(self, source: MailSource, folder: str, report: CycleReport) -> None:
        status = source.select(folder)
        cursor = self._cursor(folder)
        since: dt.date | None = None
        dedupe = False
        last = cursor.last_uid
        if cursor.uidvalidity != status.uidvalidity:
            if cursor.uidvalidity:
                log.warning("mailbox %s folder %s: UIDVALIDITY %s -> %s, resyncing",
                            self.mailbox.email, folder, cursor.uidvalidity, status.uidvalidity)
                report.resynced.append(folder)
                with self.db.session() as s:
                    record_event(session=s, kind="mailbox.resync",
                                 workspace_id=self.mailbox.workspace_id,
                                 subject_type="mailbox", subject_id=self.mailbox_id,
                                 folder=folder, old_uidvalidity=cursor.uidvalidity,
                                 new_uidvalidity=status.uidvalidity)
            created = self.mailbox.created_at
            since = (created - dt.timedelta(days=1)).date() if created else None
            dedupe, last = True, 0
        uids = source.uids_after(folder, last, since)
        ceiling = max(uids, default=last)
        if since is not None and status.uidnext:
            ceiling = max(ceiling, status.uidnext - 1)  # older mail is skipped, not pending
        batch = max(1, self.options.fetch_batch)
        for start in range(0, len(uids), batch):
            chunk = uids[start:start + batch]
            for message in source.fetch(folder, chunk):
                stored = self._store(folder, status.uidvalidity, message, dedupe)
                report.stored += stored
                report.skipped_known += not stored
            self._advance(cursor, status.uidvalidity, max(chunk))
        if (cursor.uidvalidity, cursor.last_uid) != (status.uidvalidity, ceiling):
            self._advance(cursor, status.uidvalidity, ceiling)

    def _store(self, folder: str, uidvalidity: int, message: FetchedMessage,
               dedupe: bool) -> bool:
        """Commit the raw message as a ``stored`` reply; False when it was already there."""
        key = message_key(message.raw)
        with self.db.session() as s:
            exists = s.exec(select(Reply.id).where(
                Reply.mailbox_id == self.mailbox_id, Reply.folder == folder,
                Reply.uidvalidity == uidvalidity, Reply.uid == message.uid)).first()
            if exists is not None:
                return False
            if dedupe and s.exec(select(Reply.id).where(
                    Reply.mailbox_id == self.mailbox_id, Reply.message_id == key)).first():
                return False
            s.add(Reply(workspace_id=self.mailbox.workspace_id, mailbox_id=self.mailbox_id,
                        folder=folder, uidvalidity=uidvalidity, uid=message.uid,
                        message_id=key, raw=message.raw, state="stored",
                        from_address=sender_of(message.raw), received_at=self.clock()))
            try:
                s.flush()
            except IntegrityError:  # a concurrent watcher stored the same UID
                s.rollback()
                return False
        return True

    def _advance(self, cursor: FolderCursor, uidvalidity: int, last_uid: int) -> None:
        with self.db.session() as s:
            if not self._holds(s):
                raise LeaseLost(f"mailbox {self.mailbox.email}: lease lost, cursor of "
                                f"{cursor.folder} left at {cursor.last_uid}")
            row = s.get(FolderCursor, cursor.id)
            if row is None:
                return
            if row.uidvalidity != uidvalidity:
                row.uidvalidity, row.last_uid = uidvalidity, last_uid
            else:
                row.last_uid = max(row.last_uid, last_uid)
            row.updated_at = self.clock()
            s.add(row)
        cursor.uidvalidity, cursor.last_uid = row.uidvalidity, row.last_uid

    def _mark(self, source: MailSource, outcomes: Sequence[ProcessOutcome]) -> None:
        done = [o.reply_id for o in outcomes if o.changed]
        if not done:
            return
        with self.db.session() as s:
            rows = s.exec(select(Reply.folder, Reply.uid, Reply.uidvalidity)
                          .where(col(Reply.id).in_(done))).all()
        for folder, uid, _ in rows:
            try:
                source.mark(folder, uid, keyword=self.options.keyword,
                            move_to=self.options.move_to)
            except MailboxError as exc:
                log.warning("mailbox %s: could not mark UID %s in %s: %s",
                            self.mailbox.email, uid, folder, exc)

    # -- the long-running loop ------------------------------------------------------------
    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: about half the cap plus a random half."""
        cap = min(float(self.options.backoff_max),
                  float(self.options.backoff_initial) * 2.0 ** min(attempt, 30))
        return cap / 2 + random.uniform(0.0, cap / 2)

    def run(self) -> None:
        """Cycle and wait until ``stop`` is set; reconnect on any failure."""
        attempt = 0
        timeout = (self.options.idle_renew_seconds if len(self.folders) == 1
                   else self.options.poll_seconds)  # IDLE sees one folder; poll the others
        while not self.stop.is_set():
            source: MailSource | None = None
            try:
                source = self.source_factory(self.mailbox, self.options)
                source.open()
                log.info("mailbox %s: connected, watching %s", self.mailbox.email,
                         ", ".join(self.folders))
                while not self.stop.is_set():
                    self.cycle(source)
                    attempt = 0
                    source.wait(self.folders[0], timeout, self.stop)
            except LeaseLost as exc:
                log.warning("%s; another process watches it now", exc)
                self.stop.set()
            except MailboxError as exc:
                log.warning("mailbox %s: %s", self.mailbox.email, exc)
            except Exception:  # the database or a bug: log, back off, try again
                log.exception("mailbox %s: watcher cycle failed", self.mailbox.email)
            finally:
                if source is not None:
                    source.close()
            if self.stop.is_set():
                break
            delay = self.backoff(attempt)
            attempt += 1
            log.info("mailbox %s: reconnecting in %.1f s", self.mailbox.email, delay)
            self.stop.wait(delay)


def watchable_mailbox_ids(db: Database, mailbox_ids: Sequence[int] | None) -> list[int]:
    """The mailboxes to watch: the given ids, else every active mailbox with IMAP set."""
    with db.session() as s:
        stmt = select(Mailbox.id).where(Mailbox.active == True)  # noqa: E712
        if mailbox_ids is not None:
            stmt = select(Mailbox.id).where(col(Mailbox.id).in_(list(mailbox_ids)))
        else:
            stmt = stmt.where(Mailbox.imap_host != "")
        return sorted(i for i in s.exec(stmt).all() if i is not None)


def watch_once(*, db: Database, settings: Settings, mailbox_ids: Sequence[int] | None = None,
               classify: Classify | None = None, options: WatchOptions | None = None,
               source_factory: SourceFactory = imap_source,
               on_processed: Callable[[ProcessOutcome], None] | None = None,
               on_handoff: Callable[[int], None] | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> list[CycleReport]:
    """One fetch-and-process cycle for each mailbox (``cadenza watch --once``, tests)."""
    classify = classify or default_classifier(settings)
    reports: list[CycleReport] = []
    for mailbox_id in watchable_mailbox_ids(db, mailbox_ids):
        watcher = MailboxWatcher(db=db, mailbox_id=mailbox_id, classify=classify,
                                 threshold=settings.classify_threshold, options=options,
                                 source_factory=source_factory, on_processed=on_processed,
                                 on_handoff=on_handoff, clock=clock)
        source = source_factory(watcher.mailbox, watcher.options)
        source.open()
        try:
            reports.append(watcher.cycle(source))
        finally:
            source.close()
    return reports
