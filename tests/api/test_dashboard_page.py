"""The dashboard as an operator sees it, in real headless Chromium against the app on uvicorn:
charts drawn (inline SVG, no script, nothing remote, no CSP complaint), the numbers the
metrics compute, a verdict in words, promotion by one click; screenshots kept as artifacts
(``CADENZA_TEST_ARTIFACTS=DIR`` keeps them after the run)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from api_world import settings_for
from conftest_browser import LiveServer, log_in

from cadenza.api import create_app
from cadenza.bench.history import START, fill_history
from cadenza.metrics.dashboard import dashboard
from cadenza.store import Database
from cadenza.store.results import winners
from cadenza.store.tokens import create_token

from support.browser import png_is_blank

NOW = START + dt.timedelta(weeks=12, days=1)
PERIOD = "since=2026-09-07&until=2026-11-29"


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CADENZA_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_dashboard_draws_the_cadence(page: Any, sqlite_db: Database,
                                         tmp_path: Path) -> None:
    filled = fill_history(sqlite_db, touches=30_000, seed=3)
    with sqlite_db.session() as s:
        token = create_token(session=s, workspace_id=filled.workspace_id, role="operator",
                             name="olivia")
        expected = dashboard(s, workspace_id=filled.workspace_id, since=START,
                             until=START + dt.timedelta(weeks=12))
    complaints: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: complaints.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("request", lambda r: requests.append(r.url))
    settings = settings_for(sqlite_db, tmp_path)
    with LiveServer(create_app(settings, sqlite_db, clock=lambda: NOW)) as server:
        log_in(page, server.url, token)
        page.goto(f"{server.url}/dashboard?{PERIOD}")
        assert page.locator("h1").inner_text().startswith("Dashboard")
        for testid in ("headline", "funnel", "variants", "trend", "steps-table",
                       "funnel-chart", "trend-chart"):
            assert page.get_by_test_id(testid).count() >= 1, testid
        assert page.locator("#enrolled").inner_text() == str(expected.total.enrolled)
        assert page.locator("#reply-rate").inner_text() == \
            f"{(expected.total.reply_rate or 0) * 100:.1f}%"
        assert page.get_by_test_id("variant-chart").count() == len(expected.variants) == 2
        # the funnel has a bar per step, the trend a point per week, the variants intervals
        assert page.locator("[data-testid=funnel-chart] rect.bar-reached").count() == 4
        assert page.locator("[data-testid=trend-chart] rect.bar-enrolled").count() == 12
        assert page.locator("[data-testid=variant-chart] line.interval").count() == 4
        verdicts = page.locator("p.verdict").all_inner_texts()
        assert any(v.startswith("Variant b beats a") for v in verdicts), verdicts
        assert any(v.startswith("Not yet significant") for v in verdicts), verdicts
        assert page.evaluate("() => document.querySelectorAll('script').length") == 0
        box = page.get_by_test_id("funnel-chart").bounding_box()
        assert box is not None and box["width"] > 500 and box["height"] > 120
        folder = _artifacts(tmp_path)
        shot = page.screenshot(full_page=True)
        (folder / "dashboard.png").write_bytes(shot)
        assert not png_is_blank(shot)
        # one click promotes the leader of step 2, and the page says so
        page.locator("#test-ab-first-four-2 button.btn-accept").click()
        page.wait_for_load_state()
        assert "ab-first-four step 2: b promoted" in page.locator(".notice").inner_text()
        assert "by olivia" in page.locator("#test-ab-first-four-2 .promoted").inner_text()
        page.get_by_test_id("variants").screenshot(path=str(folder / "dashboard-variants.png"))
        csv = page.evaluate("async (u) => (await fetch(u)).text()",
                            f"{server.url}/dashboard/step.csv?{PERIOD}")
        assert csv.startswith("dimension,since,until,playbook,key,")
    assert not [c for c in complaints if "Content Security Policy" in c or "Refused" in c], \
        complaints
    assert all(u.startswith(server.url) for u in requests), requests  # nothing remote
    with sqlite_db.session() as s:
        promoted = winners(s, workspace_id=filled.workspace_id)
    assert promoted[("ab-first-four", 2)].variant == "b"
