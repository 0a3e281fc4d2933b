"""Train the sensitive-fact model (:mod:`cadenza.writing.sensitive_model`), measured on writers
it never saw.

``python -m cadenza.evals.train_sensitive corpus/facts --holdout fc [--out MODEL] [--report F]``

Each folder under the corpus is one independent writer's ``facts.jsonl`` (facts labelled
``sensitive`` or ``work``). Held-out writers are never trained on and never used to choose
anything; on the others, each writer in turn is left out, the model is fitted on the rest and
reads the left-out writer's facts. Those out-of-writer probabilities choose the
regularisation and the threshold (:func:`choose_threshold`): the lowest threshold that
screens at most :data:`WORK_BUDGET` of the work facts the word lists let through, and of the
values tried the one with the most sensitive facts caught less the share of best hooks lost.
Features: :func:`cadenza.writing.sensitive_model.fact_features`, each weighing 1/sqrt(n) (tried
without that and with short words, out of writer: recall 0.906 but 8.1 % of the best hooks
lost, against 0.880 and 5.9 %). The figures reported are the word lists alone, the model
alone and both (what the drafter uses), out of writer and on the held-out writers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadenza.errors import InputError
from cadenza.evals.train_model import sklearn_parts
from cadenza.writing.sensitive import sensitive_terms
from cadenza.writing.sensitive_model import (
    MODEL_PATH,
    SensitiveModel,
    fact_features,
    reading_counts,
    reads,
    save_model,
)

#: Of the work facts the word lists let through, the share the model may screen out of
#: writer (each one a usable hook lost).
WORK_BUDGET = 0.04
#: A feature counts only when at least this many writers' facts have it.
#: Weights smaller than this are left out of the shipped file (size; they move no decision).
_MIN_WEIGHT = 0.01
#: The command the shipped model and ``corpus/facts/report.json`` come from (repository root).
#: s19 and s20 were unread when the shipped model was trained (they measured it, blind round
#: r11); training on them too (tried once: out of writer it chose C=2 and caught fewer of the
#: held-out writer's sensitive facts) is a choice for a later session, on its own evidence.
#: s23 and s24 came later (blind rounds); skipped so that the command keeps reproducing it.
TRAIN_COMMAND = ("python -m cadenza.evals.train_sensitive corpus/facts --holdout fc "
                 "--drafts corpus/drafts --skip s19,s20,s21,s22,s23,s24 --c 2,8,32,128 "
                 "--report corpus/facts/report.json")


@dataclass(frozen=True)
class LabelledFact:
    writer: str
    language: str
    text: str
    sensitive: bool
    hook: bool = False  # the fact a draft-corpus writer named the best hook
    kind: str = ""


def load_facts(corpus: Path) -> list[LabelledFact]:
    """Every labelled fact of every writer folder under ``corpus``; a bad line raises
    :class:`InputError` naming the file, line and field."""
    facts: list[LabelledFact] = []
    for path in sorted(corpus.glob("*/facts.jsonl")):
        writer = path.parent.name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON ({exc.msg})", file=str(path),
                                 line=number) from None
            label, text = row.get("label"), row.get("text")
            if label not in ("sensitive", "work"):
                raise InputError("must be 'sensitive' or 'work'", file=str(path), line=number,
                                 field="label")
            if not isinstance(text, str) or not text.strip():
                raise InputError("missing or empty", file=str(path), line=number, field="text")
            facts.append(LabelledFact(writer, str(row.get("language") or "en"), text,
                                      label == "sensitive", kind=str(row.get("kind") or "")))
    return facts


#: Draft-corpus senders written by one writer together (their briefs say so).
_SAME_WRITER = {"s2": "s1-s3", "s3": "s1-s3", "s1": "s1-s3", "s4": "s4-s5", "s5": "s4-s5",
                "s6": "s6-s7", "s7": "s6-s7"}
#: A trap's note that names a sensitive topic ("sensitive: bereavement", "namesake +
#: politics"); other traps (a namesake's job, another company, numbers) say nothing either way.
_SENSITIVE_NOTE = ("sensitive", "politic", "illness", "bereave", "religio", "layoff",
                   "leave", "legal trouble")


def load_draft_facts(drafts: Path, skip: frozenset[str] = frozenset()) -> list[LabelledFact]:
    """The draft corpora's prospect facts as labelled facts: a trap its writer noted as
    sensitive is ``sensitive``, a fact that is no trap at all is ``work`` (it was written to
    be usable), other traps are left out; senders in ``UNREAD`` or ``skip`` are never read.
    Each writer's senders are one writer here, so leaving a writer out leaves all of their
    mail out."""
    unread_file = drafts / "UNREAD"
    unread = set(unread_file.read_text(encoding="utf-8").split()) if unread_file.exists() \
        else set()
    facts: list[LabelledFact] = []
    for notes_path in sorted(drafts.glob("s*/notes.jsonl")):
        sender = notes_path.parent
        if sender.name in unread or sender.name in skip:
            continue
        traps: dict[tuple[str, str], str] = {}
        hooks: set[tuple[str, str]] = set()
        for line in notes_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                note = json.loads(line)
                pid = str(note.get("prospect_id") or note.get("id") or "")
                raw = note.get("traps")
                if not isinstance(raw, dict):
                    traps = {}
                    break  # free-text notes (the first writer's): no labels to read
                traps.update({(pid, str(k)): str(v).lower() for k, v in raw.items()})
                hooks.add((pid, str(note.get("best_hook"))))
        else:
            writer = "drafts-" + _SAME_WRITER.get(sender.name, sender.name)
            for line in (sender / "prospects.jsonl").read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                row = json.loads(line)
                for fact in row.get("facts") or []:
                    text = str(fact.get("text") or "").strip()
                    note = traps.get((str(row["id"]), str(fact.get("id"))))
                    if not text or (note is not None
                                    and not any(w in note for w in _SENSITIVE_NOTE)):
                        continue
                    key = (str(row["id"]), str(fact.get("id")))
                    facts.append(LabelledFact(writer, str(row.get("language") or "en"), text,
                                              note is not None, hook=key in hooks,
                                              kind=str(fact.get("kind") or "")))
    return facts


def fit(facts: Sequence[LabelledFact], *, c: float) -> SensitiveModel:
    """Logistic regression on binary features (scikit-learn, a training-only dependency)."""
    DictVectorizer, LogisticRegression = sklearn_parts()
    # (keeping only features two or three writers share was tried: out of writer it caught
    # fewer sensitive facts, 0.901 and 0.885 against 0.906, for as many work facts screened)
    rows = []
    for f in facts:
        feats = fact_features(f.text)
        rows.append(dict.fromkeys(feats, 1.0 / math.sqrt(len(feats)) if feats else 0.0))
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    classifier = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    classifier.fit(matrix, [f.sensitive for f in facts])
    sign = 1.0 if bool(classifier.classes_[1]) else -1.0
    weights = {str(name): sign * float(w) for name, w in
               zip(vectorizer.feature_names_, classifier.coef_[0], strict=True)
               if abs(float(w)) >= _MIN_WEIGHT}
    return SensitiveModel(weights=weights, bias=sign * float(classifier.intercept_[0]))


def out_of_writer(facts: Sequence[LabelledFact], *, c: float) -> list[tuple[LabelledFact, float]]:
    """Each training writer's facts read by a model fitted on the other writers."""
    out: list[tuple[LabelledFact, float]] = []
    for writer in sorted({f.writer for f in facts}):
        model = fit([f for f in facts if f.writer != writer], c=c)
        out.extend((f, model.probability(f.text)) for f in facts if f.writer == writer)
    return out


