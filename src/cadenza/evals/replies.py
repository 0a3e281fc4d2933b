"""``cadenza eval replies``: score the reply classifier on a labeled folder of ``.eml`` files.

Labels are a public contract (``labels.jsonl``, see docs/formats): any evaluation set plugs in,
extra fields are ignored, and a bad line is reported with file, line and field so the person
fixing the set knows where to look. Metrics are exact-match first; the two errors that cost
the most — a missed opt-out and a positive reply not handed off — are listed one by one, and
every figure is broken down by language and by writer with intervals
(:mod:`cadenza.evals.reply_breakdown`), since a pooled score hides the writers a model never saw.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadenza.errors import InputError
from cadenza.evals.reply_breakdown import breakdown, summary
from cadenza.llm import LLM
from cadenza.replies.classify.intents import LABELED_INTENTS, POSITIVE_INTENTS
from cadenza.replies.classify.message import classify_files
from cadenza.replies.classify.names import name_key

log = logging.getLogger(__name__)

FIELDS = ("return_date", "follow_up_after", "referral_email", "referral_name", "bounce")


@dataclass(frozen=True)
class Label:
    """One line of ``labels.jsonl``."""

    file: str
    intent: str
    language: str
    fields: dict[str, str | None]
    writer: str | None = None


def read_labels(path: Path) -> list[Label]:
    """Parse ``labels.jsonl``; raise :class:`InputError` naming file, line and field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read labels: {exc.strerror or exc}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("labels file is not UTF-8", file=str(path)) from None
    labels: list[Label] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON ({exc.msg})", file=str(path), line=number) from None
        if not isinstance(data, dict):
            raise InputError("each line must be a JSON object", file=str(path), line=number)
        name = data.get("file")
        if not isinstance(name, str) or not name.strip():
            raise InputError("missing or empty", file=str(path), line=number, field="file")
        intent = data.get("intent")
        if intent not in LABELED_INTENTS:
            raise InputError(f"{intent!r} is not one of {', '.join(LABELED_INTENTS)}",
                             file=str(path), line=number, field="intent")
        fields: dict[str, str | None] = {}
        for key in FIELDS:
            if key in data and data[key] is not None:
                if not isinstance(data[key], str):
                    raise InputError("must be a string or null", file=str(path), line=number,
                                     field=key)
                fields[key] = data[key].strip()
        if name in seen:
            log.warning("%s:%d: duplicate label for %s; the last one wins", path, number, name)
        seen.add(name)
        language = data.get("language") or "en"
        writer = data.get("writer")
        if writer is not None and not isinstance(writer, str):
            raise InputError("must be a string or null", file=str(path), line=number,
                             field="writer")
        labels.append(Label(name, str(intent), str(language), fields, writer or None))
    last: dict[str, Label] = {label.file: label for label in labels}
    return list(last.values())


def run_reply_eval(folder: Path, *, labels: Path | None, out: Path,
                   llm: LLM | None) -> dict[str, Any]:
    """Classify every labeled message in ``folder``; write metrics.json and report.html."""
    from cadenza.evals.replies_report import write_report

    labels_path = labels or folder / "labels.jsonl"
    gold = read_labels(labels_path)
    paths = [folder / label.file for label in gold]
    predictions = {line["file"]: line for line in classify_files(paths, llm=llm)}
    metrics = compute_metrics(gold, predictions)
    metrics["folder"] = str(folder)
    metrics["labels"] = str(labels_path)
    metrics["classifier"] = llm.name if llm is not None else "offline"
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    write_report(metrics, out / "report.html")
    return metrics


