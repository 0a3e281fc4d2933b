"""the dashboard's rollup: a change log written by triggers, and per-hour partials

Revision ID: m16c_dashboard_rollup
Revises: m17w_workers
Create Date: 2026-12-06 22:00:00

Issue #16: the dashboard over a million touches in under a second. Every change its figures
depend on appends a ``metrics_change`` row in the writer's own transaction (triggers, so no
code path — the prebuilt statements of the delivery hot path included — can forget it), and
:mod:`cadenza.metrics.rollup` folds the cohort days those rows name into ``metrics_partial``.
Existing databases get one "every day" row per workspace: the backfill, folded by the current
code at the first view of the dashboard rather than by a frozen copy of it here (so that view
costs what a recomputation costs, once). ``ix_reply_touch`` lets a short period (an edge hour,
a few dirty days) read only the replies of its own touches.
The trigger SQL is written out here, not imported, so this revision stays what it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm16c_dashboard_rollup'
down_revision = 'm17w_workers'
branch_labels = None
depends_on = None

#: per table: the columns whose change may move a figure, and what a change names — one or more
#: (columns of metrics_change -> expressions over the row ``X``, an optional FROM and WHERE)
Ref = tuple[dict[str, str], str, str]
TRACKED: dict[str, tuple[list[str], list[Ref]]] = {
    "enrollment": (["workspace_id", "prospect_id", "playbook_id", "state", "started_at"], [
        ({"workspace_id": "X.workspace_id", "prospect_id": "X.prospect_id",
          "enrollment_id": "X.id", "playbook_id": "X.playbook_id", "day": "DAY(X.started_at)"},
         "", "")]),
    "touch": (["workspace_id", "prospect_id", "enrollment_id", "step", "attempt", "variant",
               "channel", "state", "reason", "sent_at"], [
        ({"workspace_id": "X.workspace_id", "prospect_id": "X.prospect_id",
          "enrollment_id": "X.enrollment_id", "touch_id": "X.id"}, "", "")]),
    "reply": (["workspace_id", "prospect_id", "touch_id", "state", "intent", "received_at"], [
        ({"workspace_id": "X.workspace_id", "prospect_id": "X.prospect_id",
          "touch_id": "X.touch_id"}, "", "")]),
    "outcome": (["workspace_id", "prospect_id", "touch_id", "kind", "amount", "recorded_at"], [
        ({"workspace_id": "X.workspace_id", "prospect_id": "X.prospect_id",
          "touch_id": "X.touch_id"}, "", "")]),
    "handoff": (["workspace_id", "prospect_id", "enrollment_id", "reply_id", "created_at",
                 "routed_at", "accepted_at", "contacted_at"], [
        ({"workspace_id": "X.workspace_id", "prospect_id": "X.prospect_id",
          "enrollment_id": "X.enrollment_id"}, "", ""),
        ({"workspace_id": "r.workspace_id", "prospect_id": "r.prospect_id",
          "touch_id": "r.touch_id"}, "reply r", "r.id = X.reply_id")]),
    "playbook": (["workspace_id", "name", "definition"], [
        ({"workspace_id": "X.workspace_id", "playbook_id": "X.id"}, "", "")]),
}
#: opt-out clicks: the append-only event log, inserts of one kind only
CLICK = ({"workspace_id": "X.workspace_id", "touch_id": "X.subject_id"}, "",
         "X.workspace_id IS NOT NULL")
CLICK_WHEN = ("X.kind = 'prospect.unsubscribed' AND X.subject_type = 'touch' "
              "AND X.subject_id IS NOT NULL")


def _insert(ref: Ref, row: str, dialect: str) -> str:
    values, source, where = ref
    day = ("substr({}, 1, 10)" if dialect == "sqlite"
           else "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
    exprs = []
    for expr in values.values():
        expr = expr.replace("X.", f"{row}.")
        if expr.startswith("DAY("):
            expr = day.format(expr[4:-1])
        exprs.append(expr)
    stmt = f"INSERT INTO metrics_change ({', '.join(values)}) SELECT {', '.join(exprs)}"
    if source:
        stmt += f" FROM {source}"
    if where:
        stmt += f" WHERE {where.replace('X.', f'{row}.')}"
    return stmt + ";"


def _moved(refs: list[Ref], dialect: str) -> str:
    """OLD names other rows than NEW (then both are logged)."""
    columns = sorted({e.split(".", 1)[1].rstrip(")") for values, _, where in refs
                      for e in values.values() if e.startswith(("X.", "DAY(X."))}
                     | {"reply_id" for _, _, where in refs if "X.reply_id" in where})
    op_ = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"OLD.{c} {op_} NEW.{c}" for c in columns)


def _changed(columns: list[str], dialect: str) -> str:
    if dialect == "sqlite":
        return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    cast = {"definition": "::text"}  # json has no equality operator
    return " OR ".join(f"OLD.{c}{cast.get(c, '')} IS DISTINCT FROM NEW.{c}{cast.get(c, '')}"
                       for c in columns)


def _sqlite(table: str, columns: list[str], refs: list[Ref]) -> list[str]:
    new = " ".join(_insert(r, "NEW", "sqlite") for r in refs)
    old = " ".join(_insert(r, "OLD", "sqlite") for r in refs)
    moved = " ".join(_insert((v, s, f"({w}) AND ({_moved(refs, 'sqlite')})" if w
                              else _moved(refs, "sqlite")), "OLD", "sqlite")
                     for v, s, w in refs)
    name = f"metrics_log_{table}"
    return [f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} BEGIN {new} END",
            f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} "
            f"WHEN {_changed(columns, 'sqlite')} BEGIN {new} {moved} END",
            f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} BEGIN {old} END"]


def _postgres(table: str, columns: list[str], refs: list[Ref]) -> list[str]:
    name = f"metrics_log_{table}"
    new = " ".join(_insert(r, "NEW", "postgresql") for r in refs)
    old = " ".join(_insert(r, "OLD", "postgresql") for r in refs)
    body = (f"BEGIN IF TG_OP <> 'DELETE' THEN {new} END IF; "
            f"IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ({_moved(refs, 'postgresql')})) "
            f"THEN {old} END IF; RETURN NULL; END;")
    return [f"CREATE FUNCTION cadenza_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"{body} $$",
            f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({_changed(columns, 'postgresql')}) EXECUTE FUNCTION cadenza_{name}()",
            f"CREATE TRIGGER {name}_insdel AFTER INSERT OR DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION cadenza_{name}()"]


def _click(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER metrics_log_event_ins AFTER INSERT ON event "
                f"WHEN {CLICK_WHEN.replace('X.', 'NEW.')} "
                f"BEGIN {_insert(CLICK, 'NEW', dialect)} END"]
    return ["CREATE FUNCTION cadenza_metrics_log_event() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {_insert(CLICK, 'NEW', dialect)} RETURN NULL; END; $$",
            "CREATE TRIGGER metrics_log_event_ins AFTER INSERT ON event FOR EACH ROW "
            f"WHEN ({CLICK_WHEN.replace('X.', 'NEW.')}) "
            "EXECUTE FUNCTION cadenza_metrics_log_event()"]


def trigger_sql(dialect: str) -> list[str]:
    """Every statement that creates the change log's triggers on ``dialect``."""
    out = []
    for table, (columns, refs) in TRACKED.items():
        out += (_sqlite if dialect == "sqlite" else _postgres)(table, columns, refs)
    return out + _click(dialect)


