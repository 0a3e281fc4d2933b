"""The fault run (#17): 4 ``cadenza worker`` and 2 ``cadenza watch`` processes over 5,000
enrollments in 20 mailboxes, on a scratch database of the machine's PostgreSQL, a throwaway
dovecot and an aiosmtpd sink, while a chaos loop SIGKILLs processes, makes the sink refuse and
drop connections, kicks and restarts dovecot and restarts PostgreSQL; then every invariant
is checked and printed (``cadenza.bench.fault_run``).

Usage: .venv/bin/python benchmarks/fault_run.py [--size smoke|full] [--database ADMIN_URL]
[--no-postgres-restart] [--cluster "15 main"] [--json FILE]. Restarting PostgreSQL runs
``pg_ctlcluster --skip-systemctl-redirect VERSION NAME restart`` on ``--cluster``: every other
user of that cluster loses its connections too, so point ``--database`` at a scratch cluster
(``pg_createcluster 15 fault -p 5433``) when other work shares the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cadenza.bench.fault_run import SMOKE, Size, fault_run

from support.dovecot import BreakableImap, run_dovecot_process

SIZES = {"full": Size(), "smoke": SMOKE}


def restarter(cluster: str) -> Callable[[], None]:
    """Restarts the cluster ("VERSION NAME", as ``pg_lsclusters`` lists it)."""
    version, name = cluster.split()

    def restart_postgres() -> None:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name,
                        "restart"], check=True)

    return restart_postgres


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
    parser.add_argument("--cluster", default="15 main",
                        help="the cluster --database is on, restarted by the chaos loop "
                             "(a scratch cluster spares the machine's other users)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--timeout", type=float, help="seconds before the run gives up")
    args = parser.parse_args()
    size = SIZES[args.size]
    if args.timeout:
        size = dataclasses.replace(size, timeout=args.timeout)
    with run_dovecot_process() as (server, master):
        figures = fault_run(size, imap=BreakableImap(server, master), admin_url=args.database,
                            restart_postgres=None if args.no_postgres_restart
                            else restarter(args.cluster), say=lambda s: print(s, flush=True))
    out = json.dumps(figures, indent=2, default=str)
    print(out)
    if args.json is not None:
        args.json.write_text(out + "\n")
    sys.exit(1 if figures["broken"] else 0)


if __name__ == "__main__":
    main()
