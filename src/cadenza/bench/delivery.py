"""Agent benchmarks: touches drafted, checked and delivered per second, and LLM prompt size.

Each figure comes with a baseline measured in the same run on the same machine, so the ratio
means something on a noisy 2-core box: for delivery, LangGraph's own 4-node graph with the same
durable SQLite checkpointer (the cost of durability itself, ~130–150 runs/s here).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any, TypedDict

from sqlmodel import select

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.graph import Durability
from cadenza.agent.service import open_agent
from cadenza.bench import machine, rss_mb
from cadenza.config import Settings
from cadenza.playbooks import parse_playbook
from cadenza.store import Database
from cadenza.store.models import Mailbox, Touch
from cadenza.store.workspaces import ensure_workspace

ONE_EMAIL = ("name: bench-one-email\nbusiness_days: false\nsend_window: {start: '00:00', "
             "end: '23:59', days: [mon, tue, wed, thu, fri, sat, sun]}\nsteps:\n"
             "  - {day: 1, channel: email, owner: agent, template: email_opener}\n")


#: Nodes a touch's run passes through when nothing holds it (load_context, guard, draft,
#: check, approve, deliver, record).
TOUCH_STEPS = 7


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prospect_rows(n: int) -> list[dict[str, Any]]:
    kinds = ["funding", "hiring", "product_launch", "news"]
    return [{"id": f"b{i}", "email": f"person{i}@company{i % 997}.example",
             "first_name": ["Dana", "Li", "Jonas", "Amara", "Sam"][i % 5], "last_name": "Doe",
             "title": "VP Operations", "company": f"Company {i % 997}",
             "company_domain": f"company{i % 997}.example", "industry": "logistics",
             "country": "US", "timezone": "UTC", "language": "en",
             "facts": [{"id": "f1", "kind": kinds[i % 4], "date": "2026-10-01",
                        "text": f"opened a new distribution centre in city {i % 50}"}]}
            for i in range(n)]


def baseline_langgraph(n: int, workdir: Path, durability: Durability, *,
                       location: str | None = None, nodes: int = 4) -> float:
    """LangGraph's own linear graph of ``nodes`` nodes (4: the issue's baseline) with the
    durable SQLite saver (or the saver at ``location``, a PostgreSQL URL): runs per second."""
    from langgraph.graph import END, START, StateGraph

    from cadenza.agent.checkpoints import open_checkpointer

    class S(TypedDict, total=False):
        steps: Annotated[list[str], operator.add]

    g: StateGraph[Any, Any, Any, Any] = StateGraph(S)
    names = [f"n{i}" for i in range(nodes)]
    for name in names:
        g.add_node(name, lambda s, _n=name: {"steps": [_n]})
    g.add_edge(START, names[0])
    for x, y in itertools.pairwise(names):
        g.add_edge(x, y)
    g.add_edge(names[-1], END)
    with open_checkpointer(location or f"sqlite:///{workdir / f'baseline-{durability}-{nodes}'}"
                                       ".checkpoints.db") as saver:
        graph = g.compile(checkpointer=saver)
        start = time.perf_counter()
        for i in range(n):
            graph.invoke({"steps": []}, {"configurable": {"thread_id": f"t{i}"}},
                         durability=durability)
        return n / (time.perf_counter() - start)


def bench_delivery(n: int = 1000, *, baseline_n: int = 500) -> dict[str, Any]:
    """Touches drafted (template), checked and delivered over SMTP to a loopback aiosmtpd sink,
    one process, durable checkpoints: with the worker's default (a checkpoint when a run ends
    or pauses) and with a checkpoint after every node; beside LangGraph's own 4-node graph on
    the same saver, with LangGraph's default durability and with each of ours."""
    workdir = Path(tempfile.mkdtemp(prefix="cadenza-bench-"))
    # the baselines first, in a process that has not yet built 1000s of touches' objects
    base = {d: round(baseline_langgraph(baseline_n, workdir, d), 1)
            for d in ("async", "exit", "sync")}
    # the same bare graph with as many steps as a touch's run takes (load_context, guard,
    # draft, check, approve, deliver, record): what LangGraph alone costs at our graph's size
    steps = round(baseline_langgraph(baseline_n, workdir, "exit", nodes=TOUCH_STEPS), 1)
    port = _free_port()
    # the SMTP server is another process, as in production (in-process it would compete with
    # the agent for the GIL and slow both down)
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                               f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_port(port)
    try:
        ours = {d: _deliver(n, workdir / d, port, d) for d in ("exit", "sync")}
    finally:
        server.terminate()
        server.wait(timeout=10)
    exit_run, sync_run = ours["exit"], ours["sync"]
    return {
        "benchmark": "delivery", "n": n, "delivered": exit_run["delivered"],
        "touches_per_s": exit_run["touches_per_s"],
        "median_ms_per_touch": exit_run["median_ms"], "p95_ms_per_touch": exit_run["p95_ms"],
        "durability": "exit (the worker's default: checkpoint when a run ends or pauses)",
        "touches_per_s_sync": sync_run["touches_per_s"],
        "median_ms_per_touch_sync": sync_run["median_ms"],
        "rss_mb_before": exit_run["rss_before"], "rss_mb_after": exit_run["rss_after"],
        "baseline": {"name": "langgraph 4-node linear graph, SqliteSaver, LangGraph's default "
                             "durability (async)", "runs_per_s": base["async"]},
        "baseline_same_durability": {
            "name": "the same 4-node graph with our durability", "exit_runs_per_s": base["exit"],
            "sync_runs_per_s": base["sync"]},
        "baseline_touch_steps": {
            "name": f"the same bare graph with {TOUCH_STEPS} nodes (a touch's run), exit "
                    "durability: LangGraph's own cost at our graph's size",
            "runs_per_s": steps,
            "ratio_to_4_nodes": round(steps / base["async"], 3) if base["async"] else None},
        "speedup": round(exit_run["touches_per_s"] / base["async"], 3),
        "ratio_same_durability": {
            "exit": round(exit_run["touches_per_s"] / base["exit"], 3),
            "sync": round(sync_run["touches_per_s"] / base["sync"], 3)},
        "machine": machine(),
    }


