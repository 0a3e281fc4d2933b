"""The ``cadenza`` command line (typer + rich).

Exit codes scripts can trust: 0 success; 1 the work failed (database unreachable, delivery
error); 2 bad usage or an invalid input file (the message names file, line and field);
3 partial success (e.g. an import in which some rows were rejected — the report says which).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeElapsedColumn
from rich.table import Table

from cadenza.config import Settings
from cadenza.errors import CadenzaError, InputError, NotFoundError
from cadenza.store import Database

app = typer.Typer(help="Cadenza: an AI SDR agent for the first touches of a sales cadence.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
playbooks_app = typer.Typer(help="List, show and validate playbooks.", no_args_is_help=True)
app.add_typer(playbooks_app, name="playbooks")
mailbox_app = typer.Typer(help="Sending identities (SMTP/IMAP by reference to secrets).",
                          no_args_is_help=True)
app.add_typer(mailbox_app, name="mailbox")
handoff_app = typer.Typer(help="Route handoffs, run the SLA clock, load routing rules.",
                          no_args_is_help=True)
app.add_typer(handoff_app, name="handoff")
export_app = typer.Typer(help="CRM-friendly exports.", no_args_is_help=True)
app.add_typer(export_app, name="export")
eval_app = typer.Typer(help="Offline evaluation of drafts and of the reply classifier.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")
console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[str, typer.Option("--workspace", "-w", envvar="CADENZA_WORKSPACE",
                                           help="Workspace slug.")]


def _fail(message: str, code: int) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn Cadenza's errors into a one-line message and a trustworthy exit code."""
    try:
        yield
    except (InputError, NotFoundError) as exc:
        _fail(str(exc), 2)
    except CadenzaError as exc:
        _fail(str(exc), 1)


def _database(settings: Settings, *, migrate: bool = False) -> Database:
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
        return db
    db.check()
    if not db.is_current():
        _fail("the database is not initialised or is out of date: run `cadenza init`", 1)
    return db


@app.command()
def init(workspace: WorkspaceOpt = "default",
         name: Annotated[str | None, typer.Option(help="Display name.")] = None,
         sender: Annotated[Path | None, typer.Option(
             help="Sender identity JSON (see shared formats).", exists=True,
             dir_okay=False)] = None,
         timezone: Annotated[str, typer.Option(help="Workspace time zone.")] = "UTC") -> None:
    """Create (or upgrade) the database and create a workspace."""
    from cadenza.sender import SenderProfile
    from cadenza.store.workspaces import ensure_workspace

    with _errors():
        settings = Settings()
        sender_data = None
        if sender is not None:
            try:
                sender_data = SenderProfile.model_validate_json(
                    sender.read_text("utf-8")).model_dump(mode="json")
            except ValueError as exc:
                raise InputError(f"invalid sender: {exc}", file=str(sender)) from None
        db = _database(settings, migrate=True)
        with db.session() as session:
            ws, created = ensure_workspace(session=session, slug=workspace, name=name,
                                           sender=sender_data, settings={"timezone": timezone})
            if not created and sender_data is not None:
                ws.sender = sender_data
                session.add(ws)
        safe = db.engine.url.render_as_string(hide_password=True)
        verb = "created" if created else "exists"
        console.print(f"database ready at [bold]{safe}[/]; workspace [bold]{workspace}[/] {verb}")


