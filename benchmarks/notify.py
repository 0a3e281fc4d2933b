"""Reply APPEND → rep notified, beside the bare IMAP IDLE push delay, against a real dovecot.

Starts Debian's dovecot with the test suite's throwaway configuration, then runs
``cadenza.bench.notify.bench_handoff_notify``: the real watcher, dispatcher and email notifier,
an aiosmtpd sink for the reps' mail, and the push-delay baseline in the same run.
Usage: .venv/bin/python benchmarks/notify.py [N] [--rate PER_S] [--json FILE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cadenza.bench.notify import bench_handoff_notify

from support.dovecot import run_dovecot


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 200
    rate = float(args[args.index("--rate") + 1]) if "--rate" in args else 10.0
    out = Path(args[args.index("--json") + 1]) if "--json" in args else None
    with run_dovecot() as server:
        figures = bench_handoff_notify(n, host=server.host, port=server.port,
                                       user="bench@example.test", password=server.password,
                                       rate=rate)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    notified, base = figures["notified"], figures["baseline"]
    print(f"\nreply APPEND → rep notified: p50 {notified['p50_ms']} ms, p95 {notified['p95_ms']}"
          f" ms, max {notified['max_ms']} ms (n={notified['n']}); bare IDLE push: p50 "
          f"{base['p50_ms']} ms, p95 {base['p95_ms']} ms (n={base['n']}); ratio p50 "
          f"{figures['ratio']['p50']}, p95 {figures['ratio']['p95']}", file=sys.stderr)
    if out is not None:
        out.write_text(text + "\n")


if __name__ == "__main__":
    main()
