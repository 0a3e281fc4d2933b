"""``report.html`` of ``cadenza eval drafts``: the page a person reads instead of scores.json.

This module shapes ``scores.json`` into what the page shows (cards, chart geometry, table rows);
the markup is ``evals/templates/draft_report.html``, rendered with autoescape on
(:mod:`cadenza.evals.report_pages`). Every value that came from a prospect, a draft or a judge
is hostile until proven otherwise: the template escapes it, wraps it in ``<bdi>`` so a
right-to-left override cannot reorder the page around it, and shows invisible control
characters as ``[U+202E]``. ``data-testid`` attributes let a browser test find things.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from cadenza.evals.report_pages import environment, render_page

#: Pass-rate metrics drawn as a bar chart by step, in this order.
CHART_METRICS: tuple[str, ...] = (
    "bridge", "pasted_fact", "shared_text", "self_repeat", "verbless", "unclosed_quotes",
    "register_mix", "subject_tone", "grounding", "personalization", "cta", "footer",
    "spam_words", "language", "subject", "words", "reading", "injection_canary",
    "unresolved_variables", "channel_limit",
)
#: Pass-rate metrics in the per-step table, when the run has them.
STEP_METRICS: tuple[str, ...] = ("bridge", "pasted_fact", "shared_text", "self_repeat",
                                 "verbless", "grounding", "cta", "language")
#: What each reader measure means, for the headline.
READER_LABELS: dict[str, str] = {
    "bridge": "connect fact and product", "pasted_fact": "fact not pasted",
    "shared_text": "text not shared by many", "self_repeat": "no sentence twice per prospect",
    "verbless": "every sentence has a verb", "unclosed_quotes": "quotes closed",
    "register_mix": "one register", "subject_tone": "subject not a recruiter's",
}
_META = ("dataset", "playbook", "drafter", "judge", "n_prospects", "timestamp",
         "cadenza_version")


def _pct(rate: object) -> str:
    return f"{float(rate) * 100:.0f}%" if isinstance(rate, int | float) else "n/a"


def _cards(scores: dict[str, Any]) -> list[dict[str, str]]:
    h = scores.get("headline", {})
    hard = int(h.get("hard_violations") or 0)
    ground = h.get("grounding_rate")

    def card(testid: str, label: str, value: str, tone: str = "") -> dict[str, str]:
        return {"testid": testid, "label": label, "value": value, "tone": tone}

    cards = [
        card("drafted", "drafted", str(h.get("drafted", 0)), "ok"),
        card("held", "held", str(h.get("held", 0)), "warn" if h.get("held") else ""),
        card("skipped", "skipped", str(h.get("skipped", 0))),
        card("hard-violations", "hard-rule violations", str(hard), "bad" if hard else "ok"),
        card("grounding", "grounding rate", _pct(ground),
             "ok" if ground == 1 else "warn" if ground is not None else ""),
        card("median-words", "median words (email)", str(h.get("median_words") or "n/a")),
        card("cta", "one clear CTA", _pct(h.get("cta_pass_rate"))),
        card("footer", "footer present", _pct(h.get("footer_rate"))),
    ]
    metrics = scores.get("metrics", {})
    for name, label in READER_LABELS.items():
        rate = metrics.get(name, {}).get("rate")
        if rate is not None:
            cards.append(card(f"reader-{name}", label, _pct(rate), _tone(rate)))
    judge = scores.get("judge")
    if judge and judge.get("overall") is not None:
        cards.append(card("judge", "judge average (1–5)", f"{judge['overall']:.2f}"))
    return cards


def _tone(rate: float) -> str:
    return "ok" if rate >= 0.95 else "warn" if rate >= 0.8 else "bad"


def _failed_first(scores: dict[str, Any]) -> list[dict[str, str]]:
    """The headline's first line: what failed, worst first, as the person reads it."""
    out = []
    for row in scores.get("headline", {}).get("failed_first", [])[:6]:
        share = row.get("share")
        out.append({"metric": str(row["metric"]), "failed": str(row["failed"]),
                    "share": _pct(share) if share is not None else ""})
    return out


