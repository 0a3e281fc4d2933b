"""The operator's settings and cadence controls over the API: the workspace policy, the
mailboxes (added, read, changed), enrolling prospects and stopping an enrollment.

The same validation as the CLI (``cadenza workspace set``, ``cadenza mailbox update``): the
policy is checked by the model the agent reads it with before it is stored, and a mailbox keeps
secret references only. Every change is an event naming who made it.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from cadenza.agent.policy import WorkspacePolicy, change_policy, workspace_policy
from cadenza.api import views
from cadenza.api.admin_schemas import (
    EnrollIn,
    EnrollResult,
    EnrollSkipped,
    MailboxPatch,
    MailboxPublic,
    PolicyPatch,
    StopIn,
    StopResult,
)
from cadenza.api.auth import Operator
from cadenza.api.invalid import from_input_error
from cadenza.api.routes_records import ERRORS, NOT_FOUND, DbDep
from cadenza.api.schemas import IdPath, Problem
from cadenza.api.unsubscribe import NowDep, SettingsDep
from cadenza.errors import ConflictError, InputError
from cadenza.mailbox.accounts import MailboxCreate, create_mailbox
from cadenza.store.events import record_event
from cadenza.store.models import Mailbox, Workspace

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/policy", tags=["settings"], response_model=WorkspacePolicy)
def get_policy(p: Operator, db: DbDep) -> WorkspacePolicy:
    """The workspace's policy, every key with its value (defaults included)."""
    with db.session() as s:
        ws = s.get(Workspace, p.workspace_id)
        assert ws is not None
        return workspace_policy(ws.settings)


@router.patch("/policy", tags=["settings"], response_model=WorkspacePolicy)
def patch_policy(data: PolicyPatch, p: Operator, db: DbDep,
                 settings: SettingsDep) -> WorkspacePolicy:
    """Change the keys given; the result is validated as a whole before it is stored (with
    this process's environment: in production `public_base_url` must be a public https
    address, as CADENZA_PUBLIC_BASE_URL must)."""
    with db.session() as s:
        ws = s.get(Workspace, p.workspace_id)
        assert ws is not None
        try:
            return change_policy(s, ws, data.changes(), by=p.actor,
                                 environment=settings.environment)
        except InputError as exc:
            raise from_input_error(exc) from None


@router.get("/mailboxes", tags=["settings"], response_model=list[MailboxPublic])
def list_mailboxes(p: Operator, db: DbDep) -> list[MailboxPublic]:
    """The workspace's mailboxes (secret references, never secrets)."""
    from sqlmodel import col, select

    with db.session() as s:
        rows = s.exec(select(Mailbox).where(Mailbox.workspace_id == p.workspace_id)
                      .order_by(col(Mailbox.id))).all()
        return [MailboxPublic.model_validate(r) for r in rows]


@router.post("/mailboxes", tags=["settings"], response_model=MailboxPublic,
             status_code=status.HTTP_201_CREATED, responses={
                 409: {"model": Problem, "description": "The workspace has this address"}})
def add_mailbox(data: MailboxCreate, p: Operator, db: DbDep) -> MailboxPublic:
    """Add a mailbox, as `cadenza mailbox add` does (the same function): passwords as
    `env:NAME` or `file:/path` references only; an address the workspace has is a 409."""
    with db.session() as s:
        ws = s.get(Workspace, p.workspace_id)
        assert ws is not None
        try:
            box = create_mailbox(session=s, workspace=ws, data=data, by=p.actor)
        except ConflictError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, exc.detail) from None
        return MailboxPublic.model_validate(box)


@router.get("/mailboxes/{mailbox_id}", tags=["settings"], response_model=MailboxPublic,
            responses=NOT_FOUND)
def get_mailbox(mailbox_id: IdPath, p: Operator, db: DbDep) -> MailboxPublic:
    """One mailbox, with when it may send next."""
    with db.session() as s:
        return MailboxPublic.model_validate(views.scoped(s, Mailbox, mailbox_id, p))


