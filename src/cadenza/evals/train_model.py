"""Train the offline reply model, measured on writers it never saw.

``python -m cadenza.evals.train_model CORPUS… --holdout WRITERS [--out MODEL] [--report DIR]``

Every new writer brings new wording, so a model is only as good as its score on people whose
mail it never read. Hence:

1. Whole writers are held out (``--holdout``): never trained on, never used to choose anything;
   the CI gate and the README's figures come from them alone.
2. On the other writers, each writer in turn is left out, the model is fitted on the rest and
   the whole classifier (rules, then the model) reads the left-out writer's mail. These
   out-of-writer predictions choose the regularisation and, per predicted intent, the risk
   limit over which a person decides: the model's probability that acting on that intent is
   a costly error (a false opt-out, a missed opt-out, a positive reply read as negative — see
   :func:`cadenza.replies.classify.intents.costly_if`), set just under the risk of every costly
   error the left-out writers showed, so that none is acted on there.
3. The model shipped is fitted on all training writers, with those limits.

The fit is scikit-learn's multinomial logistic regression (a development-only dependency:
``pip install -e '.[train]'``) over the package's own features
(:func:`cadenza.replies.classify.classifier.reply_features`), exported as the JSON the package
reads without scikit-learn — so training and the product compute the same features by
construction. The model records the fingerprint of those features (the cue lists and the
feature code, :mod:`cadenza.replies.classify.fingerprint`); a test fails when they change
without a retrain, naming :data:`RETRAIN_COMMAND`, the command the shipped model was trained
with (from the repository's root).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadenza.evals.replies import Label, compute_metrics, read_labels
from cadenza.evals.reply_breakdown import costly_errors, summary
from cadenza.mailbox.parse import ParseError, parse_message
from cadenza.mailbox.quotes import strip_reply
from cadenza.replies.classify.classifier import DEFAULT_THRESHOLD, reply_features
from cadenza.replies.classify.fingerprint import features_fingerprint
from cadenza.replies.classify.message import classify_message
from cadenza.replies.classify.model import MODEL_PATH, ReplyModel, load_model, save_model

log = logging.getLogger(__name__)

#: Decided from headers and report parts, never from prose: not the model's to learn.
_STANDARDS_ONLY = frozenset({"bounce"})
#: Weights under this are dropped from the shipped file (size; they move no decision).
_MIN_WEIGHT = 0.02
#: The command the shipped model and ``corpus/replies/reports`` come from, run from the
#: repository's root; w6, w7, w10 and w13 are read only for the held-out figures of the report.
RETRAIN_COMMAND = (
    "python -m cadenza.evals.train_model src/cadenza/evals/datasets/replies corpus/replies/w2 "
    "corpus/replies/w3 corpus/replies/w4 corpus/replies/w5 corpus/replies/w8 corpus/replies/w9 "
    "corpus/replies/w11 corpus/replies/w12 corpus/replies/w14 corpus/replies/w15 "
    "corpus/replies/w16 corpus/replies/w18 corpus/replies/w19 corpus/replies/w20 "
    "corpus/replies/w22 corpus/replies/w23 corpus/replies/w26 corpus/replies/w27 "
    "corpus/replies/w28 corpus/replies/w29 corpus/replies/w30 corpus/replies/w31 "
    "corpus/replies/w32 "
    "corpus/replies/w6 corpus/replies/w7 corpus/replies/w10 corpus/replies/w13 "
    "corpus/replies/w17 corpus/replies/w21 corpus/replies/w24 corpus/replies/w25 "
    "--holdout w6,w7,w10,w13,w17,w21,w24,w25 "
    "--c 64,256 --report corpus/replies/reports")


@dataclass(frozen=True)
class Example:
    """One labeled message of a corpus, with its writer."""

    path: Path
    label: Label
    writer: str


def load_corpus(folders: Sequence[Path]) -> list[Example]:
    """Every labeled message of ``folders`` (each with a ``labels.jsonl``); a label without a
    ``writer`` gets its folder's name."""
    examples: list[Example] = []
    for folder in folders:
        for label in read_labels(folder / "labels.jsonl"):
            examples.append(Example(folder / label.file, label, label.writer or folder.name))
    return examples


