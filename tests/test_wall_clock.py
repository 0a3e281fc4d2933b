"""No test reads the wall clock by accident, so the suite passes on any date and weekday.

Two checks over the source: a test module never reads the clock itself (``datetime.now()``,
``date.today()``, ``utcnow``, ``time.time()``) outside ``ALLOWED``, and never calls a product
function that falls back to the wall clock (``now = now or utcnow()`` and the like, found in
``src/cadenza``) without passing that clock. Timestamps the models stamp by themselves
(``created_at`` defaults) are not covered: a test whose result depends on one sets it. And
``scripts/test`` runs the ``calendar`` tests again at shifted dates under libfaketime, which
catches what reading the source cannot (a wall-clock read inside the product, say).
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src" / "cadenza"

#: (test file, enclosing function) -> why reading the wall clock there is right.
ALLOWED: dict[tuple[str, str], str] = {
    ("support/openai_server.py", "_chat_reply"):
        "the OpenAI `created` field: a real server stamps it, nothing reads it",
    ("support/openai_server.py", "_responses_reply"):
        "the OpenAI `created_at` field: a real server stamps it, nothing reads it",
    ("handoff/test_notify.py", "test_webhook_signed_and_retried_on_5xx"):
        "the webhook is signed with the sending moment (time.time()), a freshness stamp that "
        "is checked within 5 minutes of the same clock: no date is involved",
    ("handoff/test_intro.py", "test_workspace_notifier_fans_out_to_the_workspaces_channels"):
        "as above: a webhook signature's freshness, checked against the clock that stamped it",
    ("support/clock.py", "wall_clock"):
        "the one anchor for tests against servers that stamp with the wall clock",
}

_READS = {"now", "utcnow", "today"}  # datetime.now(), datetime.utcnow(), date.today()


def _is_wall_read(node: ast.AST) -> bool:
    """A call or reference that reads the wall clock: ``dt.datetime.now(...)``,
    ``date.today()``, ``time.time()``, ``utcnow()`` or ``utcnow`` passed as a clock."""
    if isinstance(node, ast.Name):
        return node.id == "utcnow"
    if not isinstance(node, ast.Attribute):
        return False
    owner = node.value
    owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    if node.attr in _READS:
        return owner_name in ("datetime", "date", "dt")
    if node.attr in ("time", "time_ns"):
        return owner_name == "time"
    return node.attr == "utcnow"


def _reads_wall(tree: ast.AST) -> bool:
    return any(_is_wall_read(n) for n in ast.walk(tree))


@dataclass(frozen=True)
class Fallback:
    """A product callable whose ``param`` (at ``position`` when passed positionally) defaults
    to the wall clock."""

    where: str
    param: str
    position: int | None


@functools.cache  # the source does not change during a run; both tests read it
def _fallbacks() -> dict[str, list[Fallback]]:
    """Callable name (a class for ``__init__``) -> its wall-clock fallbacks, from the source:
    a default that reads the clock, ``param or <read>``, ``<read> if param is None else ...``,
    or passing ``param`` on to another callable's fallback (``clock=clock``)."""
    found: dict[str, dict[str, Fallback]] = {}
    relays: list[tuple[str, str, Fallback, str, str]] = []  # name, param, its entry, callee, kw
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        owners = {id(f): c.name for c in ast.walk(tree) if isinstance(c, ast.ClassDef)
                  for f in c.body}
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = fn.args
            positional = [a.arg for a in args.posonlyargs + args.args]
            if positional[:1] in (["self"], ["cls"]):
                positional = positional[1:]
            with_default = [a.arg for a in args.args][len(args.args) - len(args.defaults):]
            defaults = dict(zip(with_default, args.defaults, strict=True))
            defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults,
                                                      strict=True) if d is not None})
            name = owners.get(id(fn), fn.name) if fn.name == "__init__" else fn.name

            def entry(param: str, fn: ast.AST = fn, positional: list[str] = positional,
                      path: Path = path) -> Fallback:
                return Fallback(f"{path.relative_to(SRC.parent)}:{getattr(fn, 'lineno', 0)}",
                                param, positional.index(param) if param in positional else None)

            hits = {p for p, d in defaults.items() if _reads_wall(d)}
            for node in ast.walk(fn):
                if (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)
                        and isinstance(node.values[0], ast.Name)
                        and node.values[0].id in defaults
                        and any(_reads_wall(v) for v in node.values[1:])):
                    hits.add(node.values[0].id)
                elif (isinstance(node, ast.IfExp) and isinstance(node.test, ast.Compare)
                      and isinstance(node.test.left, ast.Name)
                      and node.test.left.id in defaults and _reads_wall(node)):
                    hits.add(node.test.left.id)
                elif isinstance(node, ast.Call):
                    relays += [(name, k.value.id, entry(k.value.id), _callee(node), k.arg)
                               for k in node.keywords if isinstance(k.value, ast.Name)
                               and k.arg and k.value.id in defaults]
            for p in hits:
                found.setdefault(name, {})[p] = entry(p)
    changed = True
    while changed:  # a parameter handed on to a fallback is one too
        changed = False
        for name, param, fb, callee, kw in relays:
            if kw in found.get(callee, {}) and param not in found.get(name, {}):
                found.setdefault(name, {})[param] = fb
                changed = True
    return {name: list(by_param.values()) for name, by_param in found.items()}