@app.command("import")
def import_cmd(path: Annotated[Path, typer.Argument(help="Prospects file (.jsonl or .csv).")],
               workspace: WorkspaceOpt = "default",
               facts: Annotated[Path | None, typer.Option(
                   help="Facts JSONL for a CSV import.")] = None,
               report: Annotated[Path | None, typer.Option(
                   help="Write every rejected or warned row as JSONL here.")] = None) -> None:
    """Import prospects, deduplicated by email; re-importing the same file changes nothing."""
    from cadenza.importer import import_prospects
    from cadenza.store.workspaces import get_workspace

    with _errors():
        settings = Settings()
        db = _database(settings)
        size = path.stat().st_size if path.exists() else 0
        with db.session() as session, Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
            TimeElapsedColumn(), console=err, transient=False, disable=not err.is_terminal,
        ) as progress:
            ws = get_workspace(session=session, slug=workspace)
            task = progress.add_task(f"importing {path.name}", total=size)
            result = import_prospects(session=session, workspace_id=ws.id or 0, path=path,
                                      facts_path=facts,
                                      on_bytes=lambda n: progress.advance(task, n))
        table = Table(title=f"import of {path.name}")
        for col_name in ("created", "updated", "unchanged", "rejected"):
            table.add_column(col_name, justify="right")
        table.add_row(*(str(result.counts[k]) for k in
                        ("created", "updated", "unchanged", "rejected")))
        console.print(table)
        for row in result.problems[:20]:
            where = f"{path.name}:{row.line}"
            what = row.reason if row.outcome == "rejected" else "; ".join(row.warnings)
            fld = f" (field '{row.field}')" if row.field else ""
            console.print(f"  {where}: {row.outcome}: {what}{fld}", highlight=False)
        if len(result.problems) > 20:
            console.print(f"  … {len(result.problems) - 20} more (use --report FILE)")
        if report is not None:
            with report.open("w", encoding="utf-8") as fh:
                for row in result.problems:
                    fh.write(json.dumps({"file": str(path), "line": row.line,
                                         "id": row.prospect_id, "email": row.email,
                                         "outcome": row.outcome, "reason": row.reason,
                                         "field": row.field, "warnings": list(row.warnings)},
                                        ensure_ascii=False) + "\n")
        if result.counts["rejected"]:
            raise typer.Exit(3)


@app.command()
def enroll(playbook: Annotated[str, typer.Option(help="Built-in name or YAML path.")]
           = "ai-sdr-first-four",
           workspace: WorkspaceOpt = "default",
           prospect: Annotated[list[str] | None, typer.Option(
               help="Prospect id (repeatable); default: every prospect.")] = None,
           allow_parallel: Annotated[bool, typer.Option(
               help="Allow a second active cadence for a prospect.")] = False) -> None:
    """Enroll prospects in a playbook."""
    from cadenza.agent.enrollment import enroll_prospects
    from cadenza.playbooks import resolve_playbook
    from cadenza.store.workspaces import get_workspace

    with _errors():
        loaded = resolve_playbook(playbook)
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rep = enroll_prospects(session=session, workspace=ws, playbook=loaded,
                                   external_ids=prospect, allow_parallel=allow_parallel)
        console.print(f"enrolled [bold]{rep.enrolled}[/] in {rep.playbook}; "
                      f"skipped {len(rep.skipped)}")
        for label, reason in rep.skipped[:20]:
            console.print(f"  skipped {label}: {reason}", highlight=False)
        if prospect and rep.skipped:
            raise typer.Exit(3)


@playbooks_app.command("list")
def playbooks_list() -> None:
    """List the built-in playbooks."""
    from cadenza.playbooks import builtin_names, load_builtin

    table = Table("name", "kind", "steps", "agent steps", "days", "description")
    for name in builtin_names():
        spec = load_builtin(name).spec
        table.add_row(name, spec.kind, str(len(spec.steps)), str(len(spec.agent_steps())),
                      str(spec.steps[-1].day), spec.description)
    console.print(table)


@playbooks_app.command("show")
def playbooks_show(name: Annotated[str, typer.Argument(help="Built-in name or YAML path.")]
                   ) -> None:
    """Show a playbook's steps."""
    from cadenza.playbooks import resolve_playbook

    with _errors():
        loaded = resolve_playbook(name)
    spec = loaded.spec
    console.print(f"[bold]{spec.name}[/] ({spec.kind}) — {spec.description}")
    console.print(f"window {spec.send_window.start}–{spec.send_window.end} "
                  f"{','.join(spec.send_window.days)}, business days: {spec.business_days}, "
                  f"time zone: {spec.timezone_policy}; hash {loaded.content_hash[:12]}")
    table = Table("#", "day", "channel", "owner", "template", "name")
    for number, step in enumerate(spec.steps, start=1):
        table.add_row(str(number), str(step.day), step.channel, step.owner,
                      step.template or "", step.name)
    console.print(table)


