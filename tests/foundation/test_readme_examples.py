"""Every shell example in README.md runs as written (#11).

The examples are read as a person reads them (``support/readme.py``: comments, continuation
lines, ``[optional]`` parts, ``a|b`` alternatives, placeholders) and run in README order in a
scratch folder holding a copy of ``examples/`` — the files the README names — with
``CADENZA_DATABASE_URL`` at a SQLite file there. Each command runs in a process of its own, the
console script's ``main()`` forked from a server that imported the package once
(``support/cli_server.py``: a fresh interpreter per command would cost a minute and a half of
imports). A command fails the test, with its README line, when it exits non-zero or prints a
traceback; every failure is reported, not only the first.

What stands in for the reader's world, each with its reason:

- the mail servers: the README's ``smtp.acme.example`` and ``imap.acme.example`` become this
  test's aiosmtpd (which takes any password for ``maya``) and dovecot on loopback; the CRM's
  ``https://crm.example/hooks/cadenza`` a webhook receiver on loopback that checks each
  signature (not its age: the commands' clocks are faked days apart);
- the date: the commands run under libfaketime from Monday 30 November 2026, 10:00 UTC, inside
  the example prospects' send window, so the worker drafts the same touches on any day the suite
  runs and ``--until 2027-01-11`` stays in the future (``cadenza demo`` keeps a simulated clock
  of its own and runs on the real one);
- the ids: ``ID`` is the first fitting item of the last ``… list --json`` the README ran in that
  group, as a reader copies it; a command that uses an item up (approve, stop, …) leaves the next
  one to the next command, and ``resume`` takes the one ``pause`` paused;
- what the README presumes has happened before a command (:data:`GIVEN`): the prospects'
  replies in the mailbox, drafts awaiting approval, a LinkedIn step due, two runs to compare.

Long-running commands (``cadenza worker``, ``cadenza watch``) run until they show they work,
then get Ctrl-C and must exit 0. What cannot run here is skipped, its reason printed
(:data:`SKIP`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from imapclient import IMAPClient

from support.cli_server import CliServer
from support.dovecot import ImapServer
from support.readme import PLACEHOLDERS, expand, shell_examples
from support.smtp import SmtpServer, run_smtp
from support.webhook_receiver import Receiver, run_receiver

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # a Monday, in Europe's send window
LATER = START + dt.timedelta(minutes=10)  # past the mailbox's gap between sends
A_WEEK_ON = START + dt.timedelta(days=7)
MAILBOX = "maya@acme.example"
CADENZA = frozenset({"cadenza", ".venv/bin/cadenza"})
#: Imported once by the command server (the commands import them lazily, each costing time;
#: alembic, for the schema check every workspace command makes, most of all).
PRELOAD = ("cadenza.cli", "cadenza.agent.service", "cadenza.api.views", "cadenza.api.actions",
           "cadenza.replies.watcher", "cadenza.handoff.dispatch", "cadenza.importer",
           "cadenza.evals.replies", "cadenza.evals.drafts", "cadenza.demo", "alembic.config",
           "alembic.runtime.migration", "alembic.script", "sqlalchemy.dialects.sqlite",
           "rich.table")

#: Commands that keep a clock of their own, run without libfaketime (the demo walks a simulated
#: clock; under libfaketime it took four times the CPU: 40 s).
OWN_CLOCK = frozenset({"demo"})
#: Commands that do not run here, and why.
SKIP = {
    "python3 -m venv .venv": "creates the environment this test already runs in "
                             "(the `.venv/bin/cadenza demo` after it does run)",
    ".venv/bin/pip install -q -e .": "installs from the network; the test runs the package "
                                     "already installed",
    "bash scripts/test": "the whole test suite, of which this test is a part",
    "cadenza bench delivery --json figures.json": "a benchmark run of about a minute at its "
                                                  "default size, beyond this test's budget",
}

#: Verbs after which the item an id stood for is used up (the next command takes the next one).
USES_UP = frozenset({"approve", "reject", "edit", "done", "resolve", "stop", "suppress",
                     "pause", "remove"})
#: Where a ``list --json`` item keeps its id, and which items an id may stand for.
ID_OF: dict[str, Callable[[dict[str, Any]], int]] = {
    "approvals": lambda item: item["touch"]["id"], "triage": lambda item: item["reply"]["id"],
    "tasks": lambda item: item["id"], "enrollments": lambda item: item["id"],
    "prospects": lambda item: item["id"], "webhooks": lambda item: item["id"],
    "webhooks deliveries": lambda item: item["id"],
}
#: The list a placeholder's id comes from, when it is not the command group's own.
LIST_OF = {"DELIVERY_ID": "webhooks deliveries"}
CRM_HOOK = "https://crm.example/hooks/cadenza"
CRM_SECRET = "crm-hook-secret"
FITS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "enrollments": lambda item: item["state"] == "active",
}
VALUES = {"VALUE": "former-client.example", "…": "added by mistake"}

#: Replies waiting in the mailbox before `cadenza watch`: a "not now" (its cadence stops) and
#: one the classifier leaves to a person (triage).
INBOX = (("j.weber@brenner-foerdertechnik.example",
          "Not now, we are in the middle of our budget round. Maybe reach out next quarter."),
         ("claire.dubois@transalpes-fret.example",
          "Interesting timing, we are looking at this now. Who should I talk to about a demo?"))


@dataclass
class Walk:
    """One walk through README commands: the folder, the command server, what it learned."""

    folder: Path
    servers: dict[dt.datetime | None, CliServer]  # one per moment; None: the real clock
    imap: ImapServer
    at: dt.datetime = START
    substitutions: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    listed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    used_up: dict[str, set[int]] = field(default_factory=dict)
    paused: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def server(self) -> CliServer:
        return self.servers[self.at]

    def quietly(self, command: str) -> None:
        """Run a command the README presumes was run (it must succeed)."""
        child = self.server.start(shlex.split(command)[1:], self.folder)
        code = child.wait(120)
        out, err = child.output()
        assert code == 0, f"`{command}` (presumed by the README) exited {code}:\n{out}{err}"


def _environment(folder: Path, imap: ImapServer) -> dict[str, str]:
    env = dict(os.environ)
    (folder.parent / "tmp").mkdir()
    env.update({
        "TMPDIR": str(folder.parent / "tmp"),  # the demo keeps its folder for the reader
        "CADENZA_DATABASE_URL": f"sqlite:///{folder / 'cadenza.db'}",
        "CADENZA_HOME": str(folder / ".cadenza"),
        "ACME_SMTP_PASSWORD": "smtp-secret", "ACME_IMAP_PASSWORD": imap.password,
        "CRM_HOOK_SECRET": CRM_SECRET,
        # libfaketime as scripts/test sets it up (see scripts/faketime/sitecustomize.py)
        "TZ": "UTC", "NO_FAKE_STAT": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT / "scripts" / "faketime"),
                                                  env.get("PYTHONPATH", "")) if p),
        "COLUMNS": "120",
    })
    return env


def _accept_maya(server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult

    return AuthResult(success=getattr(auth_data, "login", b"") == b"maya")


@pytest.fixture
def crm() -> Iterator[Receiver]:
    with run_receiver(secret=CRM_SECRET, now=lambda: START, tolerance=10**9) as receiver:
        yield receiver


@pytest.fixture
def walks(tmp_path: Path, imap_server: ImapServer,
          crm: Receiver) -> Iterator[tuple[Walk, Walk]]:
    """The workspace's walk and, beside it, the offline tools' walk, in one scratch folder."""
    if shutil.which("faketime") is None:
        pytest.fail("faketime is not installed: the test command installs it (apt faketime)")
    folder = tmp_path / "readme"
    shutil.copytree(ROOT / "examples", folder)
    env = _environment(folder, imap_server)
    servers: list[CliServer] = []

    def server(name: str, at: dt.datetime | None) -> CliServer:
        servers.append(CliServer(env=env, logs=tmp_path / "commands" / name, preload=PRELOAD,
                                 at=at))
        return servers[-1]

    with run_smtp(authenticator=_accept_maya, auth_require_tls=False) as smtp:
        try:
            # every server starts now, side by side: each clock starts at its own moment
            workspace = Walk(folder=folder, imap=imap_server, servers={
                at: server(f"workspace-{at:%m%d-%H%M}", at) for at in (START, LATER, A_WEEK_ON)},
                substitutions={**_mail_hosts(smtp, imap_server), CRM_HOOK: crm.url})
            offline = Walk(folder=folder, imap=imap_server,
                           servers={START: server("offline", START),
                                    None: server("own-clock", None)})
            yield workspace, offline
        finally:
            for each in servers:
                each.close()


def _mail_hosts(smtp: SmtpServer, imap: ImapServer) -> dict[str, str]:
    """The README's mail servers are placeholders: this test's loopback servers stand in."""
    return {"--smtp-host smtp.acme.example":
            f"--smtp-host {smtp.host} --smtp-port {smtp.port} --smtp-security none",
            "--imap-host imap.acme.example":
            f"--imap-host {imap.host} --imap-port {imap.port} --imap-security none"}


# -- what the README presumes ---------------------------------------------------------------

def _inbox(walk: Walk) -> None:
    with IMAPClient(walk.imap.host, port=walk.imap.port, ssl=False, timeout=10) as imap:
        imap.login(MAILBOX, walk.imap.password)
        for i, (sender, body) in enumerate(INBOX):
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = sender, MAILBOX, "Re: your note"
            msg["Date"] = format_datetime(START + dt.timedelta(minutes=30 + i))
            msg["Message-ID"] = f"<readme-{i}@{sender.split('@')[1]}>"
            msg.set_content(body)
            imap.append("INBOX", msg.as_bytes())


def _drafts_waiting(walk: Walk) -> None:
    walk.at = LATER
    walk.quietly(f"cadenza mailbox update {MAILBOX} -w acme --min-gap 0 --jitter 0")
    walk.quietly("cadenza worker --once")


def _linkedin_due(walk: Walk) -> None:
    walk.at = A_WEEK_ON
    walk.quietly("cadenza workspace set approval.mode never -w acme")
    walk.quietly("cadenza worker --once")  # the follow-ups of the cadences that moved on
    walk.quietly("cadenza worker --once")  # their LinkedIn notes, due on day 5


def _two_runs(walk: Walk) -> None:
    for name in ("run-a", "run-b"):
        shutil.copytree(walk.folder / "run-replies", walk.folder / name, dirs_exist_ok=True)


#: Before a command, what the README presumes has happened, and how the test makes it so.
GIVEN: dict[str, Callable[[Walk], None]] = {
    # the prospects have answered
    "cadenza watch": _inbox,
    # several drafts wait (approve, reject, edit): minutes later the worker again, with no gap
    # between sends
    "cadenza approvals list -w acme": _drafts_waiting,
    # a week on, with approvals off, the cadences that moved on reach their LinkedIn step
    "cadenza tasks list -w acme": _linkedin_due,
    # two runs to compare: the reply run above, twice
    "cadenza eval compare run-a/ run-b/ --thresholds thresholds.yaml": _two_runs,
}

#: Long-running commands: what they print once they work (how many times); then Ctrl-C.
LONG_RUNNING = {"cadenza worker": (re.compile(r"^worker running", re.M), 1),
                "cadenza webhooks deliver": (re.compile(r"^delivering webhooks", re.M), 1),
                "cadenza watch": (re.compile(r"^reply \d+ from .+ -> ", re.M), len(INBOX))}


# -- running one command ----------------------------------------------------------------------

def _fill(walk: Walk, command: str) -> str | None:
    """The command with its mail hosts and placeholders filled; None when no item fits."""
    for old, new in walk.substitutions.items():
        if old in command:
            command = command.replace(old, new)
            walk.used.add(old)
    tokens = shlex.split(command)
    for i, token in enumerate(tokens):
        if token in VALUES:
            tokens[i] = VALUES[token]
        elif token in PLACEHOLDERS:
            picked = _pick(walk, group=LIST_OF.get(token, tokens[1]), verb=tokens[2])
            if picked is None:
                return None
            tokens[i] = str(picked)
    return shlex.join(tokens)


def _pick(walk: Walk, *, group: str, verb: str) -> int | None:
    if verb == "resume":
        return walk.paused.get(group)
    used = walk.used_up.setdefault(group, set())
    fits = FITS.get(group, lambda item: True)
    for item in walk.listed.get(group, []):
        item_id = ID_OF[group](item)
        if item_id in used or not fits(item):
            continue
        if verb in USES_UP:
            used.add(item_id)
        if verb == "pause":
            walk.paused[group] = item_id
        return item_id
    return None


def _verdict(line: int, command: str, code: int | None, out: str, err: str) -> str | None:
    if code == 0 and "Traceback (most recent call last)" not in out + err:
        return None
    tail = "\n".join((out + err).strip().splitlines()[-15:])
    return f"README.md:{line}: `{command}` exited {code}\n{tail}"


def _run_one(walk: Walk, line: int, command: str) -> None:
    if command in SKIP:
        walk.skipped.append(f"README.md:{line}: skipped `{command}`: {SKIP[command]}")
        return
    if command in GIVEN:
        GIVEN[command](walk)
    filled = _fill(walk, command)
    if filled is None:
        walk.failures.append(f"README.md:{line}: `{command}`: no item for its id in the "
                             "list the README ran before it")
        return
    words = shlex.split(filled)
    if words[0] not in CADENZA:
        walk.failures.append(f"README.md:{line}: `{command}`: this test runs only cadenza "
                             "commands; skip it in SKIP with the reason")
        return
    server = walk.servers.get(None, walk.server) if words[1] in OWN_CLOCK else walk.server
    child = server.start(words[1:], walk.folder)
    shown = ""
    if command in LONG_RUNNING:
        ready, times = LONG_RUNNING[command]
        deadline = time.monotonic() + 60
        while (child.wait(0.2) is None and time.monotonic() < deadline
               and len(ready.findall(child.output()[0])) < times):
            pass
        if len(ready.findall(child.output()[0])) < times:
            shown = f"did not show it works ({ready.pattern!r}) within 60 s"
        child.signal(signal.SIGINT)  # Ctrl-C
    code = child.wait(180)
    if code is None:
        child.signal(signal.SIGKILL)
    out, err = child.output()
    failure = _verdict(line, command, code, out, err)
    if failure is not None or shown:
        walk.failures.append(failure or f"README.md:{line}: `{command}` {shown}\n{out}{err}")
    elif words[2:3] == ["list"] and "--json" in words:
        walk.listed[words[1]] = json.loads(out)
    elif words[2:3] == ["deliveries"] and "--json" in words:
        walk.listed[" ".join(words[1:3])] = json.loads(out)


def _offline(command: str) -> bool:
    """Commands that touch no workspace: they run beside the workspace's walk-through."""
    words = command.split()
    return words[0] not in CADENZA or words[1] in ("classify", "eval", "bench", "demo")