def _scopes(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """(enclosing function name, node) for every node; module level is ``<module>``."""
    out: list[tuple[str, ast.AST]] = []

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = (child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                     and scope == "<module>" else scope)
            out.append((inner, child))
            visit(child, inner)

    visit(tree, "<module>")
    return out


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def _problems(path: Path, rel: str, fallbacks: dict[str, list[Fallback]]) -> list[str]:
    problems: list[str] = []
    for scope, node in _scopes(ast.parse(path.read_text("utf-8"))):
        if (rel, scope) in ALLOWED:
            continue
        where = f"tests/{rel}:{getattr(node, 'lineno', '?')} ({scope})"
        if _is_wall_read(node) and not isinstance(getattr(node, "ctx", None), ast.Store):
            problems.append(f"{where} reads the wall clock ({ast.unparse(node)}); pass a "
                            "fixed time, or add the place to ALLOWED with the reason")
        if not isinstance(node, ast.Call) or any(k.arg is None for k in node.keywords):
            continue
        given = {k.arg for k in node.keywords}
        for fb in fallbacks.get(_callee(node), []):
            if fb.param in given or (fb.position is not None and len(node.args) > fb.position):
                continue
            problems.append(f"{where} calls {_callee(node)}() without {fb.param}=, which "
                            f"then reads the wall clock ({fb.where})")
    return problems


def test_no_test_reads_the_wall_clock_implicitly() -> None:
    fallbacks = _fallbacks()
    assert "enroll_prospects" in fallbacks and "watch_once" in fallbacks  # the finder works
    problems = [p for path in sorted(TESTS.rglob("*.py"))
                for p in _problems(path, path.relative_to(TESTS).as_posix(), fallbacks)]
    assert not problems, "\n".join(problems)


def test_the_checks_see_a_direct_read_and_an_omitted_clock(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("import datetime as dt\n"
                      "def test_x(s, ws, pb):\n"
                      "    start = dt.datetime.now(dt.UTC)\n"
                      "    enroll_prospects(session=s, workspace=ws, playbook=pb)\n"
                      "    enroll_prospects(session=s, workspace=ws, playbook=pb, now=start)\n")
    found = _problems(sample, "test_sample.py", _fallbacks())
    assert len(found) == 2, found
    assert "reads the wall clock (dt.datetime.now)" in found[0]
    assert "enroll_prospects() without now=" in found[1]