def features_of(raw: bytes) -> dict[str, float]:
    """The model's features of one raw message, as the classifier computes them."""
    parsed = parse_message(raw)
    return reply_features(strip_reply(parsed.text).text, parsed.subject or "")


def sklearn_parts() -> tuple[Any, Any]:
    """scikit-learn's ``DictVectorizer`` and ``LogisticRegression`` (a training-only
    dependency: ``pip install -e '.[train]'``), for this trainer and the sensitive-fact one."""
    try:
        from sklearn.feature_extraction import (  # type: ignore[import-not-found,import-untyped,unused-ignore]
            DictVectorizer,
        )
        from sklearn.linear_model import (  # type: ignore[import-not-found,import-untyped,unused-ignore]
            LogisticRegression,
        )
    except ImportError:  # pragma: no cover - depends on the environment
        raise SystemExit("training needs scikit-learn: pip install -e '.[train]'") from None
    return DictVectorizer, LogisticRegression


def fit(examples: Sequence[Example], *, c: float) -> ReplyModel:
    """Multinomial logistic regression on the human replies of ``examples``."""
    DictVectorizer, LogisticRegression = sklearn_parts()
    rows, targets = [], []
    for ex in examples:
        if ex.label.intent in _STANDARDS_ONLY:
            continue
        try:
            rows.append(features_of(ex.path.read_bytes()))
        except (OSError, ParseError) as exc:
            log.warning("skipping %s: %s", ex.path, exc)
            continue
        targets.append(ex.label.intent)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    # features seen in one message only are that message's, not the language's
    seen = (matrix > 0).sum(axis=0).A1
    keep = [i for i, n in enumerate(seen) if n >= 2]
    matrix = matrix[:, keep]
    names = [vectorizer.feature_names_[i] for i in keep]
    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    classifier.fit(matrix, targets)
    labels = [str(x) for x in classifier.classes_]
    weights = {}
    for j, name in enumerate(names):
        row = [float(classifier.coef_[k, j]) for k in range(len(labels))]
        if max(abs(w) for w in row) >= _MIN_WEIGHT:
            weights[str(name)] = row
    return ReplyModel(labels=labels, weights=weights,
                      bias=[float(b) for b in classifier.intercept_])


@dataclass(frozen=True)
class Prediction:
    """The whole classifier's answer for one left-out message, before any threshold."""

    example: Example
    intent: str
    confidence: float
    method: str
    risk: float = 0.0


def out_of_writer(examples: Sequence[Example], *, c: float) -> list[Prediction]:
    """Each writer's messages read by a model fitted on the other writers."""
    writers = sorted({ex.writer for ex in examples})
    out: list[Prediction] = []
    for writer in writers:
        model = fit([ex for ex in examples if ex.writer != writer], c=c)
        for ex in examples:
            if ex.writer != writer:
                continue
            raw = ex.path.read_bytes()
            c_ = classify_message(raw, model=model, threshold=0.0).classification
            risk = (model.risk(model.predict(features_of(raw)), c_.intent)
                    if c_.method == "model" else 0.0)
            out.append(Prediction(ex, c_.intent, c_.confidence, c_.method, risk))
        log.info("left out %s: %d messages", writer,
                 sum(1 for ex in examples if ex.writer == writer))
    return out


def choose_risk_limits(predictions: Sequence[Prediction], *,
                       floor: float = DEFAULT_THRESHOLD) -> dict[str, float]:
    """Per predicted intent, a limit just under the risk of every costly error the model made
    above the confidence floor (1.0 — no limit — when it made none)."""
    limits: dict[str, float] = {}
    acted = [p for p in predictions if p.method == "model" and p.confidence >= floor]
    for intent in sorted({p.intent for p in acted}):
        risks = [p.risk for p in acted
                 if p.intent == intent and costly_errors(p.example.label.intent, intent)]
        limits[intent] = round(max(0.0, min(risks) - 1e-4), 4) if risks else 1.0
    return limits


def apply_limits(predictions: Sequence[Prediction], limits: dict[str, float],
                 floor: float = DEFAULT_THRESHOLD) -> list[str]:
    """What the classifier answers with ``limits``: ``unclear`` under the floor or over a
    limit."""
    return ["unclear" if p.method == "model" and (
        p.confidence < floor or p.risk > limits.get(p.intent, 1.0)) else p.intent
        for p in predictions]


