"""`cadenza workspace list | show | set` (#11 item 1): the policy without SQL, validated."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_policy_set_show_and_refusals() -> None:
    assert _invoke("init", "--workspace", "acme")[0] == 0
    shown = json.loads(_invoke("workspace", "show", "acme", "--json")[1])
    assert shown["policy"]["approval"] == {"mode": "first_n", "first_n": 20}
    for key, value in (("approval.mode", "always"), ("hold_countries", "de, at"),
                       ("domain_daily_cap", "5"), ("gdpr_notice", "yes"),
                       ("timezone", "Europe/Berlin")):
        code, out = _invoke("workspace", "set", key, value, "-w", "acme")
        assert code == 0, out
    policy = json.loads(_invoke("workspace", "show", "acme", "--json")[1])["policy"]
    assert policy["approval"]["mode"] == "always"
    assert policy["hold_countries"] == ["DE", "AT"]
    assert (policy["domain_daily_cap"], policy["gdpr_notice"]) == (5, True)
    assert policy["timezone"] == "Europe/Berlin"
    for key, value, says in (("approval.mode", "sometimes", "approval.mode"),
                             ("domain_daily_cap", "0", "domain_daily_cap"),
                             ("domain_daily_cap", "many", "whole number"),
                             ("timezone", "Mars/Olympus", "IANA"),
                             ("nonsense", "1", "unknown key")):
        code, out = _invoke("workspace", "set", key, value, "-w", "acme")
        assert code == 2 and says in out, (key, value, out)
    # the refusals stored nothing
    assert json.loads(_invoke("workspace", "show", "acme", "--json")[1])["policy"] == policy
    listed = json.loads(_invoke("workspace", "list", "--json")[1])
    assert [w["slug"] for w in listed] == ["acme"]
