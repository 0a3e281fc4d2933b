"""The mail-source contract the watcher reads from, and its in-memory twin.

A mail source is one connection to one mailbox's folders. The watcher never talks IMAP directly:
it asks a source for a folder's UIDVALIDITY, for the UIDs after its cursor, for raw bytes, and to
wait until something may have changed. :class:`~cadenza.mailbox.imap.ImapSource` implements it
over imapclient; :class:`MemorySource` implements it in memory so the pipeline's logic (cursors,
resync, crash recovery) is tested in milliseconds, and the real adapter is proved once against
dovecot.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from cadenza.errors import MailboxError


class FolderError(MailboxError):
    """A folder cannot be selected (missing, no rights); the connection itself is fine."""


@dataclass(frozen=True)
class FolderStatus:
    """What selecting a folder tells us: its UIDVALIDITY and (when known) its UIDNEXT."""

    folder: str
    uidvalidity: int
    uidnext: int | None = None
    exists: int | None = None


@dataclass(frozen=True)
class FetchedMessage:
    """One message as the server holds it: its UID in the folder and its exact raw bytes."""

    uid: int
    raw: bytes


@runtime_checkable
class MailSource(Protocol):
    """One connection to one mailbox. Implementations must honour this contract:

    * ``open()`` connects and authenticates; it raises :class:`MailboxError` on any failure
      (network, TLS, refused login) and never logs the password. ``close()`` is idempotent and
      never raises.
    * ``select(folder)`` returns the folder's :class:`FolderStatus`. A UIDVALIDITY different from
      the one the caller stored means every stored UID of that folder is void. A folder that
      does not exist or cannot be selected raises :class:`FolderError` and leaves the
      connection usable, so one bad folder name does not stop the others.
    * ``uids_after(folder, last_uid, since=None)`` returns, ascending, the UIDs strictly greater
      than ``last_uid`` (IMAP's ``N:*`` returns the highest UID even when it is lower: filter it).
      ``since`` restricts to messages the server received on or after that date.
    * ``fetch(folder, uids)`` yields the raw bytes of each UID still present, **without setting
      ``\\Seen``** (IMAP ``BODY.PEEK[]``): the mailbox stays as the person left it. A UID expunged
      meanwhile is skipped, not an error.
    * ``wait(folder, timeout, stop)`` blocks until the folder may have changed, ``timeout``
      seconds pass, or ``stop`` is set, and returns True when a change was reported. Sources
      with push (IMAP IDLE) wake within a second of a delivery; others sleep and return True.
      It must notice ``stop`` within about a second.
    * ``mark(folder, uid, keyword, move_to)`` records that a message was handled: add
      ``keyword`` (never ``\\Seen``, never ``\\Deleted``) and/or move it to ``move_to``. A
      source never deletes or expunges mail.
    * Every failure of the connection raises :class:`MailboxError`; the watcher reconnects.
    """

    push: bool

    def open(self) -> None: ...

    def close(self) -> None: ...

    def select(self, folder: str) -> FolderStatus: ...

    def uids_after(self, folder: str, last_uid: int,
                   since: date | None = None) -> list[int]: ...

    def fetch(self, folder: str, uids: Sequence[int]) -> Iterator[FetchedMessage]: ...

    def wait(self, folder: str, timeout: float, stop: threading.Event) -> bool: ...

    def mark(self, folder: str, uid: int, *, keyword: str | None,
             move_to: str | None) -> None: ...


@dataclass
class _MemFolder:
    uidvalidity: int
    uidnext: int = 1
    messages: dict[int, bytes] = field(default_factory=dict)
    keywords: dict[int, set[str]] = field(default_factory=dict)


class MemorySource:
    """An in-memory mailbox that honours the :class:`MailSource` contract.

    Tests ``append`` messages (from any thread), ``reset_uidvalidity`` to renumber a folder as a
    server would after a rebuild, and ``fail_next`` to make the next call raise like a dropped
    connection. ``opened`` counts connections so reconnect behaviour can be asserted.
    """

    push = True

    def __init__(self, folders: Sequence[str] = ("INBOX",), uidvalidity: int = 1) -> None:
        self._folders = {name: _MemFolder(uidvalidity) for name in folders}
        self._changed = threading.Condition()
        self._generation = 0
        self._failures = 0
        self.connected = False
        self.opened = 0
        self.fetched_uids: list[tuple[str, int]] = []

    # -- test controls --------------------------------------------------------------------
    def append(self, folder: str, raw: bytes) -> int:
        """Deliver ``raw`` into ``folder``; returns its UID and wakes any waiter."""
        with self._changed:
            box = self._folders.setdefault(folder, _MemFolder(1))
            uid = box.uidnext
            box.uidnext += 1
            box.messages[uid] = raw
            self._generation += 1
            self._changed.notify_all()
            return uid

    def reset_uidvalidity(self, folder: str, uidvalidity: int) -> None:
        """Renumber ``folder`` from UID 1 under a new UIDVALIDITY, keeping its messages."""
        with self._changed:
            box = self._folders[folder]
            raws = [box.messages[u] for u in sorted(box.messages)]
            self._folders[folder] = _MemFolder(uidvalidity, uidnext=len(raws) + 1,
                                               messages={i + 1: r for i, r in enumerate(raws)})
            self._generation += 1
            self._changed.notify_all()

    def fail_next(self, times: int = 1) -> None:
        """Make the next ``times`` calls raise :class:`MailboxError` (a dropped connection)."""
        self._failures += times

    def keywords(self, folder: str, uid: int) -> set[str]:
        return set(self._folders[folder].keywords.get(uid, set()))

    def messages(self, folder: str) -> dict[int, bytes]:
        return dict(self._folders[folder].messages)

    # -- the contract ---------------------------------------------------------------------
    def _check(self) -> None:
        if self._failures:
            self._failures -= 1
            self.connected = False
            raise MailboxError("memory source: simulated connection failure")
        if not self.connected:
            raise MailboxError("memory source: not connected")

    def open(self) -> None:
        if self._failures:
            self._failures -= 1
            raise MailboxError("memory source: simulated connection failure")
        self.connected = True
        self.opened += 1

    def close(self) -> None:
        self.connected = False

    def select(self, folder: str) -> FolderStatus:
        self._check()
        with self._changed:
            box = self._folders.get(folder)
            if box is None:
                raise FolderError(f"memory source: no folder {folder!r}")
            return FolderStatus(folder, box.uidvalidity, box.uidnext, len(box.messages))

    def uids_after(self, folder: str, last_uid: int, since: date | None = None) -> list[int]:
        self._check()
        with self._changed:
            return sorted(u for u in self._folders[folder].messages if u > last_uid)

    def fetch(self, folder: str, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        self._check()
        for uid in uids:
            with self._changed:
                raw = self._folders[folder].messages.get(uid)
            if raw is not None:
                self.fetched_uids.append((folder, uid))
                yield FetchedMessage(uid, raw)

    def wait(self, folder: str, timeout: float, stop: threading.Event) -> bool:
        self._check()
        with self._changed:
            start = self._generation
            remaining = timeout
            while self._generation == start and remaining > 0 and not stop.is_set():
                step = min(remaining, 0.2)
                self._changed.wait(step)
                remaining -= step
            return self._generation != start

    def mark(self, folder: str, uid: int, *, keyword: str | None, move_to: str | None) -> None:
        self._check()
        with self._changed:
            box = self._folders[folder]
            if uid not in box.messages:
                return
            if keyword:
                box.keywords.setdefault(uid, set()).add(keyword)
            if move_to and move_to != folder:
                raw = box.messages.pop(uid)
                flags = box.keywords.pop(uid, set())
                target = self._folders.setdefault(move_to, _MemFolder(1))
                new_uid = target.uidnext
                target.uidnext += 1
                target.messages[new_uid] = raw
                target.keywords[new_uid] = flags
                self._generation += 1
                self._changed.notify_all()