@playbooks_app.command("validate")
def playbooks_validate(paths: Annotated[list[Path], typer.Argument(help="YAML files.")]) -> None:
    """Validate playbook files; exit 2 on the first error, naming file, line and field."""
    from cadenza.playbooks import load_playbook_file

    failed = False
    for path in paths:
        try:
            loaded = load_playbook_file(path)
        except InputError as exc:
            err.print(f"[red]✗[/] {exc}", highlight=False)
            failed = True
            continue
        console.print(f"[green]✓[/] {path}: {loaded.spec.name}, {len(loaded.spec.steps)} steps")
    if failed:
        raise typer.Exit(2)


@app.command()
def status(workspace: WorkspaceOpt = "default") -> None:
    """Enrollments by state and the touches due now."""
    from sqlmodel import col, func, select

    from cadenza.store.models import Enrollment, Touch, utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            by_state = session.exec(select(Enrollment.state, func.count()).where(
                Enrollment.workspace_id == ws.id).group_by(Enrollment.state)).all()
            due = session.exec(select(func.count()).select_from(Enrollment).where(
                Enrollment.workspace_id == ws.id, Enrollment.state == "active",
                col(Enrollment.next_due_at) <= utcnow())).one()
            touches = session.exec(select(Touch.state, func.count()).where(
                Touch.workspace_id == ws.id).group_by(Touch.state)).all()
        table = Table("enrollment state", "count", title=f"workspace {workspace}")
        for state, count in sorted(by_state):
            table.add_row(state, str(count))
        console.print(table)
        if touches:
            t2 = Table("touch state", "count")
            for state, count in sorted(touches):
                t2.add_row(state, str(count))
            console.print(t2)
        console.print(f"due now: [bold]{due}[/] touches "
                      f"(as of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")


@app.command()
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

def _handoff_notifier(settings: Settings) -> Any:
    """Each workspace's handoff channels (rep email, webhook, the thread introduction)."""
    from cadenza.handoff.dispatch import WorkspaceNotifier
    from cadenza.mailbox.send import sender_for_mailbox

    return WorkspaceNotifier(sender_for=sender_for_mailbox, signing_key=settings.signing_key(),
                             public_base_url=settings.public_base_url)


def _configured_llm(settings: Settings) -> object | None:
    from cadenza.llm import llm_from_settings

    return llm_from_settings(base_url=settings.llm_base_url, model=settings.llm_model,
                             api_key=settings.llm_api_key())


@app.command()
def classify(paths: Annotated[list[Path], typer.Argument(
                 help=".eml files or folders (every *.eml in a folder).")]) -> None:
    """Classify replies; one JSON object per file on standard output (shared formats)."""
    from cadenza.mailbox.classify import classify_files

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}", 2)
    with _errors():
        settings = Settings()
        llm = _configured_llm(settings)
        for line in classify_files(paths, llm=llm,  # type: ignore[arg-type]
                                   threshold=settings.classify_threshold):
            print(json.dumps(line, ensure_ascii=False), flush=True)


@eval_app.command("replies")
def eval_replies(folder: Annotated[Path, typer.Argument(help="Folder of .eml files.")],
                 out: Annotated[Path, typer.Option(help="Output folder.")],
                 labels: Annotated[Path | None, typer.Option(
                     help="Labels JSONL (default FOLDER/labels.jsonl).")] = None) -> None:
    """Measure the reply classifier: metrics.json and report.html in OUT."""
    from cadenza.evals.replies import run_reply_eval

    if not folder.is_dir():
        _fail(f"{folder} is not a folder", 2)
    with _errors():
        llm = _configured_llm(Settings())
        metrics = run_reply_eval(folder, labels=labels, out=out, llm=llm)  # type: ignore[arg-type]
    console.print(f"n={metrics['n']} accuracy={metrics['accuracy']:.3f} "
                  f"macro_f1={metrics['macro_f1']:.3f} "
                  f"critical errors={len(metrics['critical_errors'])}")
    console.print(f"wrote {out / 'metrics.json'} and {out / 'report.html'}")


