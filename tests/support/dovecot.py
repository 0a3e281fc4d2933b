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


class DovecotProcess:
    """The dovecot master of one configuration, which a test can restart (every connection
    dropped, the mail kept) or whose connections it can kick."""

    def __init__(self, exe: str, conf: Path, port: int) -> None:
        self.exe, self.conf, self.port = exe, conf, port
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([self.exe, "-F", "-c", str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_greeting(self.port)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def kick(self, user: str) -> None:
        """Drop every connection of ``user`` from the server's side."""
        subprocess.run(["doveadm", "-c", str(self.conf), "kick", user], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def run_dovecot_process() -> Iterator[tuple[ImapServer, DovecotProcess]]:
    """A throwaway dovecot and its master process (for restarts and kicks)."""
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
    master = DovecotProcess(exe, conf, port)
    try:
        master.start()
        yield ImapServer(host="127.0.0.1", port=port, password="secret", root=root), master
    finally:
        master.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def run_dovecot() -> Iterator[ImapServer]:
    with run_dovecot_process() as (server, _):
        yield server


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


class BreakableImap:
    """A throwaway dovecot as the fault run sees it (``cadenza.bench.fault_run.ImapServer``):
    where it is, and its two ways to break (kick one user's connections, restart)."""

    def __init__(self, server: ImapServer, master: DovecotProcess) -> None:
        self.host, self.port, self.password = server.host, server.port, server.password
        self.master = master

    def kick(self, user: str) -> None:
        """Kick ``user``'s connections; none to kick (doveadm exits non-zero) is no error here:
        the chaos loop picks users at random."""
        subprocess.run(["doveadm", "-c", str(self.master.conf), "kick", user], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def restart(self) -> None:
        self.master.restart()
