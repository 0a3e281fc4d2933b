"""Reply throughput with 1 and 2 ``cadenza watch`` processes, against a real dovecot on
loopback and a scratch database on the machine's PostgreSQL.

Starts Debian's dovecot with the test suite's throwaway configuration, then runs
``cadenza.bench.watchers.bench_watchers`` (which measures a bare IMAP fetch of the same messages
in the same run). Usage: .venv/bin/python benchmarks/watchers.py [N] [--database ADMIN_URL]
[--json FILE] (ADMIN_URL default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cadenza.bench.watchers import bench_watchers

from support.dovecot import run_dovecot


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 400
    out = Path(args[args.index("--json") + 1]) if "--json" in args else None
    admin = (args[args.index("--database") + 1] if "--database" in args
             else "postgresql://postgres@127.0.0.1:5432/postgres")
    with run_dovecot() as server:
        figures = bench_watchers(n, host=server.host, port=server.port,
                                 password=server.password, admin_url=admin)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if out is not None:
        out.write_text(text + "\n")


if __name__ == "__main__":
    main()