@eval_app.command("drafts")
def eval_drafts(prospects: Annotated[Path, typer.Argument(help="Prospects JSONL.")],
                sender: Annotated[Path, typer.Option(help="Sender identity JSON.")],
                out: Annotated[Path, typer.Option(help="Output folder.")],
                playbook: Annotated[str, typer.Option(help="Built-in name or YAML path.")]
                = "ai-sdr-first-four",
                expected: Annotated[Path | None, typer.Option(
                    help="expected.jsonl with per-prospect expectations.")] = None,
                judge: Annotated[bool, typer.Option(
                    help="Also grade drafts with the configured LLM.")] = False,
                today: Annotated[str | None, typer.Option(
                    help="Date the drafts are written on (YYYY-MM-DD).")] = None) -> None:
    """Draft every agent-owned step for every prospect (no sending) and score the drafts."""
    from cadenza.agent.service import make_drafter
    from cadenza.evals.drafts import run_draft_eval
    from cadenza.evals.judge import DraftJudge

    with _errors():
        settings = Settings()
        llm = _configured_llm(settings)
        if judge and llm is None:
            raise InputError("--judge needs an LLM: set CADENZA_LLM_MODEL and "
                             "CADENZA_LLM_BASE_URL or OPENAI_API_KEY")
        day = dt.date.fromisoformat(today) if today else None
        scores = run_draft_eval(prospects, sender_path=sender, out=out, playbook=playbook,
                                drafter=make_drafter(settings), expected=expected, today=day,
                                judge=DraftJudge(llm) if judge and llm else None)  # type: ignore[arg-type]
    counts = scores["counts"]["status"]
    console.print(f"drafts: {json.dumps(counts)}; hard-rule violations in drafted messages: "
                  f"{scores['headline']['hard_violations']}")
    console.print(f"wrote {out / 'drafts.jsonl'}, {out / 'scores.json'}, {out / 'report.html'}")


@eval_app.command("compare")
def eval_compare(run_a: Annotated[Path, typer.Argument(help="Baseline run folder.")],
                 run_b: Annotated[Path, typer.Argument(help="Candidate run folder.")],
                 thresholds: Annotated[Path | None, typer.Option(
                     help="YAML/JSON of allowed declines per metric.")] = None,
                 out: Annotated[Path | None, typer.Option(
                     help="Write compare.json here.")] = None) -> None:
    """What changed between two eval runs; exits 1 when a threshold regresses."""
    from cadenza.evals.compare import (
        compare_runs,
        default_thresholds,
        load_thresholds,
        render_comparison,
        write_comparison,
    )

    with _errors():
        limits = load_thresholds(thresholds) if thresholds else default_thresholds()
        comparison = compare_runs(run_a, run_b, thresholds=limits)
    print(render_comparison(comparison))
    if out is not None:
        write_comparison(comparison, out / "compare.json")
    raise typer.Exit(comparison.exit_code)


@eval_app.command("gate")
def eval_gate(runs: Annotated[list[Path], typer.Argument(help="Eval run folders.")]) -> None:
    """Fail (exit 1) when a run breaks a hard rule or falls under the classifier floors."""
    from cadenza.evals.gate import check_run

    failed = False
    with _errors():
        for run in runs:
            problems = check_run(run)
            for line in problems:
                err.print(f"[red]✗[/] {run}: {line}", highlight=False)
            if not problems:
                console.print(f"[green]✓[/] {run}: gate passed")
            failed = failed or bool(problems)
    if failed:
        raise typer.Exit(1)


@app.command()
def bench(name: Annotated[str, typer.Argument(
              help="delivery | scheduler | import | replies | llm | eval-drafts | queue | "
                   "routing (watch: benchmarks/watch.py starts dovecot)")],
          size: Annotated[int | None, typer.Option(help="Problem size (default per bench).")]
          = None,
          json_out: Annotated[Path | None, typer.Option(
              "--json", help="Write the figures as JSON here.")] = None) -> None:
    """Run one benchmark; figures are printed beside a baseline measured in the same run."""
    from cadenza.benchmarks import registry

    benches = registry()
    if name not in benches:
        _fail(f"unknown benchmark {name!r} (known: {', '.join(benches)})", 2)
    entry = benches[name]
    with _errors():
        figures = entry.run(size or entry.default_size)
    print(json.dumps(figures, indent=2, default=str))
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=2, default=str) + "\n")