def chart(title: str, bars: list[tuple[str, float | None]], *, testid: str) -> dict[str, Any]:
    """The geometry of a small SVG bar chart of rates in [0, 1]; ``None`` is drawn "n/a"."""
    width, height, top, bottom, left = 240, 150, 22, 24, 30
    plot_h = height - top - bottom
    slot = (width - left - 8) / max(1, len(bars))
    grid = [{"y": f"{top + plot_h * (1 - frac):.1f}",
             "label_y": f"{top + plot_h * (1 - frac) + 4:.1f}", "label": f"{frac * 100:.0f}%"}
            for frac in (0, 0.5, 1)]
    drawn: list[dict[str, Any]] = []
    for i, (label, rate) in enumerate(bars):
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        bar: dict[str, Any] = {"label": label, "cx": f"{x + w / 2:.1f}", "missing": rate is None}
        if rate is None:
            bar["missing_y"] = top + plot_h - 4
        else:
            bar_h = max(1.0, plot_h * rate)
            bar.update(x=f"{x:.1f}", y=f"{top + plot_h - bar_h:.1f}", w=f"{w:.1f}",
                       h=f"{bar_h:.1f}", exact=f"{rate * 100:.1f}%", value=f"{rate * 100:.0f}",
                       value_y=f"{top + plot_h - bar_h - 3:.1f}",
                       color="#2a9d5b" if rate >= 0.95 else "#e0a100" if rate >= 0.8 else "#d33")
        drawn.append(bar)
    return {"title": title, "testid": testid, "width": width, "height": height, "left": left,
            "grid": grid, "bars": drawn}


def bar_chart(title: str, bars: list[tuple[str, float | None]], *, testid: str) -> Markup:
    """One chart as SVG markup (the report draws the same macro for each metric)."""
    macro = environment().get_template("_bar_chart.html").module.bar_chart  # type: ignore[attr-defined]
    return Markup(macro(chart(title, bars, testid=testid)))


def _charts(scores: dict[str, Any]) -> list[dict[str, Any]]:
    per_step = scores.get("per_step", {})
    charts = []
    for metric in CHART_METRICS:
        bars = [(f"step {s}", per_step[s]["metrics"].get(metric, {}).get("rate"))
                for s in per_step]
        if any(rate is not None for _, rate in bars):
            charts.append(chart(metric, bars, testid=f"chart-{metric}"))
    return charts


def _steps(scores: dict[str, Any], metrics: list[str]) -> list[dict[str, Any]]:
    rows = []
    for step, data in scores.get("per_step", {}).items():
        counts = data.get("counts", {})
        words = data["metrics"].get("words", {}).get("median")
        rows.append({"step": step, "drafted": counts.get("drafted", 0),
                     "held": counts.get("held", 0), "skipped": counts.get("skipped", 0),
                     "words": words if words is not None else "n/a",
                     "rates": [_pct(data["metrics"].get(m, {}).get("rate")) for m in metrics]})
    return rows


def _prospects(scores: dict[str, Any]) -> list[dict[str, Any]]:
    hard = set(scores.get("hard_rules") or [])
    return [{"prospect_id": p["prospect_id"], "status": p["status"],
             "reason": p.get("reason") or "", "words": p.get("words_median") or "",
             "personalization": p.get("personalization") or "",
             "flags": [(f, f in hard) for f in p.get("flags", [])]}
            for p in scores.get("per_prospect", [])]


def _drafts(scores: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for item in scores.get("items", []):
        if item.get("body") is None:
            continue
        judge = item.get("judge") or {}
        out.append({
            "prospect_id": item["prospect_id"], "step": item["step"],
            "channel": item["channel"], "status": item["status"],
            "language": item.get("language") or "", "reason": item.get("reason") or "",
            "problems": item.get("problems") or [], "note": item.get("note") or "",
            "facts": item.get("facts") or [],
            "flags": [n for n, m in item.get("metrics", {}).items() if m.get("passed") is False],
            "subject": item.get("subject"), "body": item["body"],
            "judge_error": judge.get("error") if "error" in judge else None,
            "grades": [] if "error" in judge else list(judge.items()),
        })
    return out


_FILTER_VALUE = re.compile(r"[a-z0-9_-]{1,20}")


def _filters(drafts: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The values each filter offers. The page filters with CSS alone (no script, so nothing
    in a draft can ever run), and a value becomes part of a selector: only plain codes
    ("2", "held", "de") qualify."""
    return {key: sorted({str(d[key]) for d in drafts
                         if _FILTER_VALUE.fullmatch(str(d[key]))}, key=lambda v: (len(v), v))
            for key in ("step", "status", "language")}


def render_draft_report(scores: dict[str, Any]) -> str:
    """The whole page for a ``scores.json`` object (with its ``items``)."""
    meta = scores.get("meta", {})
    metrics = [m for m in STEP_METRICS if m in scores.get("metrics", {})]
    drafts = _drafts(scores)
    return render_page(
        "draft_report.html",
        meta=[(k, meta[k]) for k in _META if meta.get(k) is not None],
        cards=_cards(scores), violations=scores.get("hard_violations") or [],
        charts=_charts(scores), step_metrics=metrics, steps=_steps(scores, metrics),
        expected=scores.get("expected"), prospects=_prospects(scores), drafts=drafts,
        failed_first=_failed_first(scores), repetition=scores.get("repetition") or {},
        filters=_filters(drafts),
    )


def write_draft_report(scores: dict[str, Any], path: Path) -> Path:
    """Write ``report.html`` for ``scores`` to ``path``."""
    path.write_text(render_draft_report(scores), encoding="utf-8")
    return path
