"""The fault run (#17): 4 ``cadenza worker`` and 2 ``cadenza watch`` processes over 5,000
enrollments in 20 mailboxes, on a scratch database of the machine's PostgreSQL, a throwaway
dovecot and an aiosmtpd sink, while a chaos loop SIGKILLs processes, makes the sink refuse and
drop connections, kicks and restarts dovecot and restarts PostgreSQL; then every invariant
is checked and printed (``cadenza.bench.fault_run``).

Usage: .venv/bin/python benchmarks/fault_run.py [--size smoke|full] [--database ADMIN_URL]
[--no-postgres-restart] [--json FILE]. Restarting PostgreSQL runs
``pg_ctlcluster --skip-systemctl-redirect 15 main restart``: every other user of the cluster
loses its connections too.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cadenza.bench.fault_run import SMOKE, Size, fault_run

from support.dovecot import BreakableImap, run_dovecot_process

SIZES = {"full": Size(), "smoke": SMOKE}


def restart_postgres() -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
                   check=True)


def _interrupted(signum: int, frame: object) -> None:
    """SIGTERM as Ctrl-C: the run's ``finally`` stops its processes and drops its database
    (a background job started by a shell ignores SIGINT)."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupted)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres-restart", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--timeout", type=float, help="seconds before the run gives up")
    args = parser.parse_args()
    size = SIZES[args.size]
    if args.timeout:
        size = dataclasses.replace(size, timeout=args.timeout)
    with run_dovecot_process() as (server, master):
        figures = fault_run(size, imap=BreakableImap(server, master), admin_url=args.database,
                            restart_postgres=None if args.no_postgres_restart
                            else restart_postgres, say=lambda s: print(s, flush=True))
    out = json.dumps(figures, indent=2, default=str)
    print(out)
    if args.json is not None:
        args.json.write_text(out + "\n")
    sys.exit(1 if figures["broken"] else 0)


if __name__ == "__main__":
    main()
