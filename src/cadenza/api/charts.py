"""The dashboard's charts, drawn on the server as inline SVG.

No chart library and no script: the pages run under a CSP that allows no inline script and no
remote resource, and a chart people glance at every morning needs none. Colours are SVG
presentation attributes and classes from our own stylesheet (an inline ``style`` attribute
would be refused by the CSP); every text from data is escaped. Each chart carries a ``<title>``
and an ``aria-label`` so a screen reader says what it shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from cadenza.metrics.dashboard import VariantTest
from cadenza.metrics.model import MetricsRow

ACCENT, GOOD, SOFT, GRID, INK, MUTED = ("#2457c5", "#1a7f4b", "#dbe5fb", "#e6e9ee", "#1d2330",
                                       "#5f6b7a")
WIDTH = 760


def _pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def _text(x: float, y: float, body: str, *, anchor: str = "start", size: int = 12,
          fill: str = INK, weight: str = "normal", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}" font-weight="{weight}"{klass}>{escape(body)}</text>')


def _svg(height: float, title: str, body: list[str], test_id: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(title)}" data-testid="{test_id}" '
        f'class="chart" font-family="system-ui, sans-serif"><title>{escape(title)}</title>'
        + "".join(body) + "</svg>")


def nice_span(highest: float, ticks: int = 4) -> float:
    """An axis end above ``highest`` that splits into ``ticks`` round steps (1, 2, 2.5, 5 × 10ⁿ
    of a percent), so the grid reads 0 %, 2 %, 4 %… rather than 0 %, 1.3 %, 2.6 %…"""
    raw = max(highest, 0.0001) * 1.05 / ticks
    scale = 10 ** math.floor(math.log10(raw))
    step = next(m * scale for m in (1, 2, 2.5, 5, 10) if m * scale >= raw)
    return float(step * ticks)


def funnel_chart(steps: Sequence[MetricsRow]) -> Markup:
    """One row per step: the prospects it reached (a bar on one scale for all steps, so the
    funnel's narrowing shows), then its reply rate with the positive part inside (a bar on the
    rates' own scale, so a few percent is still visible), and the drop-off after it."""
    row, top, label_w, reach_w, gap, rate_w = 42, 34, 180, 200, 18, 140
    rate_x = label_w + reach_w + gap
    widest = max((s.touched for s in steps), default=0) or 1
    span = nice_span(max((s.reply_rate or 0 for s in steps), default=0))
    body = [_text(label_w, 16, "prospects reached", fill=MUTED, size=11),
            _text(rate_x, 16, "■ reply rate", fill=ACCENT, size=11),
            _text(rate_x + 84, 16, "■ positive", fill=GOOD, size=11)]
    for i, s in enumerate(steps):
        y = top + i * row
        body.append(_text(label_w - 10, y + 15, s.key, anchor="end", size=12))
        reach = max(1.0, reach_w * s.touched / widest)
        body.append(f'<rect x="{label_w}" y="{y + 2}" width="{reach:.1f}" height="18" rx="3" '
                    f'fill="{SOFT}" class="bar-reached"/>')
        body.append(_text(label_w + 6, y + 15, f"{s.touched:,}", size=11))
        body.append(f'<rect x="{rate_x}" y="{y + 2}" width="{rate_w}" height="18" rx="3" '
                    f'fill="{GRID}"/>')
        for value, colour, cls in ((s.reply_rate, ACCENT, "bar-replied"),
                                   (s.positive_reply_rate, GOOD, "bar-positive")):
            width = rate_w * min(value or 0, span) / span
            body.append(f'<rect x="{rate_x}" y="{y + 2}" width="{width:.1f}" height="18" '
                        f'rx="3" fill="{colour}" class="{cls}"/>')
        body.append(_text(rate_x + rate_w + 10, y + 10,
                          f"{_pct(s.reply_rate)} replied · {_pct(s.positive_reply_rate)} "
                          "positive", size=11))
        after = f"{s.meetings} meetings"
        if s.dropped:
            after += f" · {s.dropped:,} left ({_pct(s.drop_off_rate)})"
        body.append(_text(rate_x + rate_w + 10, y + 24, after, size=10, fill=MUTED))
    if not steps:
        body.append(_text(label_w, top + 18, "No touches in this period yet.", fill=MUTED))
    height = top + max(1, len(steps)) * row
    return _svg(height, "Funnel per step: prospects reached, reply and positive-reply rates",
                body, "funnel-chart")


def variant_chart(test: VariantTest) -> Markup:
    """Each arm's rate as a dot with its 95 % interval as a line, on one axis, the control's
    rate as a dashed reference; the verdict is the page's text beside it."""
    row, top, label_w, axis_w = 34, 34, 220, 330
    span = nice_span(max((a.high for a in test.arms if a.high is not None), default=0.05))
    x0 = label_w

    def x(value: float) -> float:
        return x0 + axis_w * min(value, span) / span

    body = []
    for tick in range(5):
        value = span * tick / 4
        body.append(f'<line x1="{x(value):.1f}" y1="{top - 6}" x2="{x(value):.1f}" '
                    f'y2="{top + len(test.arms) * row}" stroke="{GRID}"/>')
        body.append(_text(x(value), top - 10, _pct(value, 1 if span < 0.04 else 0),
                          anchor="middle", size=10, fill=MUTED))
    control = test.arms[0] if test.arms else None
    if control is not None and control.rate is not None:
        body.append(f'<line x1="{x(control.rate):.1f}" y1="{top - 4}" x2="{x(control.rate):.1f}" '
                    f'y2="{top + len(test.arms) * row}" stroke="{MUTED}" '
                    'stroke-dasharray="4 3"/>')
    for i, arm in enumerate(test.arms):
        y = top + i * row + row / 2
        winner = arm.name == (test.promoted or test.leader)
        colour = GOOD if winner else (ACCENT if not arm.control else INK)
        name = f"{arm.name}{' (control)' if arm.control else ''}"
        body.append(_text(label_w - 10, y - 2, name, anchor="end", size=12,
                          weight="bold" if winner else "normal"))
        body.append(_text(label_w - 10, y + 11, arm.changes, anchor="end", size=10, fill=MUTED))
        if arm.low is not None and arm.high is not None:
            body.append(f'<line x1="{x(arm.low):.1f}" y1="{y:.1f}" x2="{x(arm.high):.1f}" '
                        f'y2="{y:.1f}" stroke="{colour}" stroke-width="3" '
                        'stroke-linecap="round" class="interval"/>')
        if arm.rate is not None:
            body.append(f'<circle cx="{x(arm.rate):.1f}" cy="{y:.1f}" r="6" fill="{colour}" '
                        'stroke="#fff" stroke-width="2" class="rate"/>')
        body.append(_text(label_w + axis_w + 14, y + 4,
                          f"{arm.successes}/{arm.touched} · {_pct(arm.rate)}", size=12))
    height = top + max(1, len(test.arms)) * row + 6
    return _svg(height, f"{test.playbook} step {test.step}: {test.metric.replace('_', ' ')} per "
                        "variant with 95% intervals", body, "variant-chart")


def trend_chart(weeks: Sequence[MetricsRow]) -> Markup:
    """Per week of enrollment: prospects enrolled (bars) and the reply and positive-reply
    rates (lines)."""
    left, right, top, plot_h = 48, 20, 26, 180
    plot_w = WIDTH - left - right
    n = max(1, len(weeks))
    step = plot_w / n
    rates = [w.reply_rate or 0 for w in weeks] + [w.positive_reply_rate or 0 for w in weeks]
    span = nice_span(max(rates, default=0) * 1.1)
    most = max((w.enrolled or 0 for w in weeks), default=0) or 1
    base = top + plot_h

    def y(rate: float) -> float:
        return base - plot_h * rate / span

    body = [_text(left, 14, "━ reply rate", fill=ACCENT, size=11),
            _text(left + 100, 14, "━ positive-reply rate", fill=GOOD, size=11),
            _text(left + 250, 14, "▮ enrolled", fill="#9fb3e0", size=11)]
    for tick in range(5):
        value = span * tick / 4
        body.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{WIDTH - right}" '
                    f'y2="{y(value):.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y(value) + 4, _pct(value, 1 if span < 0.04 else 0),
                          anchor="end", size=10, fill=MUTED))
    for i, w in enumerate(weeks):
        cx = left + step * (i + 0.5)
        h = plot_h * 0.45 * (w.enrolled or 0) / most
        body.append(f'<rect x="{cx - step * 0.3:.1f}" y="{base - h:.1f}" width="{step * 0.6:.1f}" '
                    f'height="{h:.1f}" fill="{SOFT}" class="bar-enrolled"/>')
        body.append(_text(cx, base + 16, w.key[5:] if len(w.key) == 10 else w.key,
                          anchor="middle", size=10, fill=MUTED))
        body.append(_text(cx, base - 4, f"{w.enrolled or 0:,}", anchor="middle", size=9,
                          fill=MUTED))
    for attr, colour in (("reply_rate", ACCENT), ("positive_reply_rate", GOOD)):
        points = [(left + step * (i + 0.5), y(getattr(w, attr) or 0))
                  for i, w in enumerate(weeks)]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                        f'stroke-width="2.5" class="line-{attr}"/>')
        body += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>'
                 for px, py in points]
    if not weeks:
        body.append(_text(left + 10, top + 40, "No enrollments in this period yet.", fill=MUTED))
    return _svg(base + 26, "Trend per week of enrollment: enrolled, reply and positive-reply "
                           "rates", body, "trend-chart")
