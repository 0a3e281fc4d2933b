"""Running the agent: the offline demo, benchmarks, the scheduler, and everything in one process.

The top-level commands are registered on ``app`` in ``cadenza.cli``, in ``--help`` order.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from cadenza.cli.common import (
    _database,
    _database_when_up,
    _errors,
    _fail,
    _handoff_notifier,
    console,
)
from cadenza.config import Settings

if TYPE_CHECKING:
    from cadenza.agent.scheduler import TickReport


def demo(limit: Annotated[int | None, typer.Option(
             help="Only the first N sample prospects.")] = None,
         workdir: Annotated[Path | None, typer.Option(
             help="Folder for the demo database and outbox (default: a new temp folder).")]
         = None) -> None:
    """Run the main job offline: draft, check and deliver the agent's touches to a local sink."""
    from collections import Counter

    from cadenza.demo import run_demo

    with _errors():
        result = run_demo(limit=limit, workdir=workdir)
    counts = result.imported.counts
    console.print(f"[bold]Cadenza demo[/] — workspace in {result.workdir}")
    console.print(f"imported {counts['created']} sample prospects; rejected {counts['rejected']} "
                  "(bad addresses and a duplicate, on purpose)")
    console.print(f"enrolled {result.enrolled.enrolled} in {result.enrolled.playbook}; "
                  f"simulated {result.days} days of the cadence")
    table = Table("prospect", "step", "channel", "state", "subject / first line", "facts",
                  "why", title="touches (first 40)", show_lines=False)
    for t in result.touches[:40]:
        text = t.subject or t.first_line
        table.add_row(t.prospect[:28], str(t.step), t.channel, t.state, text[:60],
                      ",".join(t.facts), t.reason[:40])
    console.print(table)
    states = Counter(t.state for t in result.touches)
    console.print("touches by state: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    console.print(f"emails delivered over SMTP to the local sink: [bold]{result.delivered}[/] "
                  f"(written to {result.workdir / 'outbox'})")
    console.print("LinkedIn/call tasks for a person: "
                  + (", ".join(f"{k} {v}" for k, v in sorted(result.tasks.items())) or "none"))
    console.print("enrollments: " + ", ".join(f"{k} {v}" for k, v in
                                              sorted(result.enrollments.items()))
                  + f"; handoffs to reps: {result.handoffs}")


def bench(name: Annotated[str, typer.Argument(
              help="delivery | scheduler | claim | workers | import | replies | llm | "
                   "eval-drafts | queue | routing | inbound | dashboard (watch, notify, "
                   "watchers: benchmarks/watch.py, notify.py and watchers.py start dovecot)")],
          size: Annotated[int | None, typer.Option(help="Problem size (default per bench).")]
          = None,
          json_out: Annotated[Path | None, typer.Option(
              "--json", help="Write the figures as JSON here.")] = None,
          database: Annotated[str | None, typer.Option(
              help="dashboard: also measure on this PostgreSQL server (a scratch database "
                   "is created there and dropped).")] = None,
          sizes: Annotated[str | None, typer.Option(
              help="scheduler: the enrollment counts to measure at, comma-separated "
                   "(e.g. 10000,100000,1000000).")] = None) -> None:
    """Run one benchmark; figures are printed beside a baseline measured in the same run."""
    from cadenza.bench import registry

    benches = registry()
    if name not in benches:
        _fail(f"unknown benchmark {name!r} (known: {', '.join(benches)})", 2)
    entry = benches[name]
    if database and not entry.takes_database:
        _fail(f"--database is not an option of the {name} benchmark", 2)
    if sizes and not entry.takes_sizes:
        _fail(f"--sizes is not an option of the {name} benchmark", 2)
    options: dict[str, Any] = {"database": database} if database else {}
    if sizes:
        try:
            options["sizes"] = [int(part) for part in sizes.split(",") if part.strip()]
        except ValueError:
            _fail(f"--sizes {sizes!r}: expected comma-separated whole numbers", 2)
    with _errors():
        figures = entry.run(size or entry.default_size, **options)
    print(json.dumps(figures, indent=2, default=str))
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=2, default=str) + "\n")