@router.patch("/mailboxes/{mailbox_id}", tags=["settings"], response_model=MailboxPublic,
              responses=NOT_FOUND)
def patch_mailbox(mailbox_id: IdPath, data: MailboxPatch, p: Operator, db: DbDep,
                  now: NowDep) -> MailboxPublic:
    """Change the settings given (passwords as references only); ``active`` takes a mailbox
    out of rotation or back."""
    changes = data.model_dump(exclude_none=True)
    with db.session() as s:
        box = views.scoped(s, Mailbox, mailbox_id, p)
        for key, value in changes.items():
            setattr(box, key, value)
        s.add(box)
        record_event(session=s, kind="mailbox.updated", workspace_id=p.workspace_id,
                     subject_type="mailbox", subject_id=box.id, by=p.actor,
                     changed=sorted(changes), at=now.isoformat())
        s.flush()
        return MailboxPublic.model_validate(box)


@router.post("/enrollments", tags=["enrollments"], response_model=EnrollResult,
             responses={404: {"model": Problem, "description": "No such built-in playbook"}})
def enroll(data: EnrollIn, p: Operator, db: DbDep, now: NowDep) -> EnrollResult:
    """Enroll the given prospects in a built-in playbook (`playbook`) or your own
    (`playbook_yaml`, validated by the loader `cadenza playbooks validate` uses: an error is a
    422 naming the line and the field, e.g. `steps.2.channel`); each prospect skipped
    (unknown, suppressed, already in a cadence, no email…) is listed with its reason."""
    from cadenza.agent.enrollment import enroll_prospects
    from cadenza.errors import NotFoundError
    from cadenza.playbooks import load_builtin, parse_playbook

    if data.playbook_yaml is not None:
        try:
            loaded = parse_playbook(data.playbook_yaml, origin="playbook_yaml")
        except InputError as exc:
            raise from_input_error(exc, at=("body", "playbook_yaml")) from None
    else:
        try:
            loaded = load_builtin(data.playbook or "ai-sdr-first-four")
        except NotFoundError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    with db.session() as s:
        ws = s.get(Workspace, p.workspace_id)
        assert ws is not None
        report = enroll_prospects(session=s, workspace=ws, playbook=loaded,
                                  external_ids=list(data.prospect_ids), now=now,
                                  allow_parallel=data.allow_parallel)
        record_event(session=s, kind="enrollment.requested", workspace_id=p.workspace_id,
                     subject_type="workspace", subject_id=p.workspace_id, by=p.actor,
                     playbook=report.playbook, playbook_hash=loaded.content_hash,
                     enrolled=report.enrolled)
    return EnrollResult(playbook=report.playbook, enrolled=report.enrolled,
                        skipped=[EnrollSkipped(prospect_id=label, reason=reason)
                                 for label, reason in report.skipped],
                        warnings=loaded.spec.warnings())


@router.post("/enrollments/{enrollment_id}/stop", tags=["enrollments"],
             response_model=StopResult, responses={
                 **NOT_FOUND, 409: {"model": Problem, "description": "Not running"}})
def stop(enrollment_id: IdPath, p: Operator, db: DbDep, now: NowDep,
         data: StopIn | None = None) -> StopResult:
    """Stop one enrollment now: its unsent touches are cancelled, nothing more goes out."""
    from cadenza.agent.lifecycle import stop_enrollments
    from cadenza.store.models import Enrollment

    reason = data.reason if data else "operator"
    with db.session() as s:
        enrollment = views.scoped(s, Enrollment, enrollment_id, p)
        cancelled: list[int] = []
        if not stop_enrollments(s, prospect_id=enrollment.prospect_id, reason=reason, now=now,
                                source=p.actor, only=[enrollment_id], cancelled_out=cancelled):
            raise HTTPException(status.HTTP_409_CONFLICT,
                                f"enrollment {enrollment_id} is {enrollment.state}, not running")
        return StopResult(enrollment_id=enrollment_id, state="stopped",
                          cancelled_touches=cancelled)
