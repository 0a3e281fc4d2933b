"""eval compare: a planted regression is found and gates; an unchanged copy is not flagged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cadenza.bench.eval_drafts import SENDER, synthetic_prospect, synthetic_record
from cadenza.errors import InputError
from cadenza.evals.compare import (
    bootstrap_diff,
    compare_runs,
    default_thresholds,
    load_thresholds,
    macro_f1,
    render_comparison,
    two_proportion_test,
    write_comparison,
)
from cadenza.evals.draft_scores import score_drafts

RUN_AT = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)  # the scores' timestamp
THRESHOLDS = {"grounding_rate": 0.02, "macro_f1": 0.03, "hard_violations": 0}


def write_drafts_run(folder: Path, degrade: int = 0) -> Path:
    """100 clean drafts; the first ``degrade`` of them state a number no source has."""
    prospects = [synthetic_prospect(i) for i in range(100)]
    records = [synthetic_record(p) for p in prospects]
    for record in records[:degrade]:
        record["body"] = record["body"].replace("38%", "73%")
    folder.mkdir(parents=True)
    scores = score_drafts(records, prospects, SENDER, dataset="synthetic", now=RUN_AT)
    (folder / "scores.json").write_text(json.dumps(scores), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_drafts_run(tmp_path_factory.mktemp("runs") / "a")


@pytest.mark.slow  # scores and compares two 100-draft runs
def test_planted_grounding_regression_is_detected(baseline_run: Path, tmp_path: Path) -> None:
    worse = write_drafts_run(tmp_path / "b", degrade=10)
    comparison = compare_runs(baseline_run, worse, thresholds=THRESHOLDS)

    by_name = {d.name: d for d in comparison.metrics}
    grounding = by_name["grounding_rate"]
    assert (grounding.a, grounding.b) == (1.0, 0.9)
    assert grounding.diff == pytest.approx(-0.1)
    assert grounding.test == "two-proportion z-test"
    assert grounding.p_value is not None and grounding.p_value < 0.01
    assert grounding.beyond_noise is True and grounding.regression is True
    assert by_name["hard_violations"].b == 10 and by_name["hard_violations"].regression
    assert set(comparison.regressions) == {"grounding_rate", "hard_violations"}
    assert comparison.exit_code == 1

    text = render_comparison(comparison)
    assert "REGRESSION" in text and "grounding_rate" in text and "p=" in text
    out = write_comparison(comparison, tmp_path / "compare.json")
    saved = json.loads(out.read_text())
    assert saved["exit_code"] == 1 and "grounding_rate" in saved["regressions"]


def test_unchanged_copy_is_not_flagged(baseline_run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(baseline_run, copy)
    comparison = compare_runs(baseline_run, copy, thresholds=THRESHOLDS)
    assert comparison.regressions == [] and comparison.exit_code == 0
    assert all(d.beyond_noise in (False, None) for d in comparison.metrics)
    assert all(d.diff in (0, None) for d in comparison.metrics)
    assert "regressions: none" in render_comparison(comparison)


def test_small_decline_within_threshold_is_not_a_regression(baseline_run: Path,
                                                            tmp_path: Path) -> None:
    worse = write_drafts_run(tmp_path / "b", degrade=1)
    comparison = compare_runs(baseline_run, worse, thresholds={"grounding_rate": 0.02})
    grounding = next(d for d in comparison.metrics if d.name == "grounding_rate")
    assert grounding.diff == pytest.approx(-0.01)
    assert grounding.beyond_noise is False and not grounding.regression


def replies_metrics(wrong: int, n: int = 200) -> dict[str, Any]:
    intents = ["interested", "unsubscribe", "out_of_office", "not_now"]
    confusion: dict[str, dict[str, int]] = {i: dict.fromkeys(intents, 0) for i in intents}
    pairs = []
    for k in range(n):
        expected = intents[k % 4]
        predicted = "not_now" if k < wrong and expected != "not_now" else expected
        confusion[expected][predicted] += 1
        pairs.append((expected, predicted))
    correct = sum(e == p for e, p in pairs)
    return {"n": n, "accuracy": correct / n, "macro_f1": round(macro_f1(pairs), 4),
            "per_intent": {i: {"precision": 1, "recall": 1, "f1": 1, "support": n // 4}
                           for i in intents},
            "confusion": confusion,
            "critical_errors": [{"file": f"{k}.eml", "expected": "unsubscribe",
                                 "predicted": "not_now"} for k in range(wrong) if k % 4 == 1]}


def write_replies_run(folder: Path, wrong: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps(replies_metrics(wrong)), encoding="utf-8")
    return folder


@pytest.mark.slow  # bootstraps macro-F1 over two 200-reply runs, twice
def test_reply_runs_compare_accuracy_macro_f1_and_critical_errors(tmp_path: Path) -> None:
    a = write_replies_run(tmp_path / "a", wrong=0)
    b = write_replies_run(tmp_path / "b", wrong=40)
    comparison = compare_runs(a, b, thresholds=THRESHOLDS | {"critical_errors": 0})
    by_name = {d.name: d for d in comparison.metrics}
    assert comparison.kind == "replies"
    assert by_name["accuracy"].test == "two-proportion z-test"
    assert by_name["accuracy"].beyond_noise is True
    f1 = by_name["macro_f1"]
    assert f1.test == "bootstrap 95% CI" and f1.ci is not None and f1.ci[1] < 0
    assert f1.regression and "critical_errors" in comparison.regressions
    same = compare_runs(a, a, thresholds=THRESHOLDS)
    assert same.regressions == [] and {d.name: d for d in same.metrics}["macro_f1"].ci == (0, 0)


def test_kinds_must_match_and_folders_must_be_runs(baseline_run: Path, tmp_path: Path) -> None:
    replies = write_replies_run(tmp_path / "r", wrong=0)
    with pytest.raises(InputError, match="cannot compare"):
        compare_runs(baseline_run, replies)
    with pytest.raises(InputError, match="not an eval run"):
        compare_runs(baseline_run, tmp_path)


def test_thresholds_from_yaml_or_json(tmp_path: Path) -> None:
    yml = tmp_path / "t.yaml"
    yml.write_text("grounding_rate: 0.02\nhard_violations: 0\n")
    assert load_thresholds(yml) == {"grounding_rate": 0.02, "hard_violations": 0.0}
    js = tmp_path / "t.json"
    js.write_text(json.dumps({"thresholds": {"macro_f1": 0.03}}))
    assert load_thresholds(js) == {"macro_f1": 0.03}
    js.write_text(json.dumps({"macro_f1": "high"}))
    with pytest.raises(InputError, match="macro_f1"):
        load_thresholds(js)
    assert default_thresholds()["grounding_rate"] == 0.02


def test_statistics_helpers() -> None:
    assert two_proportion_test(100, 100, 90, 100) == pytest.approx(0.0012, abs=2e-4)
    assert two_proportion_test(50, 100, 50, 100) == pytest.approx(1.0)
    assert two_proportion_test(0, 0, 1, 2) is None
    ci = bootstrap_diff([1.0] * 50, [2.0] * 50, lambda v: sum(v) / len(v))
    assert ci == (1.0, 1.0)
