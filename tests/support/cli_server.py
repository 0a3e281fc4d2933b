"""Run ``cadenza`` commands fast: one process imports the CLI once and forks a child per command.

A fresh ``cadenza`` process spends about a second importing before it does anything (SQLAlchemy,
alembic, pydantic, LangGraph…); a test that runs the README's ~60 commands one process each would
take a minute and a half on two busy cores. The server below imports the package once, under
libfaketime when asked (the date every child sees), then for each request forks a child that
runs the console script's ``main()`` with the request's arguments in the request's folder, its
standard output and error going to files, and leaves its exit status in a third file. Each
command still gets a process of its own — its own signals, exit, stdin at /dev/null — and
starts from the same freshly imported state, so one command cannot leak into the next.

Run as a script it is the server (``python cli_server.py MODULE…``: modules to import first);
:class:`CliServer` starts one and talks to it over its standard input and output.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Child:
    """One command running in a forked child of the server."""

    pid: int
    out: Path
    err: Path
    rc: Path

    def wait(self, timeout: float) -> int | None:
        """The exit status, or None when it has not exited within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not self.rc.exists():
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)
        return int(self.rc.read_text())

    def signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def output(self) -> tuple[str, str]:
        return (self.out.read_text("utf-8", "replace"), self.err.read_text("utf-8", "replace"))


class CliServer:
    """A running server: ``start(argv, cwd)`` forks a child for one command."""

    def __init__(self, *, env: dict[str, str], logs: Path, preload: tuple[str, ...],
                 at: dt.datetime | None = None) -> None:
        self.logs = logs
        logs.mkdir(parents=True, exist_ok=True)
        prefix = ["faketime", "-f", f"@{at:%Y-%m-%d %H:%M:%S}"] if at is not None else []
        self.proc = subprocess.Popen([*prefix, sys.executable, __file__, *preload],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     text=True)
        self.lock = threading.Lock()
        self.count = 0
        self.ready = False  # servers start side by side; the first command waits for its own

    def start(self, argv: list[str], cwd: Path) -> Child:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        with self.lock:  # one request and its answer at a time
            if not self.ready:
                if self.proc.stdout.readline().strip() != "ready":
                    raise RuntimeError("the cadenza command server did not start")
                self.ready = True
            self.count += 1
            base = self.logs / f"{self.count:03d}"
            files = {key: base.with_suffix(f".{key}") for key in ("out", "err", "rc")}
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd)}
                                             | {k: str(v) for k, v in files.items()}) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
            if not answer.strip().isdigit():
                raise RuntimeError(f"the cadenza command server stopped ({answer!r})")
            pid = int(answer)
        return Child(pid, files["out"], files["err"], files["rc"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _child(main: Callable[[], object], request: dict[str, str | list[str]]) -> None:
    """In the forked child: run one command, record its exit status, never return."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a command may wait for its own children
        os.chdir(str(request["cwd"]))
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        for fd, key in ((1, "out"), (2, "err")):
            os.dup2(os.open(str(request[key]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        sys.argv = ["cadenza", *request["argv"]]
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        rc = Path(str(request["rc"]))
        rc.with_suffix(".tmp").write_text(str(code))
        rc.with_suffix(".tmp").replace(rc)  # whole, or not there yet
        os._exit(code)


def serve(preload: list[str]) -> None:
    for name in preload:
        with contextlib.suppress(ModuleNotFoundError):  # a warm-up: commands import their own
            importlib.import_module(name)
    from cadenza.cli import main

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    print("ready", flush=True)
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(main, request)
        print(pid, flush=True)


if __name__ == "__main__":
    serve(sys.argv[1:])