def upgrade() -> None:
    op.create_table(
        'metrics_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('prospect_id', sa.Integer(), nullable=True),
        sa.Column('enrollment_id', sa.Integer(), nullable=True),
        sa.Column('touch_id', sa.Integer(), nullable=True),
        sa.Column('playbook_id', sa.Integer(), nullable=True),
        sa.Column('day', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_metrics_change_workspace', 'metrics_change', ['workspace_id'])
    op.create_table(
        'metrics_partial',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('hour', sa.String(), nullable=False),
        sa.Column('playbook_id', sa.Integer(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('workspace_id', 'hour', 'playbook_id'))
    # a short period reads the replies of its touches (cadenza.metrics.sql.signals)
    op.create_index('ix_reply_touch', 'reply', ['touch_id'])
    for stmt in trigger_sql(op.get_bind().dialect.name):
        op.execute(stmt)
    # the backfill: every day of every existing workspace is to be folded
    op.execute("INSERT INTO metrics_change (workspace_id) SELECT id FROM workspace")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in [*TRACKED, "event"]:
        name = f"metrics_log_{table}"
        if dialect == "sqlite":
            for suffix in ("ins", "upd", "del"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
        else:
            op.execute(f"DROP FUNCTION IF EXISTS cadenza_{name}() CASCADE")
    op.drop_index('ix_reply_touch', table_name='reply')
    op.drop_table('metrics_partial')
    op.drop_index('ix_metrics_change_workspace', table_name='metrics_change')
    op.drop_table('metrics_change')