def _report(predictions: Sequence[Prediction], answers: Sequence[str]) -> dict[str, Any]:
    gold = [p.example.label.intent for p in predictions]
    report = summary(gold, answers)
    report["by_writer"] = {
        w: summary([g for g, p in zip(gold, predictions, strict=True) if p.example.writer == w],
                   [a for a, p in zip(answers, predictions, strict=True)
                    if p.example.writer == w])
        for w in sorted({p.example.writer for p in predictions})}
    return report


def main(argv: list[str] | None = None) -> int:
    """Choose C and thresholds out of writer, fit on all training writers, report held-out."""
    parser = argparse.ArgumentParser(prog="python -m cadenza.evals.train_model")
    parser.add_argument("corpora", nargs="+", type=Path, help="folders with labels.jsonl")
    parser.add_argument("--holdout", default="", help="writers never trained on (comma list)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--report", type=Path, help="folder for training_report.json")
    parser.add_argument("--c", default="2,8,32", help="regularisation values to try")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    holdout = {w.strip() for w in args.holdout.split(",") if w.strip()}
    examples = load_corpus(args.corpora)
    train = [ex for ex in examples if ex.writer not in holdout]
    test = [ex for ex in examples if ex.writer in holdout]
    if len({ex.writer for ex in train}) < 2:
        log.error("leaving writers out needs at least two training writers; found %s after "
                  "--holdout %s", sorted({ex.writer for ex in train}), sorted(holdout))
        return 1
    tried: dict[str, Any] = {}
    best: tuple[float, float, list[Prediction]] | None = None
    for c in (float(x) for x in args.c.split(",")):
        predictions = out_of_writer(train, c=c)
        figures = summary([p.example.label.intent for p in predictions],
                          apply_limits(predictions, choose_risk_limits(predictions)))
        tried[str(c)] = {k: figures[k] for k in ("accuracy", "macro_f1", "to_person_share")}
        log.info("C=%s out of writer: %s", c, tried[str(c)])
        score = figures["macro_f1"] - figures["to_person_share"]
        if best is None or score > best[0]:
            best = (score, c, predictions)
    assert best is not None
    _, c, predictions = best
    limits = choose_risk_limits(predictions)
    model = fit(train, c=c)
    model.risk_limits = limits
    model.fingerprint = features_fingerprint()
    model.version = hashlib.sha256("".join(sorted(
        f"{ex.writer}/{ex.label.file}" for ex in train)).encode()).hexdigest()[:12]
    save_model(model, args.out)
    load_model.cache_clear()
    report: dict[str, Any] = {
        "command": " ".join(["python -m cadenza.evals.train_model",
                             *(sys.argv[1:] if argv is None else argv)]),
        "fingerprint": model.fingerprint, "c": c, "tried": tried, "risk_limits": limits,
        "train_writers": sorted({ex.writer for ex in train}), "train_n": len(train),
        "features": len(model.weights), "model_bytes": args.out.stat().st_size,
        "out_of_writer": _report(predictions, apply_limits(predictions, limits)),
    }
    if test:
        from cadenza.replies.classify.message import classify_files

        # writer by writer: file names repeat across writers' folders
        by_writer: dict[str, Any] = {}
        for writer in sorted({ex.writer for ex in test}):
            mine = [ex for ex in test if ex.writer == writer]
            lines = {line["file"]: line for line in classify_files(
                [ex.path for ex in mine], model=model)}
            by_writer[writer] = compute_metrics([ex.label for ex in mine], lines)
        report["held_out"] = {w: {k: m[k] for k in (
            "n", "accuracy", "accuracy_ci", "macro_f1", "macro_f1_ci", "missed_opt_out",
            "false_opt_out", "positive_as_negative", "to_person_share")}
            for w, m in by_writer.items()}
    if args.report:
        args.report.mkdir(parents=True, exist_ok=True)
        (args.report / "training_report.json").write_text(json.dumps(report, indent=2) + "\n",
                                                          encoding="utf-8")
    sys.stdout.write(json.dumps({k: v for k, v in report.items() if k != "out_of_writer"},
                                indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
