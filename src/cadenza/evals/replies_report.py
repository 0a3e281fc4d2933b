"""The human-readable page of a reply eval: one self-contained HTML file.

No external assets and no JavaScript, so the page opens from a CI artifact or an email
attachment; every value is escaped because file names and labels come from outside.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d232b}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d5dbe3;padding:.3rem .6rem;text-align:right}
th{background:#f2f5f8}td.l,th.l{text-align:left}
.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d5dbe3;border-radius:6px;padding:.7rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}
.hm td{min-width:2.4rem;text-align:center}
.crit li{margin:.2rem 0}.bad{color:#a40000}
"""


def write_report(metrics: dict[str, Any], path: Path) -> None:
    """Write ``report.html`` for ``metrics`` (as returned by ``compute_metrics``)."""
    path.write_text(render_report(metrics), encoding="utf-8")


def render_report(metrics: dict[str, Any]) -> str:
    """The report page as a string."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Cadenza reply eval</title><style>", _STYLE, "</style></head><body>",
        "<h1>Reply classifier evaluation</h1>",
        f"<p>Folder <code>{escape(str(metrics.get('folder', '')))}</code>, labels "
        f"<code>{escape(str(metrics.get('labels', '')))}</code>, classifier "
        f"<code>{escape(str(metrics.get('classifier', '')))}</code>.</p>",
        _cards(metrics), _per_intent(metrics), _heatmap(metrics), _languages(metrics),
        _fields(metrics), _critical(metrics), "</body></html>",
    ]
    return "".join(parts)


def _cards(m: dict[str, Any]) -> str:
    crit = len(m.get("critical_errors", []))
    items = [("messages", str(m.get("n", 0))), ("accuracy", _pct(m.get("accuracy", 0.0))),
             ("macro F1", f"{float(m.get('macro_f1', 0.0)):.3f}"), ("critical errors", str(crit))]
    cards = "".join(f"<div class='card'>{escape(k)}<b>{escape(v)}</b></div>" for k, v in items)
    return f"<div class='cards'>{cards}</div>"


def _per_intent(m: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td class='l'>{escape(intent)}</td><td>{v['precision']:.3f}</td>"
        f"<td>{v['recall']:.3f}</td><td>{v['f1']:.3f}</td><td>{int(v['support'])}</td></tr>"
        for intent, v in m.get("per_intent", {}).items()
    )
    return ("<h2>Per intent</h2><table><tr><th class='l'>intent</th><th>precision</th>"
            f"<th>recall</th><th>F1</th><th>support</th></tr>{rows}</table>")


def _heatmap(m: dict[str, Any]) -> str:
    confusion: dict[str, dict[str, int]] = m.get("confusion", {})
    columns: list[str] = []
    for row in confusion.values():
        columns.extend(c for c in row if c not in columns)
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for expected, row in confusion.items():
        total = sum(row.values()) or 1
        cells = []
        for column in columns:
            count = row.get(column, 0)
            share = count / total
            hue = 130 if column == expected else 0  # green diagonal, red confusion
            light = 100 - int(55 * share) if count else 100
            cells.append(f"<td style='background:hsl({hue},65%,{light}%)' "
                         f"title='{escape(expected)} → {escape(column)}: {count}'>"
                         f"{count or ''}</td>")
        body.append(f"<tr><th class='l'>{escape(expected)}</th>{''.join(cells)}</tr>")
    return ("<h2>Confusion matrix</h2><p>Rows are the labels, columns the predictions.</p>"
            f"<table class='hm'><tr><th class='l'>label \\ predicted</th>{head}</tr>"
            f"{''.join(body)}</table>")


def _languages(m: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td class='l'>{escape(lang)}</td><td>{v['n']}</td><td>{_pct(v['accuracy'])}</td>"
        f"<td>{v['macro_f1']:.3f}</td></tr>"
        for lang, v in m.get("per_language", {}).items()
    )
    return ("<h2>Per language</h2><table><tr><th class='l'>language</th><th>n</th>"
            f"<th>accuracy</th><th>macro F1</th></tr>{rows}</table>")


def _fields(m: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td class='l'>{escape(name)}</td><td>{v['n']}</td><td>{_pct(v['accuracy'])}</td></tr>"
        for name, v in m.get("field_accuracy", {}).items()
    )
    return ("<h2>Extracted fields</h2><table><tr><th class='l'>field</th><th>labeled</th>"
            f"<th>accuracy</th></tr>{rows}</table>")


def _critical(m: dict[str, Any]) -> str:
    errors = m.get("critical_errors", [])
    if not errors:
        return "<h2>Critical errors</h2><p>None.</p>"
    items = "".join(
        f"<li class='bad'><code>{escape(str(e['file']))}</code>: {escape(str(e['kind']))} — "
        f"labeled {escape(str(e['expected']))}, predicted {escape(str(e['predicted']))}</li>"
        for e in errors
    )
    return f"<h2>Critical errors ({len(errors)})</h2><ul class='crit'>{items}</ul>"


def _pct(value: object) -> str:
    return f"{100 * float(value):.1f}%"  # type: ignore[arg-type]