@pytest.mark.slow  # ~60 commands, and the demo
def test_every_readme_example_runs_as_written(walks: tuple[Walk, Walk],
                                              crm: Receiver) -> None:
    workspace, offline = walks
    commands = [(ex.line, c) for ex in shell_examples((ROOT / "README.md").read_text("utf-8"))
                for c in expand(ex.text)]
    mine = [(line, c) for line, c in commands if not _offline(c)]
    theirs = [(line, c) for line, c in commands if _offline(c)]
    assert len(mine) > 40 and len(theirs) > 5, "the README's examples were not found"
    with ThreadPoolExecutor(max_workers=1) as pool:
        beside = pool.submit(lambda: [_run_one(offline, line, c) for line, c in theirs])
        for line, command in mine:
            _run_one(workspace, line, command)
        beside.result()
    for note in offline.skipped + workspace.skipped:
        print(note)
    missing = set(workspace.substitutions) - workspace.used
    assert not missing, f"the README no longer names these mail hosts: {sorted(missing)}"
    failures = offline.failures + workspace.failures
    assert not failures, "\n\n".join(failures)
    # the test event, its replay and the replayed week's events reached the CRM, signed
    types = [r.json["type"] for r in crm.requests]
    assert types[0] == "webhook.test" and types.count("webhook.test") == 2, types
    assert all(r.verified for r in crm.requests)