@app.command()
def worker(once: Annotated[bool, typer.Option(help="One scheduler pass, then exit.")] = False,
           poll: Annotated[float, typer.Option(help="Seconds between passes.")] = 5.0) -> None:
    """Run the scheduler: find due touches and run them through the agent graph."""
    import signal
    import threading

    from cadenza.agent.service import open_agent

    with _errors():
        settings = Settings()
        db = _database(settings)
        with open_agent(settings, db) as agent:
            if once:
                agent.scheduler.recover(agent.deps.clock())
                report = agent.scheduler.tick()
                console.print(f"ran {report.claimed} touches: {report.count('sent')} sent, "
                              f"{report.count('waiting')} waiting for a person, "
                              f"{report.count('failed')} failed; deferred {report.deferred}")
                return
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            console.print("worker running (Ctrl-C to stop)")
            agent.scheduler.run_forever(stop, poll_seconds=poll)


@app.command()
def watch(once: Annotated[bool, typer.Option(help="One fetch cycle, then exit.")] = False,
          mailbox: Annotated[list[int] | None, typer.Option(
              help="Mailbox id (repeatable); default: every mailbox with IMAP.")] = None) -> None:
    """Watch mailboxes over IMAP: store, thread, classify and act on every reply."""
    import signal
    import threading

    from cadenza.mailbox.watcher import run_watchers, watch_once

    with _errors():
        settings = Settings()
        db = _database(settings)
        if once:
            for cycle in watch_once(db=db, settings=settings, mailbox_ids=mailbox):
                console.print(f"{cycle}")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        if run_watchers(db=db, settings=settings, stop=stop, mailbox_ids=mailbox) == 0:
            _fail("no mailbox has IMAP settings: add one with `cadenza mailbox add`", 1)


@mailbox_app.command("add")
def mailbox_add(email: Annotated[str, typer.Option(help="The sending address.")],
                workspace: WorkspaceOpt = "default",
                name: Annotated[str, typer.Option(help="Display name.")] = "",
                smtp_host: Annotated[str, typer.Option()] = "127.0.0.1",
                smtp_port: Annotated[int, typer.Option()] = 587,
                smtp_security: Annotated[str, typer.Option(help="starttls | tls | none")]
                = "starttls",
                smtp_user: Annotated[str, typer.Option()] = "",
                smtp_password: Annotated[str, typer.Option(
                    help="A reference, never the secret: env:NAME or file:/path")] = "",
                imap_host: Annotated[str, typer.Option()] = "",
                imap_port: Annotated[int, typer.Option()] = 993,
                imap_security: Annotated[str, typer.Option(help="tls | starttls | none")]
                = "tls",
                imap_user: Annotated[str, typer.Option()] = "",
                imap_password: Annotated[str, typer.Option(
                    help="A reference: env:NAME or file:/path")] = "",
                sent_folder: Annotated[str, typer.Option(help="e.g. Sent")] = "",
                daily_cap: Annotated[int, typer.Option()] = 40) -> None:
    """Add a mailbox to a workspace."""
    from cadenza.addresses import validate_email_address
    from cadenza.store.models import Mailbox
    from cadenza.store.workspaces import get_workspace

    with _errors():
        address = validate_email_address(email)
        if address is None:
            raise InputError(f"invalid address {email!r}", field="email")
        for label, ref in (("--smtp-password", smtp_password),
                           ("--imap-password", imap_password)):
            if ref and not ref.startswith(("env:", "file:")):
                raise InputError(f"{label} must be a reference (env:NAME or file:/path), "
                                 "never the password itself")
        for label, value, allowed in (("--smtp-security", smtp_security,
                                       ("starttls", "tls", "none")),
                                      ("--imap-security", imap_security,
                                       ("starttls", "tls", "none"))):
            if value not in allowed:
                raise InputError(f"{label} must be one of {', '.join(allowed)}")
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            box = Mailbox(workspace_id=ws.id or 0, email=address, display_name=name,
                          smtp_host=smtp_host, smtp_port=smtp_port, smtp_security=smtp_security,
                          smtp_username=smtp_user, smtp_password_ref=smtp_password,
                          imap_host=imap_host, imap_port=imap_port, imap_security=imap_security,
                          imap_username=imap_user or (address if imap_host else ""),
                          imap_password_ref=imap_password, imap_folders=["INBOX"],
                          sent_folder=sent_folder, daily_cap=daily_cap)
            session.add(box)
            session.flush()
            console.print(f"mailbox {box.id} {address} added to {workspace}")


