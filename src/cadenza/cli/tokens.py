"""API tokens: ``cadenza token`` creates one (printed once), ``token list`` shows them without
their secret, ``token revoke ID`` ends one at once.

Registered on ``app`` in ``cadenza.cli``. ``cadenza token --role …`` with no subcommand keeps
creating a token, as it always has, so scripts written for it keep working.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.table import Table

from cadenza.cli.common import WorkspaceOpt, _database, _errors, console
from cadenza.config import Settings
from cadenza.errors import InputError, NotFoundError

token_app = typer.Typer(help="API tokens: with no subcommand, create one (printed once, only "
                        "its hash is stored); list them; revoke one.")


@token_app.callback(invoke_without_command=True)
def token(ctx: typer.Context,
          role: Annotated[str, typer.Option(help="operator | rep")] = "operator",
          workspace: WorkspaceOpt = "default",
          rep_email: Annotated[str | None, typer.Option(help="The rep, for a rep token.")]
          = None,
          name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
          expires_in_days: Annotated[int | None, typer.Option(
              min=1, max=3650, help="Refuse the token this many days from now (default: "
                                    "it works until revoked).")] = None) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    if ctx.invoked_subcommand is not None:
        return
    from sqlmodel import select

    from cadenza.store.models import Rep, utcnow
    from cadenza.store.tokens import create_token
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if role not in ("operator", "rep"):
            raise InputError("--role must be operator or rep", field="role")
        expires_at = (utcnow() + dt.timedelta(days=expires_in_days)
                      if expires_in_days is not None else None)
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rep_id = None
            if role == "rep":
                rep = session.exec(select(Rep).where(Rep.workspace_id == ws.id,
                                                     Rep.email == (rep_email or ""))).first()
                if rep is None:
                    raise NotFoundError(f"no rep {rep_email!r} in {workspace}: add reps with "
                                        "`cadenza handoff rules FILE` or the API")
                rep_id = rep.id
            clear = create_token(session=session, workspace_id=ws.id or 0, role=role,  # type: ignore[arg-type]
                                 rep_id=rep_id, name=name, expires_at=expires_at)
        print(clear)


@token_app.command("list")
def token_list(workspace: WorkspaceOpt = "default",
               as_json: Annotated[bool, typer.Option(
                   "--json", help="One JSON array, the API's fields (GET /api/tokens).")]
               = False) -> None:
    """List the workspace's tokens, revoked ones included; never their secret."""
    from cadenza.api.schemas import TokenPublic
    from cadenza.store.models import utcnow
    from cadenza.store.tokens import list_tokens
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rows = [TokenPublic.model_validate(r)
                    for r in list_tokens(session=session, workspace_id=ws.id or 0)]
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False))
        return
    now = utcnow()
    table = Table("id", "name", "role", "rep", "created", "expires", "last used", "state",
                  title=f"tokens of {workspace}")
    for r in rows:
        state = ("revoked" if r.revoked else
                 "expired" if r.expires_at is not None and r.expires_at <= now else "active")
        table.add_row(str(r.id), r.name, r.role, str(r.rep_id or "-"), _when(r.created_at),
                      _when(r.expires_at), _when(r.last_used_at), state)
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's id (`token list`).")],
                 workspace: WorkspaceOpt = "default") -> None:
    """Revoke a token at once, with the web sessions opened with it."""
    from cadenza.store.models import utcnow
    from cadenza.store.tokens import revoke_token
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            row = revoke_token(session=session, token_id=token_id, now=utcnow(), by="cli",
                               workspace_id=ws.id)
            if row is None:
                raise NotFoundError(f"no token {token_id} in {workspace}: "
                                    "see `cadenza token list`")
        console.print(f"token {token_id} ({row.name}) revoked")


def _when(at: dt.datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else "-"
