"""``report.html`` of ``cadenza eval drafts``: the page a person reads instead of scores.json.

One self-contained file (inline CSS and SVG, no script, no external asset) so it can be attached
to a CI run or mailed around and still render. Every value that came from a prospect or a draft
is hostile until proven otherwise: it is HTML-escaped, wrapped in ``<bdi>`` so a right-to-left
override cannot reorder the page around it, and invisible control characters are shown as
``[U+202E]`` so a reviewer sees them. ``data-testid`` attributes let a browser test find things.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

#: Pass-rate metrics drawn as a bar chart by step, in this order.
CHART_METRICS: tuple[str, ...] = (
    "grounding", "personalization", "cta", "footer", "spam_words", "language",
    "subject", "words", "reading", "injection_canary", "unresolved_variables", "channel_limit",
)
_CONTROL_RE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e"
                         "\u2066-\u2069\ufeff]")
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;
color:#1d2330}
header{background:#1d2330;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#b8c0d0;font-size:13px}main{padding:20px 32px;max-width:1200px}
h2{font-size:17px;margin:28px 0 10px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0002}
.card .v{font-size:26px;font-weight:650}
.card .k{font-size:12px;color:#5b6475;text-transform:uppercase}
.card.bad{border-left:5px solid #d33}.card.ok{border-left:5px solid #2a9d5b}
.card.warn{border-left:5px solid #e0a100}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.chart{background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 2px #0002}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px;box-shadow:0 1px 2px #0002}
th,td{padding:6px 8px;border-bottom:1px solid #e6e8ee;text-align:left;vertical-align:top}
th{background:#eef0f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.flag{display:inline-block;background:#fde8e8;color:#a11;border-radius:4px;padding:0 5px;margin:1px;
font-size:12px}.hard{background:#a11;color:#fff}
details{background:#fff;border-radius:6px;margin:6px 0;padding:6px 10px;box-shadow:0 1px 2px #0002}
summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace;background:#f3f4f7;padding:8px;
border-radius:4px}.muted{color:#5b6475}
"""


def esc(value: object) -> str:
    """Text safe for HTML: control characters made visible, then escaped, then bidi-isolated."""
    text = "" if value is None else str(value)
    text = _CONTROL_RE.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)
    return f"<bdi>{html.escape(text, quote=True)}</bdi>"


def _pct(rate: object) -> str:
    return f"{float(rate) * 100:.0f}%" if isinstance(rate, int | float) else "n/a"


def _card(testid: str, label: str, value: str, tone: str = "") -> str:
    return (f'<div class="card {tone}" data-testid="card-{testid}"><div class="k">'
            f'{html.escape(label)}</div><div class="v">{html.escape(value)}</div></div>')


def _cards(scores: dict[str, Any]) -> str:
    h = scores.get("headline", {})
    hard = int(h.get("hard_violations") or 0)
    ground = h.get("grounding_rate")
    cards = [
        _card("drafted", "drafted", str(h.get("drafted", 0)), "ok"),
        _card("held", "held", str(h.get("held", 0)), "warn" if h.get("held") else ""),
        _card("skipped", "skipped", str(h.get("skipped", 0))),
        _card("hard-violations", "hard-rule violations", str(hard), "bad" if hard else "ok"),
        _card("grounding", "grounding rate", _pct(ground),
              "ok" if ground == 1 else "warn" if ground is not None else ""),
        _card("median-words", "median words (email)", str(h.get("median_words") or "n/a")),
        _card("cta", "one clear CTA", _pct(h.get("cta_pass_rate"))),
        _card("footer", "footer present", _pct(h.get("footer_rate"))),
    ]
    judge = scores.get("judge")
    if judge and judge.get("overall") is not None:
        cards.append(_card("judge", "judge average (1–5)", f"{judge['overall']:.2f}"))
    return '<section class="cards" data-testid="headline">' + "".join(cards) + "</section>"


