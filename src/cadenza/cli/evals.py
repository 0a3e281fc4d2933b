"""Offline evaluation: the reply classifier, drafts, comparing runs, and the gate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from cadenza.cli.common import _configured_llm, _errors, _fail, console, err
from cadenza.config import Settings
from cadenza.errors import InputError

eval_app = typer.Typer(help="Offline evaluation of drafts and of the reply classifier.",
                       no_args_is_help=True)


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
                                max_revisions=settings.max_revisions,
                                judge=DraftJudge(llm) if judge and llm else None)  # type: ignore[arg-type]
    for warning in scores.get("input_warnings", []):
        err.print(f"warning: {warning}", highlight=False)
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
