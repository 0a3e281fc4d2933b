"""The reply-model trainer: writers left out whole, thresholds by cost, the exported model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cadenza.evals.replies import Label
from cadenza.evals.reply_breakdown import costly_errors, summary, wilson
from cadenza.evals.train_model import (
    Example,
    Prediction,
    apply_limits,
    choose_risk_limits,
    features_of,
    fit,
    load_corpus,
    main,
)
from cadenza.replies.classify.fingerprint import features_fingerprint
from cadenza.replies.classify.message import classify_message
from cadenza.replies.classify.model import load_model

DEV = Path(__file__).resolve().parents[2] / "src" / "cadenza" / "evals" / "datasets" / "replies"


def test_wilson_interval() -> None:
    assert wilson(0, 10) == [0.0, 0.2775]
    assert wilson(10, 10) == [0.7225, 1.0]
    low, high = wilson(50, 100)
    assert low < 0.5 < high and round(low + high, 4) == 1.0


@pytest.mark.parametrize(("gold", "got", "kinds"), [
    ("unsubscribe", "not_interested", ["missed_opt_out"]),
    ("unsubscribe", "unclear", []),  # a person decides: not acted on wrongly
    ("question", "unsubscribe", ["false_opt_out", "positive_as_negative"]),
    ("interested", "not_now", ["positive_as_negative"]),
    ("interested", "question", []),
    ("not_interested", "unsubscribe", ["false_opt_out"]),
])
def test_costly_errors(gold: str, got: str, kinds: list[str]) -> None:
    assert costly_errors(gold, got) == kinds


def test_summary_counts_what_goes_to_a_person_among_human_replies() -> None:
    figures = summary(["interested", "question", "bounce", "unsubscribe"],
                      ["unclear", "question", "bounce", "not_now"])
    assert figures["to_person"] == 1 and figures["to_person_share"] == round(1 / 3, 4)
    assert figures["missed_opt_out"] == 1 and figures["positive_as_negative"] == 0


def _prediction(gold: str, got: str, confidence: float, method: str = "model",
                risk: float = 0.0) -> Prediction:
    label = Label(file="x.eml", intent=gold, language="en", fields={})
    return Prediction(Example(Path("x.eml"), label, "w"), got, confidence, method, risk)


def test_risk_limits_sit_under_every_costly_error_of_the_model() -> None:
    predictions = [
        _prediction("interested", "not_interested", 0.72, risk=0.2),  # costly
        _prediction("unsubscribe", "not_interested", 0.8, risk=0.15),  # costly
        _prediction("not_interested", "not_interested", 0.9, risk=0.05),
        _prediction("not_interested", "not_interested", 0.7, risk=0.3),
        _prediction("question", "interested", 0.8, risk=0.01),  # an error, not a costly one
        _prediction("not_now", "not_now", 0.5, risk=0.9),  # under the floor: a person anyway
        _prediction("interested", "not_now", 0.99, method="rules"),  # rules: no limit
    ]
    limits = choose_risk_limits(predictions)
    assert limits == {"interested": 1.0, "not_interested": 0.1499}
    assert apply_limits(predictions, limits) == [
        "unclear", "unclear", "not_interested", "unclear", "interested", "unclear", "not_now"]


def _writer_folder(root: Path, name: str, files: list[str]) -> Path:
    folder = root / name
    folder.mkdir()
    labels = {json.loads(line)["file"]: json.loads(line)
              for line in (DEV / "labels.jsonl").read_text(encoding="utf-8").splitlines()
              if line.strip()}
    with (folder / "labels.jsonl").open("w", encoding="utf-8") as out:
        for name_ in files:
            shutil.copy(DEV / name_, folder / name_)
            out.write(json.dumps({**labels[name_], "writer": name}) + "\n")
    return folder


def test_training_leaves_writers_out_and_ships_a_model_the_package_reads(tmp_path: Path) -> None:
    names = sorted(p.name for p in DEV.glob("*.eml"))
    folders = [_writer_folder(tmp_path, f"w{i}", names[i::3]) for i in range(3)]
    out = tmp_path / "model.json"
    assert main([*map(str, folders), "--holdout", "w2", "--out", str(out),
                 "--report", str(tmp_path / "report"), "--c", "4"]) == 0
    report = json.loads((tmp_path / "report" / "training_report.json").read_text())
    assert report["train_writers"] == ["w0", "w1"]
    assert set(report["held_out"]) == {"w2"}
    assert set(report["out_of_writer"]["by_writer"]) == {"w0", "w1"}
    model = load_model(out)
    assert model is not None and model.risk_limits
    # what the weights depend on is recorded, and how they were made
    assert model.fingerprint == features_fingerprint() == report["fingerprint"]
    assert report["command"].startswith("python -m cadenza.evals.train_model ")
    assert all(0.0 <= t <= 1.0 for t in model.risk_limits.values())
    # the product computes the same features the trainer fitted on
    examples = load_corpus(folders[:1])
    fitted = fit(examples, c=4.0)
    for ex in examples:
        raw = ex.path.read_bytes()
        result = classify_message(raw, model=fitted, threshold=0.0).classification
        if result.method == "model" and result.reason == "model":
            scores = fitted.predict(features_of(raw))
            assert result.intent == max(scores, key=lambda k: scores[k])
            assert result.confidence == pytest.approx(max(scores.values()), abs=1e-4)
