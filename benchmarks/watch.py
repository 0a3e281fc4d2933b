"""APPEND → recorded action latency through IMAP IDLE, against a real dovecot on loopback.

Starts Debian's dovecot with the test suite's throwaway configuration, then runs
``cadenza.bench.watch.bench_watch`` (which also measures a polling baseline in the same
run). Usage: .venv/bin/python benchmarks/watch.py [N] [--json FILE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cadenza.bench.watch import bench_watch

from support.dovecot import run_dovecot


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 200
    out = Path(args[args.index("--json") + 1]) if "--json" in args else None
    with run_dovecot() as server:
        figures = bench_watch(n, host=server.host, port=server.port, user="bench@example.test",
                              password=server.password)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if out is not None:
        out.write_text(text + "\n")


if __name__ == "__main__":
    main()