def worker(once: Annotated[bool, typer.Option(help="One scheduler pass, then exit.")] = False,
           poll: Annotated[float, typer.Option(help="Seconds between passes.")] = 5.0) -> None:
    """Run the scheduler: find due touches and run them through the agent graph."""
    import signal
    import threading

    from cadenza.agent.service import open_agent

    with _errors():
        settings = Settings()
        stop = threading.Event()
        if once:
            db = _database(settings)
        else:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            logging.getLogger("cadenza").setLevel(logging.INFO)  # a line per touch, deferral
            db = _database_when_up(settings, stop)  # a database restarting is waited for
        with open_agent(settings, db) as agent:
            if once:
                agent.scheduler.recover(agent.deps.clock())
                report = agent.scheduler.tick()
                _say_tick(report)
                return
            console.print("worker running (Ctrl-C to stop)")
            agent.scheduler.run_forever(stop, poll_seconds=poll)


def _say_tick(report: TickReport) -> None:
    """A line per touch (outcome and why), one per deferral (why, and when it is due), and a
    summary that counts every outcome. Plain lines, never wrapped: scripts read them."""
    for result in report.results:
        print(f"touch {result.touch_id}: {result.outcome}"
              + (f" ({result.reason})" if result.reason else ""), flush=True)
    for enrollment_id, why, until in report.deferrals:
        print(f"enrollment {enrollment_id}: deferred to {until.isoformat()} ({why})",
              flush=True)
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(report.outcomes().items()))
    print(f"ran {report.claimed} touches" + (f": {counts}" if counts else "")
          + f"; deferred {report.deferred}; resumed {report.resumed}", flush=True)


def run(host: Annotated[str, typer.Option()] = "127.0.0.1",
        port: Annotated[int, typer.Option()] = 8000,
        poll: Annotated[float, typer.Option(help="Scheduler poll seconds.")] = 5.0) -> None:
    """Everything in one process: the scheduler, the mailbox watchers, handoff routing and SLA,
    the event webhooks' deliverer, and the API with its pages."""
    import signal
    import threading

    import uvicorn

    from cadenza.agent.service import open_agent
    from cadenza.api.app import create_app
    from cadenza.handoff.dispatch import route_on_creation
    from cadenza.handoff.routing import route_pending
    from cadenza.handoff.sla import check_sla
    from cadenza.replies.triage import check_triage_sla
    from cadenza.replies.watch_pool import start_watchers
    from cadenza.store.models import utcnow
    from cadenza.store.outage import is_outage
    from cadenza.webhooks.deliverer import Deliverer

    with _errors():
        settings = Settings()
        stop = threading.Event()
        db = _database_when_up(settings, stop)  # a database restarting is waited for
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=port,
                                               log_level="warning"))
        web = threading.Thread(target=server.run, name="api", daemon=True)
        web.start()
        notifier = _handoff_notifier(settings)
        watchers = start_watchers(db=db, settings=settings, stop=stop,
                                  on_handoff=route_on_creation(db=db, notifier=notifier,
                                                               clock=utcnow))

        def handoffs() -> None:
            while not stop.wait(30):
                try:
                    with db.session() as session:
                        check_triage_sla(session=session, now=utcnow(), notifier=notifier)
                        route_pending(session=session, now=utcnow(), notifier=notifier)
                        check_sla(session=session, now=utcnow(), notifier=notifier)
                except Exception as exc:  # the database away: the next round tries again
                    if not is_outage(exc):
                        raise
                    logging.getLogger(__name__).warning("handoff round skipped: %s", exc)

        threading.Thread(target=handoffs, name="handoffs", daemon=True).start()
        # event webhooks go out from their own thread, never from a worker's transaction
        deliverer = Deliverer(db)
        hooks = threading.Thread(target=deliverer.run_forever, args=(stop,), name="webhooks",
                                 daemon=True)
        hooks.start()

        def shutdown(*_: object) -> None:
            stop.set()
            server.should_exit = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, shutdown)
        console.print(f"cadenza running: API and pages on http://{host}:{port}; Ctrl-C stops")
        with open_agent(settings, db) as agent:
            agent.scheduler.run_forever(stop, poll_seconds=poll)
        watchers.join()
        hooks.join(timeout=15)
        deliverer.close()
        web.join(timeout=10)
