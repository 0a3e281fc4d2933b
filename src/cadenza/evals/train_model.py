"""Train the offline reply model: ``python -m cadenza.evals.train_model [LABELS…] [--out PATH]``.

The split is a hash of the file name (about 70 % train, 30 % test), so it is the same on
every machine and a message never moves between sides when the set grows. The model is fit
on the train side only and the printed report is measured on the held-out side.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cadenza.mailbox.parse import ParseError, parse_message
from cadenza.mailbox.quotes import strip_reply
from cadenza.replies.classify.injections import drop_injections
from cadenza.replies.classify.message import classify_files
from cadenza.replies.classify.model import MODEL_PATH, featurize, load_model, save_model, train

if TYPE_CHECKING:
    from cadenza.evals.replies import Label

log = logging.getLogger(__name__)

DATASET = Path(__file__).resolve().parent / "datasets" / "replies"
TRAIN_SHARE = 70
# Decided from headers and report parts, never from prose; training on DSN text only adds noise.
_STANDARDS_ONLY = frozenset({"bounce"})


def split_of(file_name: str) -> str:
    """``train`` or ``test`` for a message, from a stable hash of its file name."""
    digest = hashlib.sha256(Path(file_name).name.encode("utf-8")).digest()
    return "train" if int.from_bytes(digest[:4], "big") % 100 < TRAIN_SHARE else "test"


def load_labels(paths: list[Path]) -> list[tuple[Path, Label]]:
    """Labels from several files (later files win on duplicate names), with their folders."""
    from cadenza.evals.replies import read_labels

    merged: dict[str, tuple[Path, Label]] = {}
    for path in paths:
        for label in read_labels(path):
            merged[label.file] = (path.parent, label)
    return list(merged.values())


def reply_text(raw: bytes) -> str:
    """The text the classifier sees for a message: its new text, injections removed."""
    parsed = parse_message(raw)
    stripped = strip_reply(parsed.text)
    return drop_injections(stripped.text or parsed.text)[0]


def main(argv: list[str] | None = None) -> int:
    """Train on the train split, save the model, print the held-out report as JSON."""
    parser = argparse.ArgumentParser(prog="python -m cadenza.evals.train_model")
    parser.add_argument("labels", nargs="*", type=Path,
                        help="labels*.jsonl files (default: every labels*.jsonl of the dataset)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--epochs", type=int, default=80)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    label_files = args.labels or _default_label_files()
    items = load_labels(label_files)
    samples, targets = [], []
    for folder, label in items:
        if split_of(label.file) != "train" or label.intent in _STANDARDS_ONLY:
            continue
        try:
            samples.append(featurize(reply_text((folder / label.file).read_bytes())))
        except (OSError, ParseError) as exc:
            log.warning("skipping %s: %s", label.file, exc)
            continue
        targets.append(label.intent)
    if len(set(targets)) < 2:
        log.error("need at least two intents in the train split, found %s", sorted(set(targets)))
        return 1
    model = train(samples, targets, epochs=args.epochs)
    model.version = hashlib.sha256(
        "".join(sorted(label.file for _, label in items)).encode()).hexdigest()[:12]
    save_model(model, args.out)
    load_model.cache_clear()
    size = args.out.stat().st_size
    log.info("trained on %d messages, %d features, %.0f kB -> %s", len(samples),
             len(model.weights), size / 1024, args.out)
    from cadenza.evals.replies import compute_metrics  # evals owns the metric definitions

    test = [(folder, label) for folder, label in items if split_of(label.file) == "test"]
    predictions = {line["file"]: line
                   for line in classify_files([folder / label.file for folder, label in test])}
    metrics = compute_metrics([label for _, label in test], predictions)
    report = {k: metrics[k] for k in ("n", "accuracy", "macro_f1", "per_language",
                                      "field_accuracy", "critical_errors")}
    report["train_n"] = len(samples)
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


def _default_label_files() -> list[Path]:
    merged = DATASET / "labels.jsonl"
    if merged.exists():
        return [merged]
    return sorted(DATASET.glob("labels*.jsonl"))


if __name__ == "__main__":
    raise SystemExit(main())