@mailbox_app.command("list")
def mailbox_list(workspace: WorkspaceOpt = "default") -> None:
    """List a workspace's mailboxes."""
    from sqlmodel import select

    from cadenza.store.models import Mailbox
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            table = Table("id", "email", "smtp", "imap", "daily cap", "active")
            for box in session.exec(select(Mailbox).where(Mailbox.workspace_id == ws.id)):
                table.add_row(str(box.id), box.email,
                              f"{box.smtp_host}:{box.smtp_port} {box.smtp_security}",
                              f"{box.imap_host}:{box.imap_port}" if box.imap_host else "-",
                              str(box.daily_cap), "yes" if box.active else "no")
        console.print(table)


@app.command()
def api(host: Annotated[str, typer.Option()] = "127.0.0.1",
        port: Annotated[int, typer.Option()] = 8000) -> None:
    """Serve the REST API (OpenAPI at /openapi.json) and the rep/operator web pages."""
    from cadenza.api.app import serve

    with _errors():
        settings = Settings()
        _database(settings).dispose()
        serve(settings, host=host, port=port)


@app.command()
def run(host: Annotated[str, typer.Option()] = "127.0.0.1",
        port: Annotated[int, typer.Option()] = 8000,
        poll: Annotated[float, typer.Option(help="Scheduler poll seconds.")] = 5.0) -> None:
    """Everything in one process: the scheduler, the mailbox watchers, handoff routing and SLA,
    and the API with its pages."""
    import signal
    import threading

    import uvicorn

    from cadenza.agent.service import open_agent
    from cadenza.api.app import create_app
    from cadenza.handoff.routing import route_pending
    from cadenza.handoff.sla import check_sla
    from cadenza.mailbox.watcher import start_watchers
    from cadenza.store.models import utcnow

    with _errors():
        settings = Settings()
        db = _database(settings)
        stop = threading.Event()
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=port,
                                               log_level="warning"))
        web = threading.Thread(target=server.run, name="api", daemon=True)
        web.start()
        watchers = start_watchers(db=db, settings=settings, stop=stop)

        notifier = _handoff_notifier(settings)

        def handoffs() -> None:
            while not stop.wait(30):
                with db.session() as session:
                    route_pending(session=session, now=utcnow(), notifier=notifier)
                    check_sla(session=session, now=utcnow(), notifier=notifier)

        threading.Thread(target=handoffs, name="handoffs", daemon=True).start()

        def shutdown(*_: object) -> None:
            stop.set()
            server.should_exit = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, shutdown)
        console.print(f"cadenza running: API and pages on http://{host}:{port}; Ctrl-C stops")
        with open_agent(settings, db) as agent:
            agent.scheduler.run_forever(stop, poll_seconds=poll)
        watchers.join()
        web.join(timeout=10)


@app.command()
def token(role: Annotated[str, typer.Option(help="operator | rep")] = "operator",
          workspace: WorkspaceOpt = "default",
          rep_email: Annotated[str | None, typer.Option(help="The rep, for a rep token.")]
          = None,
          name: Annotated[str, typer.Option(help="What the token is for.")] = "cli") -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    from sqlmodel import select

    from cadenza.api.auth import create_token
    from cadenza.store.models import Rep
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if role not in ("operator", "rep"):
            raise InputError("--role must be operator or rep", field="role")
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rep_id = None
            if role == "rep":
                rep = session.exec(select(Rep).where(Rep.workspace_id == ws.id,
                                                     Rep.email == (rep_email or ""))).first()
                if rep is None:
                    raise NotFoundError(f"no rep {rep_email!r} in {workspace}: add reps with "
                                        "`cadenza handoff rules FILE` or the API")
                rep_id = rep.id
            clear = create_token(session=session, workspace_id=ws.id or 0, role=role,  # type: ignore[arg-type]
                                 rep_id=rep_id, name=name)
        print(clear)


