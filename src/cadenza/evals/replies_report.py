"""The human-readable page of a reply eval: one self-contained HTML file.

This module shapes ``metrics.json`` into what the page shows (formatted figures, the confusion
matrix's cells and colours); the markup is ``evals/templates/replies_report.html``, rendered
with autoescape on (:mod:`cadenza.evals.report_pages`): file names, labels and languages come
from outside, and the page has no external asset and no script, so it opens from a CI
artifact or an email attachment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cadenza.evals.report_pages import render_page


def write_report(metrics: dict[str, Any], path: Path) -> None:
    """Write ``report.html`` for ``metrics`` (as returned by ``compute_metrics``)."""
    path.write_text(render_report(metrics), encoding="utf-8")


def render_report(metrics: dict[str, Any]) -> str:
    """The report page as a string."""
    m = metrics
    columns, confusion = _confusion(m.get("confusion", {}))
    return render_page(
        "replies_report.html",
        folder=str(m.get("folder", "")), labels=str(m.get("labels", "")),
        classifier=str(m.get("classifier", "")),
        cards=[("messages", str(m.get("n", 0))), ("accuracy", _pct(m.get("accuracy", 0.0))),
               ("macro F1", f"{float(m.get('macro_f1', 0.0)):.3f}"),
               ("critical errors", str(len(m.get("critical_errors", []))))],
        intents=[{"intent": intent, "precision": f"{v['precision']:.3f}",
                  "recall": f"{v['recall']:.3f}", "f1": f"{v['f1']:.3f}",
                  "support": int(v["support"])}
                 for intent, v in m.get("per_intent", {}).items()],
        columns=columns, confusion=confusion,
        languages=[{"language": lang, "n": v["n"], "accuracy": _pct(v["accuracy"]),
                    "macro_f1": f"{v['macro_f1']:.3f}"}
                   for lang, v in m.get("per_language", {}).items()],
        fields=[{"name": name, "n": v["n"], "accuracy": _pct(v["accuracy"]),
                 "with_intent": _pct(v.get("accuracy_with_intent", 0.0)),
                 "given_intent": f"{_pct(v.get('accuracy_given_intent', 0.0))} "
                                 f"(of {v.get('intent_right_n', 0)})"}
                for name, v in m.get("field_accuracy", {}).items()],
        critical=[{k: str(e[k]) for k in ("file", "kind", "expected", "predicted")}
                  for e in m.get("critical_errors", [])],
    )


def _confusion(confusion: dict[str, dict[str, int]]
               ) -> tuple[list[str], list[dict[str, Any]]]:
    """The matrix's columns (predictions, in first-seen order) and its rows as heat-map cells:
    green on the diagonal, red off it, darker the larger the row's share."""
    columns: list[str] = []
    for row in confusion.values():
        columns.extend(c for c in row if c not in columns)
    rows = []
    for expected, row in confusion.items():
        total = sum(row.values()) or 1
        cells = []
        for column in columns:
            count = row.get(column, 0)
            cells.append({"column": column, "count": count,
                          "hue": 130 if column == expected else 0,
                          "light": 100 - int(55 * count / total) if count else 100})
        rows.append({"expected": expected, "cells": cells})
    return columns, rows


def _pct(value: object) -> str:
    return f"{100 * float(value):.1f}%"  # type: ignore[arg-type]