def _deliver(n: int, workdir: Path, port: int, durability: Durability) -> dict[str, Any]:
    """One delivery run on a fresh SQLite database: ``n`` prospects, one email each."""
    from cadenza.importer import import_prospects

    workdir.mkdir(parents=True)
    settings = Settings(database_url=f"sqlite:///{workdir / 'bench.db'}", home=workdir,
                        secret_key="bench-secret", checkpoint_durability=durability)
    db = Database(settings.database_url)
    db.migrate()
    data = workdir / "prospects.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in _prospect_rows(n)))
    sender = json.loads(_sample_sender())
    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="bench", sender=sender,
                                 settings={"approval": {"mode": "never"},
                                           "domain_daily_cap": 100000})
        s.add(Mailbox(workspace_id=ws.id or 0, email=sender["sender"]["email"],
                      smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                      daily_cap=10 * n, min_gap_seconds=0))
        import_prospects(session=s, workspace_id=ws.id or 0, path=data)
        enroll_prospects(session=s, workspace=ws,
                         playbook=parse_playbook(ONE_EMAIL, origin="bench"), now=now)
    rss_before = rss_mb()
    per_touch: list[float] = []
    with open_agent(settings, db, clock=lambda: now, jitter=(0.0, 0.0), batch=200) as agent:
        start = time.perf_counter()
        while True:
            ids, _ = agent.scheduler.claim(now)
            if not ids:
                break
            for touch_id in ids:
                t0 = time.perf_counter()
                agent.runner.run(touch_id)
                per_touch.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start
    with db.session() as s:
        delivered = len(s.exec(select(Touch.id).where(Touch.state == "sent")).all())
    db.dispose()
    ordered = sorted(per_touch)
    return {"delivered": delivered,
            "touches_per_s": round(delivered / elapsed, 1) if elapsed else 0.0,
            "median_ms": round(statistics.median(per_touch) * 1000, 2) if per_touch else None,
            "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)] * 1000, 2)
            if ordered else None,
            "rss_before": round(rss_before, 1), "rss_after": round(rss_mb(), 1)}


def _wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"SMTP sink did not start on port {port}")


def _sample_sender() -> str:
    from cadenza.demo import sample_file

    return sample_file("prospects", "sender.json").read_text("utf-8")


def bench_llm_prompt(n: int = 100) -> dict[str, Any]:
    """Input size of the LLM drafter's prompt per touch, and how much of it is the stable
    prefix a provider can cache; baseline: the template drafter's own time per draft."""
    from cadenza.prospects import ProspectIn
    from cadenza.sender import SenderProfile
    from cadenza.writing.drafting import DraftRequest, TemplateDrafter
    from cadenza.writing.llm_drafting import LLMDrafter

    sender = SenderProfile.model_validate_json(_sample_sender())
    class _PromptOnly:
        name = "prompt-only"

        def structured(self, messages: Any, schema: Any) -> Any:
            raise NotImplementedError("only the prompt is measured")

    drafter = LLMDrafter(_PromptOnly())
    prospects = [ProspectIn.model_validate(r) for r in _prospect_rows(n)]
    today = dt.date(2026, 11, 24)
    tokens: list[int] = []
    prefixes: set[str] = set()
    start = time.perf_counter()
    for p in prospects:
        messages = drafter.messages(DraftRequest(prospect=p, sender=sender, step_number=1,
                                                 channel="email", template="email_opener",
                                                 today=today))
        prefixes.add(messages[0].content)
        tokens.append(sum(len(m.content) for m in messages) // 4)
    prompt_s = (time.perf_counter() - start) / n
    template = TemplateDrafter()
    start = time.perf_counter()
    for p in prospects:
        template.draft(DraftRequest(prospect=p, sender=sender, step_number=1, channel="email",
                                    template="email_opener", today=today))
    template_s = (time.perf_counter() - start) / n
    return {"benchmark": "llm", "n": n,
            "input_tokens_p50": statistics.median(tokens), "input_tokens_max": max(tokens),
            "token_budget": 1500, "stable_prefix_variants": len(prefixes),
            "prompt_build_ms": round(prompt_s * 1000, 3),
            "baseline": {"name": "template drafter, ms per draft",
                         "ms": round(template_s * 1000, 3)},
            "speedup": round(template_s / prompt_s, 3) if prompt_s else None,
            "machine": machine(), "note": "tokens estimated as characters / 4"}