@app.command()
def queue(workspace: WorkspaceOpt = "default",
          rep_email: Annotated[str | None, typer.Option(help="A rep's queue.")] = None,
          name: Annotated[str, typer.Option("--queue", help="A named queue (unassigned).")]
          = "fallback") -> None:
    """List open handoffs: a rep's queue, or an unassigned queue, most urgent first."""
    from sqlmodel import select

    from cadenza.handoff.queue import list_queue
    from cadenza.store.models import Rep
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rep_id = None
            if rep_email:
                rep = session.exec(select(Rep).where(Rep.workspace_id == ws.id,
                                                     Rep.email == rep_email)).first()
                if rep is None:
                    raise NotFoundError(f"no rep {rep_email!r} in {workspace}")
                rep_id = rep.id
            items = list_queue(session=session, workspace_id=ws.id or 0, rep_id=rep_id,
                               queue=None if rep_id else name, limit=200)
        table = Table("id", "priority", "intent", "prospect", "company", "state", "SLA")
        for it in items:
            sla = "breached" if it.sla_breached else (f"{it.sla_due_at:%Y-%m-%d %H:%M}"
                                                      if it.sla_due_at else "-")
            table.add_row(str(it.id), str(it.priority), it.intent, it.prospect_name,
                          it.company, it.state, sla)
        console.print(table)


@handoff_app.command("rules")
def handoff_rules(path: Annotated[Path, typer.Argument(help="Routing rules YAML.")],
                  workspace: WorkspaceOpt = "default") -> None:
    """Validate and store a workspace's routing rules (reps, territories, SLA)."""
    from cadenza.handoff.rules import load_routing_file, save_routing
    from cadenza.store.workspaces import get_workspace

    with _errors():
        config = load_routing_file(path)
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            save_routing(session=session, workspace_id=ws.id or 0, config=config)
    console.print(f"routing rules from {path} stored for {workspace}")


@handoff_app.command("route")
def handoff_route(workspace: WorkspaceOpt = "default") -> None:
    """Route every unrouted handoff now and notify as the workspace's rules say (rep email,
    webhook, the introduction in the prospect's thread)."""
    from cadenza.handoff.routing import route_pending
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        settings = Settings()
        db = _database(settings)
        notifier = _handoff_notifier(settings)
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            decisions = route_pending(session=session, now=utcnow(), workspace_id=ws.id,
                                      notifier=notifier)
        for d in decisions:
            console.print(f"{d.rep_email or d.queue}: {d.reason}", highlight=False)
        console.print(f"routed {len(decisions)} handoffs")


@handoff_app.command("sla")
def handoff_sla(workspace: WorkspaceOpt = "default") -> None:
    """Escalate or reassign handoffs that missed their SLA (run every minute or so)."""
    from cadenza.handoff.sla import check_sla
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        settings = Settings()
        db = _database(settings)
        notifier = _handoff_notifier(settings)
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            report = check_sla(session=session, now=utcnow(), workspace_id=ws.id,
                               notifier=notifier)
        console.print(f"checked {report.checked}: escalated {len(report.escalated)}, "
                      f"reassigned {len(report.reassigned)}, to the fallback queue "
                      f"{len(report.to_fallback)}")


@export_app.command("handoffs")
def export_handoffs_cmd(out: Annotated[Path, typer.Option(help="Output file.")],
                        workspace: WorkspaceOpt = "default",
                        fmt: Annotated[str, typer.Option("--format", help="jsonl | csv")]
                        = "jsonl") -> None:
    """Export handoffs for a CRM (JSON lines or CSV)."""
    from cadenza.handoff.export import export_handoffs
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if fmt not in ("jsonl", "csv"):
            raise InputError("--format must be jsonl or csv", field="format")
        db = _database(Settings())
        with db.session() as session, out.open("w", encoding="utf-8", newline="") as fh:
            ws = get_workspace(session=session, slug=workspace)
            n = export_handoffs(session=session, workspace_id=ws.id or 0, out=fh,
                                fmt=fmt)  # type: ignore[arg-type]
    console.print(f"exported {n} handoffs to {out}")


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