def test_the_readme_notation_is_read_as_a_person_reads_it() -> None:
    markdown = "\n".join([
        "```bash",
        "cadenza worker [--once]          # a comment",
        "cadenza mailbox add -w acme --email a@b.example \\",
        "    --smtp-host smtp.acme.example",
        "                                 # the comment goes on",
        "cadenza approvals list|show ID [--json] -w acme",
        "cadenza enrollments pause ID --until 2027-01-11 | resume ID | stop ID -w acme",
        "cadenza tasks list -w acme; cadenza suppressions remove VALUE --reason \"…\" -w acme",
        "```",
        "```python",
        "not_a_command()",
        "```",
        "```console",
        "$ cadenza status",
        "output line",
        "```",
    ])
    found = [(ex.line, c) for ex in shell_examples(markdown) for c in expand(ex.text)]
    assert found == [
        (2, "cadenza worker"), (2, "cadenza worker --once"),
        (3, "cadenza mailbox add -w acme --email a@b.example --smtp-host smtp.acme.example"),
        (6, "cadenza approvals list -w acme"), (6, "cadenza approvals list --json -w acme"),
        (6, "cadenza approvals show ID -w acme"), (6, "cadenza approvals show ID --json -w acme"),
        (7, "cadenza enrollments pause ID --until 2027-01-11 -w acme"),
        (7, "cadenza enrollments resume ID -w acme"), (7, "cadenza enrollments stop ID -w acme"),
        (8, "cadenza tasks list -w acme"),
        (8, "cadenza suppressions remove VALUE --reason '…' -w acme"),
        (14, "cadenza status"),
    ]
