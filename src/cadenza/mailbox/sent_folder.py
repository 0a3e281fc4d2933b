"""The copy of each sent touch in the mailbox's IMAP Sent folder, and the look-up recovery uses.

SMTP does not file a copy anywhere, so without this the rep's mail client would show replies to
messages it has never seen. The same folder answers the crash-recovery question "did this
Message-ID actually go out?" when the database only knows the send was attempted.

Leave ``Mailbox.sent_folder`` empty for providers that file SMTP submissions themselves (Gmail,
Outlook.com): appending there would show every touch twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from email.parser import BytesHeaderParser
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from cadenza.errors import MailboxError
from cadenza.mailbox.imap import imap_config, imap_login
from cadenza.store.models import Mailbox

log = logging.getLogger(__name__)

SEEN = b"\\Seen"
_HEADER_ITEM = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


def _where(mailbox: Mailbox) -> str:
    return f"IMAP {mailbox.imap_host}:{mailbox.imap_port} ({mailbox.email})"


@contextmanager
def _session(mailbox: Mailbox, *, ssl_context: ssl.SSLContext | None,
             timeout: float) -> Iterator[IMAPClient]:
    """A logged-in IMAP session; every failure becomes a :class:`MailboxError`."""
    where = _where(mailbox)
    if not mailbox.imap_host:
        raise MailboxError(f"mailbox {mailbox.email} has no imap_host; set it to keep a Sent "
                           "copy")
    cfg = dataclasses.replace(imap_config(mailbox), timeout=timeout)
    client: Any = imap_login(cfg, ssl_context=ssl_context)
    try:
        yield client
    except (IMAPClientError, OSError) as exc:
        raise MailboxError(f"{where}: {exc}") from None
    finally:
        _logout(client)


def _logout(client: Any) -> None:
    if client is None:
        return
    try:
        client.logout()
    except (IMAPClientError, OSError):
        with suppress(IMAPClientError, OSError):
            client.shutdown()


def _crlf(message: bytes) -> bytes:
    """IMAP APPEND wants CRLF line ends; messages written with ``\\n`` are fixed up."""
    return re.sub(rb"\r?\n", b"\r\n", message)


def _message_id_of(message: bytes) -> str:
    header = BytesHeaderParser().parsebytes(message).get("Message-ID", "")
    return str(header).strip()


def _has(client: Any, folder: str, message_id: str) -> bool:
    client.select_folder(folder, readonly=True)
    # SEARCH HEADER is a substring match; confirm the exact id on what it finds.
    uids = client.search(["HEADER", "Message-ID", message_id])
    if not uids:
        return False
    fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    for data in fetched.values():
        if _message_id_of(data.get(_HEADER_ITEM, b"")) == message_id:
            return True
    return False


def _require_folder(mailbox: Mailbox) -> str:
    if not mailbox.sent_folder:
        raise MailboxError(f"mailbox {mailbox.email} has no sent_folder, so whether a message "
                           "went out cannot be checked there")
    return mailbox.sent_folder


def append_sent_copy(*, mailbox: Mailbox, message: bytes, skip_if_present: bool = True,
                     when: dt.datetime | None = None,
                     ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0) -> bool:
    """File ``message`` in the mailbox's Sent folder, marked \\Seen; ``True`` if appended.

    Returns ``False`` without connecting when no ``sent_folder`` is configured, and (with
    ``skip_if_present``) when a message with the same Message-ID is already there, so a
    recovery that repeats this step does not file a second copy.
    """
    if not mailbox.sent_folder:
        return False
    folder = mailbox.sent_folder
    message = _crlf(message)
    message_id = _message_id_of(message)
    with _session(mailbox, ssl_context=ssl_context, timeout=timeout) as client:
        if not client.folder_exists(folder):
            raise MailboxError(f"{_where(mailbox)}: sent_folder {folder!r} does not exist; "
                               f"folders are {[f[2] for f in client.list_folders()]}")
        if skip_if_present and message_id and _has(client, folder, message_id):
            log.debug("%s already in %s; not appending again", message_id, folder)
            return False
        client.append(folder, message, flags=(SEEN,), msg_time=when)
    return True


def sent_folder_has(*, mailbox: Mailbox, message_id: str,
                    ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0) -> bool:
    """Whether the Sent folder holds a message with exactly this Message-ID.

    Raises :class:`MailboxError` when there is no Sent folder or it cannot be read: "unknown"
    must never be mistaken for "not sent", or recovery would send twice.
    """
    folder = _require_folder(mailbox)
    with _session(mailbox, ssl_context=ssl_context, timeout=timeout) as client:
        if not client.folder_exists(folder):
            raise MailboxError(f"{_where(mailbox)}: sent_folder {folder!r} does not exist")
        return _has(client, folder, message_id.strip())


def sent_folder_shows(mailbox: Mailbox, message_id: str) -> bool | None:
    """Recovery's question, "did this go out?": True or False from the Sent folder, None when
    the mailbox keeps none or it cannot be read (never a guessed False)."""
    if not mailbox.sent_folder or not mailbox.imap_host or not message_id:
        return None
    try:
        return sent_folder_has(mailbox=mailbox, message_id=message_id)
    except MailboxError as exc:
        log.warning("cannot search the Sent folder of %s: %s", mailbox.email, exc)
        return None