def compute_metrics(gold: list[Label], predictions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-intent, confusion, per-language, fields and critical errors."""
    pairs: list[tuple[Label, dict[str, Any]]] = []
    for label in gold:
        base = Path(label.file).name
        pred = predictions.get(base, {"intent": "unclear", "error": "no prediction"})
        pairs.append((label, pred))
    expected = [label.intent for label, _ in pairs]
    predicted = [str(pred.get("intent")) for _, pred in pairs]
    classes = [c for c in LABELED_INTENTS if c in expected or c in predicted]
    if "unclear" in predicted:
        classes.append("unclear")
    per_intent = _per_intent(expected, predicted, [c for c in LABELED_INTENTS if c in expected])
    macro = (sum(v["f1"] for v in per_intent.values()) / len(per_intent)) if per_intent else 0.0
    confusion: dict[str, dict[str, int]] = {e: dict.fromkeys(classes, 0)
                                            for e in LABELED_INTENTS if e in expected}
    for e, p in zip(expected, predicted, strict=True):
        confusion[e][p] = confusion[e].get(p, 0) + 1
    by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (label, _), e, p in zip(pairs, expected, predicted, strict=True):
        by_language[label.language].append((e, p))
    per_language = {}
    for lang, items in sorted(by_language.items()):
        exp, pre = [e for e, _ in items], [p for _, p in items]
        sub = _per_intent(exp, pre, sorted(set(exp)))
        per_language[lang] = {
            "n": len(items), "accuracy": _ratio(sum(e == p for e, p in items), len(items)),
            "macro_f1": round(sum(v["f1"] for v in sub.values()) / len(sub), 4) if sub else 0.0,
        }
    languages = [label.language for label, _ in pairs]
    return {
        **{k: v for k, v in summary(expected, predicted).items() if k not in ("n", "accuracy",
                                                                              "macro_f1")},
        "by_language": breakdown(languages, expected, predicted),
        "by_writer": breakdown([label.writer for label, _ in pairs], expected, predicted),
        "n": len(pairs),
        "accuracy": _ratio(sum(e == p for e, p in zip(expected, predicted, strict=True)),
                           len(pairs)),
        "macro_f1": round(macro, 4),
        "per_intent": per_intent,
        "confusion": confusion,
        "per_language": per_language,
        "field_accuracy": _field_accuracy(pairs),
        "critical_errors": list(_critical(pairs)),
        "errors": [{"file": label.file, "expected": label.intent,
                    "predicted": pred.get("intent"), "error": pred.get("error")}
                   for label, pred in pairs if label.intent != pred.get("intent")],
    }


def _per_intent(expected: list[str], predicted: list[str],
                classes: Iterable[str]) -> dict[str, dict[str, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for e, p in zip(expected, predicted, strict=True):
        if e == p:
            tp[e] += 1
        else:
            fp[p] += 1
            fn[e] += 1
    result: dict[str, dict[str, float]] = {}
    for c in classes:
        precision = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        recall = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[c] = {"precision": round(precision, 4), "recall": round(recall, 4),
                     "f1": round(f1, 4), "support": tp[c] + fn[c]}
    return result


def _field_accuracy(pairs: list[tuple[Label, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per field, of the labeled values:

    - ``accuracy``: the share the output carries exactly (a name compared without case,
      accents or the title before it: "Frau Dr. Meier" is "Dr. Meier"; a first name completed
      by the person's own address, "Priya Shah" from priya.shah@…, is right) — what is stored, for
      the policy or, on a reply sent to a person, for their decision;
    - ``accuracy_with_intent``: the share carried right by a reply whose intent was read
      right too — what the classifier acts on by itself;
    - ``accuracy_given_intent``: the share right among the ``intent_right_n`` replies whose
      intent was read right — the field reader on its own.
    """
    result: dict[str, dict[str, Any]] = {}
    for key in FIELDS:
        labeled = [(label, pred) for label, pred in pairs if label.fields.get(key)]
        right = [_same(key, label.fields[key], pred.get(key),
                       addresses=(label.fields.get("referral_email"),
                                  pred.get("referral_email")))
                 for label, pred in labeled]
        intent_right = [ok for (label, pred), ok in zip(labeled, right, strict=True)
                        if pred.get("intent") == label.intent]
        result[key] = {"n": len(labeled), "accuracy": _ratio(sum(right), len(labeled)),
                       "accuracy_with_intent": _ratio(sum(intent_right), len(labeled)),
                       "intent_right_n": len(intent_right),
                       "accuracy_given_intent": _ratio(sum(intent_right), len(intent_right))}
    return result


def _same(key: str, want: str | None, got: object,
          addresses: tuple[object, ...] = ()) -> bool:
    """Whether ``got`` carries the labeled value. A referral's name is also right when it is
    the labeled name completed by words of the referred person's own address: "Priya Shah"
    for a reply that says "inventory is all Priya. priya.shah@loomandleaf.co.uk" names the
    same person, and more usefully for the prospect created from it (writers label the name
    as the text writes it)."""
    if not isinstance(got, str) or want is None:
        return False
    if key == "referral_name":
        have, wanted = name_key(got), name_key(want)
        if have == wanted:
            return True
        extra = have.split()[len(wanted.split()):]
        locals_ = [name_key(a.split("@", 1)[0].replace(".", " ").replace("_", " ")
                            .replace("-", " ")).split()
                   for a in addresses if isinstance(a, str) and "@" in a]
        return bool(extra) and have.startswith(wanted + " ") and any(
            all(w in words for w in extra) for words in locals_)
    return got.strip().lower() == want.lower()


def _critical(pairs: list[tuple[Label, dict[str, Any]]]) -> Iterable[dict[str, Any]]:
    for label, pred in pairs:
        got = str(pred.get("intent"))
        if label.intent == "unsubscribe" and got != "unsubscribe":
            kind = "missed_opt_out"
        elif label.intent in POSITIVE_INTENTS and got not in POSITIVE_INTENTS:
            kind = "missed_handoff"
        else:
            continue
        yield {"file": label.file, "expected": label.intent, "predicted": got, "kind": kind,
               "language": label.language}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
