"""A real IMAP server for tests: Debian's dovecot with a throwaway configuration.

Any user name logs in with the password ``secret``; each user gets a Maildir under a temp
folder that ``nobody`` can traverse (pytest's tmp_path is 0700, which dovecot cannot enter).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

CONF = """\
instance_name = cadenza-test-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = static
  args = password=secret
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    password: str
    root: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_greeting(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not answer on port {port}")


def dovecot_binary() -> str | None:
    exe = shutil.which("dovecot") or "/usr/sbin/dovecot"
    return exe if os.path.exists(exe) else None


@contextmanager
def run_dovecot() -> Iterator[ImapServer]:
    exe = dovecot_binary()
    if exe is None:
        raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="cadenza-dovecot-"))
    root.chmod(0o755)
    for d in ("run", "state", "mail"):
        (root / d).mkdir()
    nobody = pwd.getpwnam("nobody")
    os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(CONF.format(root=root, port=port))
    proc = subprocess.Popen([exe, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_greeting(port)
        yield ImapServer(host="127.0.0.1", port=port, password="secret", root=root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(root, ignore_errors=True)


def client(server: ImapServer, user: str) -> IMAPClient:
    """A plain IMAP login as ``user`` (any name logs in)."""
    c = IMAPClient(server.host, port=server.port, ssl=False, timeout=10)
    c.login(user, server.password)
    return c


def append(server: ImapServer, user: str, raw: bytes, folder: str = "INBOX") -> None:
    """Deliver ``raw`` into ``user``'s ``folder`` as a mail server would (creating it)."""
    with client(server, user) as c:
        if not c.folder_exists(folder):
            c.create_folder(folder)
        c.append(folder, raw)