def choose_threshold(readings: Sequence[tuple[LabelledFact, float]]) -> float:
    """The lowest threshold (of 0.30, 0.35, … 0.95; else 1.0, never) at which the model screens
    at most :data:`WORK_BUDGET` of the work facts the word lists let through: every sensitive fact
    it catches beyond the lists is a hook that should never be written, every work fact it
    screens is a good hook lost."""
    # as the product decides: under SURE only a fact told in the first person counts
    work = [p if reads(f.kind, f.text) and reading_counts(f.text, p) else 0.0
            for f, p in readings if not f.sensitive and not sensitive_terms(f.text)]
    for step in range(6, 20):
        threshold = step / 20
        if not work or sum(p >= threshold for p in work) / len(work) <= WORK_BUDGET:
            return threshold
    return 1.0  # no threshold keeps to the budget: the model never screens


def figures(readings: Sequence[tuple[LabelledFact, float]], threshold: float) -> dict[str, Any]:
    """Recall on sensitive facts and the share of work facts screened: lists, model, both."""
    def rates(says: Sequence[bool]) -> dict[str, float]:
        sens = [s for (f, _), s in zip(readings, says, strict=True) if f.sensitive]
        work = [s for (f, _), s in zip(readings, says, strict=True) if not f.sensitive]
        return {"recall": round(sum(sens) / len(sens), 4) if sens else 0.0,
                "work_screened": round(sum(work) / len(work), 4) if work else 0.0}
    lists = [bool(sensitive_terms(f.text)) for f, _ in readings]
    model = [reads(f.kind, f.text) and SensitiveModel(threshold=threshold).screens(f.text, p)
             for f, p in readings]
    both = [a or b for a, b in zip(lists, model, strict=True)]
    out: dict[str, Any] = {"n": len(readings), "sensitive": sum(f.sensitive for f, _ in readings),
                           "lists": rates(lists), "model": rates(model), "both": rates(both)}
    hooks = [s for (f, _), s in zip(readings, both, strict=True) if f.hook and not f.sensitive]
    if hooks:  # the best hooks the draft corpora's writers named, screened: hooks lost
        out["best_hooks"] = len(hooks)
        out["best_hooks_screened"] = round(sum(hooks) / len(hooks), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cadenza.evals.train_sensitive")
    parser.add_argument("corpus", type=Path, help="folder of writer folders with facts.jsonl")
    parser.add_argument("--holdout", default="", help="writers never trained on (comma list)")
    parser.add_argument("--c", default="2,8,32", help="regularisation values to try")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--drafts", type=Path,
                        help="also train on the draft corpora's labelled prospect facts here")
    parser.add_argument("--skip", default="", help="draft-corpus senders not to read (comma list)")
    args = parser.parse_args(argv)
    holdout = {w.strip() for w in args.holdout.split(",") if w.strip()}
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())
    facts = load_facts(args.corpus) + (load_draft_facts(args.drafts, skip) if args.drafts
                                       else [])
    train = [f for f in facts if f.writer not in holdout]
    test = [f for f in facts if f.writer in holdout]
    if len({f.writer for f in train}) < 2:
        sys.stderr.write("leaving writers out needs at least two training writers\n")
        return 1
    tried: dict[str, Any] = {}
    best: tuple[float, float, float, list[tuple[LabelledFact, float]]] | None = None
    for c in (float(x) for x in args.c.split(",")):
        readings = out_of_writer(train, c=c)
        threshold = choose_threshold(readings)
        result = figures(readings, threshold)
        tried[str(c)] = {"threshold": threshold, **result}
        # within the same budget of work facts screened: the more sensitive facts caught and
        # the fewer of the best hooks the draft corpora's writers named lost, the better
        score = result["both"]["recall"] - result.get("best_hooks_screened", 0.0)
        if best is None or score > best[0]:
            best = (score, c, threshold, readings)
    assert best is not None
    _, c, threshold, readings = best
    model = fit(train, c=c)
    model.threshold = threshold
    model.version = hashlib.sha256("".join(sorted(
        f"{f.writer}/{f.text}" for f in train)).encode()).hexdigest()[:12]
    save_model(model, args.out)
    report = {"command": " ".join(["python -m cadenza.evals.train_sensitive",
                                   *(sys.argv[1:] if argv is None else argv)]),
              "training_writers": sorted({f.writer for f in train}),
              "holdout_writers": sorted(holdout), "c": c, "threshold": threshold,
              "tried": tried, "out_of_writer": figures(readings, threshold),
              "out_of_writer_by_writer": {
                  w: figures([r for r in readings if r[0].writer == w], threshold)
                  for w in sorted({f.writer for f in train})},
              "holdout": {w: figures([(f, model.probability(f.text)) for f in test
                                      if f.writer == w], threshold) for w in sorted(holdout)},
              "weights": len(model.weights)}
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