def bar_chart(title: str, bars: list[tuple[str, float | None]], *, testid: str) -> str:
    """A small SVG bar chart of rates in [0, 1]; ``None`` is drawn as "n/a"."""
    width, height, top, bottom, left = 240, 150, 22, 24, 30
    plot_h = height - top - bottom
    slot = (width - left - 8) / max(1, len(bars))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(title)}" data-testid="{testid}">',
             f'<text x="4" y="14" font-size="12" font-weight="600">{html.escape(title)}</text>']
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e1e4ea"/><text x="2" y="{y + 4:.1f}" font-size="9" '
                     f'fill="#5b6475">{frac * 100:.0f}%</text>')
    for i, (label, rate) in enumerate(bars):
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        cx = x + w / 2
        parts.append(f'<text x="{cx:.1f}" y="{height - 8}" font-size="10" text-anchor="middle">'
                     f'{html.escape(label)}</text>')
        if rate is None:
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h - 4}" font-size="9" '
                         f'text-anchor="middle" fill="#8a93a5">n/a</text>')
            continue
        bar_h = max(1.0, plot_h * rate)
        color = "#2a9d5b" if rate >= 0.95 else "#e0a100" if rate >= 0.8 else "#d33"
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{w:.1f}" '
                     f'height="{bar_h:.1f}" fill="{color}" rx="2"><title>{html.escape(label)}: '
                     f'{rate * 100:.1f}%</title></rect>')
        parts.append(f'<text x="{cx:.1f}" y="{top + plot_h - bar_h - 3:.1f}" font-size="9" '
                     f'text-anchor="middle">{rate * 100:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(scores: dict[str, Any]) -> str:
    per_step = scores.get("per_step", {})
    charts = []
    for metric in CHART_METRICS:
        bars = [(f"step {s}", per_step[s]["metrics"].get(metric, {}).get("rate"))
                for s in per_step]
        if any(rate is not None for _, rate in bars):
            charts.append(f'<div class="chart">{bar_chart(metric, bars, testid=f"chart-{metric}")}'
                          "</div>")
    return '<section class="charts" data-testid="charts">' + "".join(charts) + "</section>"


def _violations(scores: dict[str, Any]) -> str:
    rows = scores.get("hard_violations") or []
    if not rows:
        return '<p data-testid="hard-violations" class="muted">No hard-rule violations.</p>'
    body = "".join(f"<tr><td>{esc(v['prospect_id'])}</td><td>{esc(v['step'])}</td>"
                   f"<td>{esc(v['channel'])}</td><td>{esc(v['status'])}</td>"
                   f"<td><span class='flag hard'>{esc(v['rule'])}</span></td>"
                   f"<td>{esc(v['detail'])}</td></tr>" for v in rows)
    return ('<table data-testid="hard-violations"><tr><th>prospect</th><th>step</th>'
            "<th>channel</th><th>status</th><th>rule</th><th>detail</th></tr>" + body + "</table>")


def _step_table(scores: dict[str, Any]) -> str:
    metrics = [m for m in ("grounding", "personalization", "cta", "footer", "spam_words",
                           "language", "injection_canary")
               if m in scores.get("metrics", {})]
    head = "".join(f"<th>{html.escape(m)}</th>" for m in metrics)
    rows = []
    for step, data in scores.get("per_step", {}).items():
        counts = data.get("counts", {})
        words = data["metrics"].get("words", {}).get("median")
        cells = "".join(f'<td class="num">{_pct(data["metrics"].get(m, {}).get("rate"))}</td>'
                        for m in metrics)
        rows.append(f"<tr><td>{esc(step)}</td><td class='num'>{counts.get('drafted', 0)}</td>"
                    f"<td class='num'>{counts.get('held', 0)}</td>"
                    f"<td class='num'>{counts.get('skipped', 0)}</td>"
                    f"<td class='num'>{words if words is not None else 'n/a'}</td>{cells}</tr>")
    return ('<table data-testid="per-step-table"><tr><th>step</th><th>drafted</th><th>held</th>'
            f"<th>skipped</th><th>median words</th>{head}</tr>" + "".join(rows) + "</table>")


def _prospect_table(scores: dict[str, Any]) -> str:
    rows = []
    hard = set(scores.get("hard_rules") or [])
    for p in scores.get("per_prospect", []):
        flags = "".join(f"<span class='flag{' hard' if f in hard else ''}'>{esc(f)}</span>"
                        for f in p.get("flags", []))
        rows.append(f"<tr data-testid='prospect-row'><td>{esc(p['prospect_id'])}</td>"
                    f"<td>{esc(p['status'])}</td><td>{esc(p.get('reason') or '')}</td>"
                    f"<td class='num'>{esc(p.get('words_median') or '')}</td>"
                    f"<td>{esc(p.get('personalization') or '')}</td><td>{flags}</td></tr>")
    return ('<table data-testid="per-prospect-table"><tr><th>prospect</th><th>status</th>'
            "<th>reason</th><th>words</th><th>personalization</th><th>flags</th></tr>"
            + "".join(rows) + "</table>")


def _drafts(scores: dict[str, Any]) -> str:
    out = []
    for item in scores.get("items", []):
        if item.get("body") is None:
            continue
        failed = [n for n, m in item.get("metrics", {}).items() if m.get("passed") is False]
        flags = "".join(f"<span class='flag'>{esc(f)}</span>" for f in failed)
        judge = item.get("judge") or {}
        grades = ("" if not judge else f"<p class='muted'>judge error: {esc(judge['error'])}</p>"
                  if "error" in judge else "<ul>" + "".join(
                      f"<li>{esc(c)}: {esc(g['score'])}/5 — {esc(g['reason'])}</li>"
                      for c, g in judge.items()) + "</ul>")
        subject = (f"<p><b>Subject:</b> {esc(item['subject'])}</p>"
                   if item.get("subject") else "")
        out.append(f"<details data-testid='draft'><summary>{esc(item['prospect_id'])} · step "
                   f"{esc(item['step'])} · {esc(item['channel'])} · {esc(item['status'])} "
                   f"{flags}</summary>{subject}<pre>{esc(item['body'])}</pre>{grades}</details>")
    return '<section data-testid="drafts">' + "".join(out) + "</section>"


def render_draft_report(scores: dict[str, Any]) -> str:
    """The whole page for a ``scores.json`` object (with its ``items``)."""
    meta = scores.get("meta", {})
    facts = " · ".join(f"{k}: {esc(meta.get(k))}" for k in
                       ("dataset", "playbook", "drafter", "judge", "n_prospects", "timestamp",
                        "cadenza_version") if meta.get(k) is not None)
    expected = scores.get("expected")
    exp_html = ""
    if expected:
        rows = "".join(f"<tr><td>{esc(m['prospect_id'])}</td><td>{esc(m['step'])}</td>"
                       f"<td>{esc(m['expected'])}</td><td>{esc(m['got'])}</td></tr>"
                       for m in expected.get("mismatches", []))
        exp_html = (f"<h2>Expected outcomes</h2><p data-testid='expected'>{expected['matched']} of "
                    f"{expected['n']} records have the expected status and reason.</p>"
                    + (f"<table><tr><th>prospect</th><th>step</th><th>expected</th><th>got</th>"
                       f"</tr>{rows}</table>" if rows else ""))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>Cadenza draft evaluation</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Draft evaluation</h1><p>{facts}</p></header><main>"
        f"{_cards(scores)}<h2>Hard-rule violations</h2>{_violations(scores)}"
        f"<h2>Pass rates by step</h2>{_charts(scores)}<h2>Per step</h2>{_step_table(scores)}"
        f"{exp_html}<h2>Per prospect</h2>{_prospect_table(scores)}"
        f"<h2>Drafts</h2>{_drafts(scores)}</main></body></html>"
    )


def write_draft_report(scores: dict[str, Any], path: Path) -> Path:
    """Write ``report.html`` for ``scores`` to ``path``."""
    path.write_text(render_draft_report(scores), encoding="utf-8")
    return path
