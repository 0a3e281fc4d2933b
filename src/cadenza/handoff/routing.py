"""Pick the rep for a handoff, and say why.

Order: the account owner (anyone who already owns a prospect at the same company domain keeps
the account), then territory, then language, then a weighted least-loaded rotation among the
reps who are available right now; the workspace's fallback queue when nobody is left. Each
step writes one line of the reason, so a rep or an operator can see which rules were
considered and what each one excluded.

The rotation scores a rep by ``open tickets / weight`` (lowest wins; ties go to the rep whose
latest open ticket is oldest, then to the lowest id). With tickets that stay open this gives a
2:1 split between weights 2 and 1; a rep who closes tickets quickly gets proportionally more,
which is the point of balancing on load. ``capacity`` is a hard cap on open tickets. Both
numbers come from one grouped query over the ``(rep_id, state)`` index, so a decision stays
in single milliseconds with thousands of open tickets.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection

from sqlalchemy import event as sa_event
from sqlalchemy import func
from sqlmodel import Session, col, select

from cadenza.addresses import PERSONAL_WEBMAIL_DOMAINS
from cadenza.errors import NotFoundError
from cadenza.handoff.decision import RoutingDecision, Rule
from cadenza.handoff.notify import Notifier, notify_decision
from cadenza.handoff.rules import RoutingConfig, language_key, routing_for
from cadenza.store.events import record_event
from cadenza.store.models import Handoff, Prospect, Rep, Workspace
from cadenza.timing.working_hours import add_working_minutes

log = logging.getLogger(__name__)

OPEN_STATES = ("new", "accepted", "contacted")
ROUTING_KEY = "_routing"  # Handoff.fields key for routing bookkeeping (tried reps, reassignments)

_REPS_KEY = "cadenza.routing.reps"


def workspace_reps(session: Session, workspace_id: int) -> list[Rep]:
    """The workspace's reps, loaded once per session (a routing pass routes many handoffs in
    one unit of work); any flush that touches a Rep clears the cache, see below."""
    _watch(session)
    cache: dict[int, list[Rep]] = session.info.setdefault(_REPS_KEY, {})
    reps = cache.get(workspace_id)
    if reps is None:
        reps = list(session.exec(select(Rep).where(Rep.workspace_id == workspace_id)
                                 .order_by(col(Rep.id))).all())
        cache[workspace_id] = reps
    return reps


def _forget_reps(session: Session, _context: object, _instances: object) -> None:
    if any(isinstance(o, Rep) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(_REPS_KEY, None)


def _forget_reps_after_transaction(session: Session) -> None:
    session.info.pop(_REPS_KEY, None)


def _watch(session: Session) -> None:
    """Clear the cache on this session's Rep changes and transaction ends. Registered on the
    session that uses the cache, when it first does — not on every Session in the process."""
    if not sa_event.contains(session, "before_flush", _forget_reps):
        sa_event.listen(session, "before_flush", _forget_reps)
        sa_event.listen(session, "after_commit", _forget_reps_after_transaction)
        sa_event.listen(session, "after_rollback", _forget_reps_after_transaction)


def route_handoff(*, session: Session, handoff_id: int, now: dt.datetime,
                  config: RoutingConfig | None = None,
                  exclude: Collection[int] = ()) -> RoutingDecision:
    """Route one handoff and record the decision (``exclude``: reps not to pick again)."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise NotFoundError(f"no handoff {handoff_id}")
    if config is None:
        ws = session.get(Workspace, handoff.workspace_id)
        assert ws is not None
        config = routing_for(ws)
    prospect = session.get(Prospect, handoff.prospect_id)
    reps = workspace_reps(session, handoff.workspace_id)
    rep, rule, lines, owner = _choose(session, config, prospect, reps, set(exclude), now)
    return _apply(session, handoff, prospect, config, rep, rule, lines, owner, now)


def route_pending(*, session: Session, now: dt.datetime, workspace_id: int | None = None,
                  limit: int = 500, notifier: Notifier | None = None,
                  handoff_ids: Collection[int] | None = None) -> list[RoutingDecision]:
    """Route every unrouted ``new`` handoff (or those of ``handoff_ids``), highest priority and
    oldest first.

    ``notifier`` is told about each assignment after the decision is flushed; on PostgreSQL
    concurrent callers skip each other's rows, and a handoff already routed is left alone, so
    the process that created a handoff and the sweep never route it twice.
    """
    query = (select(Handoff.id).where(Handoff.state == "new", col(Handoff.routed_at).is_(None))
             .order_by(col(Handoff.priority).desc(), col(Handoff.created_at), col(Handoff.id))
             .limit(limit).with_for_update(skip_locked=True))
    if workspace_id is not None:
        query = query.where(Handoff.workspace_id == workspace_id)
    if handoff_ids is not None:
        query = query.where(col(Handoff.id).in_(list(handoff_ids)))
    configs: dict[int, RoutingConfig] = {}
    decisions = []
    for hid in session.exec(query).all():
        assert hid is not None
        handoff = session.get(Handoff, hid)
        assert handoff is not None
        if handoff.workspace_id not in configs:
            ws = session.get(Workspace, handoff.workspace_id)
            assert ws is not None
            configs[handoff.workspace_id] = routing_for(ws)
        config = configs[handoff.workspace_id]
        decision = route_handoff(session=session, handoff_id=hid, now=now, config=config)
        decisions.append(decision)
        if notifier is not None:
            notify_decision(session=session, decision=decision, kind="assigned",
                            notifier=notifier, config=config)
    return decisions


def open_load(session: Session, rep_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """``rep_id → (open tickets, id of the newest open ticket)`` in one indexed query."""
    if not rep_ids:
        return {}
    rows = session.exec(
        select(Handoff.rep_id, func.count(), func.max(Handoff.id))
        .where(col(Handoff.rep_id).in_(list(rep_ids)), col(Handoff.state).in_(OPEN_STATES))
        .group_by(col(Handoff.rep_id))).all()
    return {int(r): (int(n), int(m or 0)) for r, n, m in rows if r is not None}


def domain_owner(session: Session, prospect: Prospect) -> int | None:
    """The prospect's owner, else the owner of any prospect at the same company domain.

    Webmail domains are not companies: everyone at gmail.com is not one account.
    """
    if prospect.owner_rep_id is not None:
        return prospect.owner_rep_id
    domain = (prospect.company_domain or "").strip().lower()
    if not domain or domain in PERSONAL_WEBMAIL_DOMAINS:
        return None
    return session.exec(
        select(Prospect.owner_rep_id)
        .where(Prospect.workspace_id == prospect.workspace_id,
               Prospect.company_domain == domain, col(Prospect.owner_rep_id).is_not(None))
        .order_by(col(Prospect.id)).limit(1)).first()


def territory_matches(config: RoutingConfig, territories: list[str], *, country: str,
                      timezone: str) -> str | None:
    """The first of ``territories`` that covers the prospect (country, region, zone prefix)."""
    for t in territories:
        token = t.strip()
        if not token:
            continue
        if "/" in token or token.lower().startswith("tz:"):
            prefix = token[3:] if token.lower().startswith("tz:") else token
            if timezone and timezone.startswith(prefix):
                return token
            continue
        if not country:
            continue
        region = config.countries_of(token)
        if (region is not None and country in region) or token.upper() == country:
            return token
    return None


def _choose(session: Session, config: RoutingConfig, prospect: Prospect | None, reps: list[Rep],
            exclude: set[int], now: dt.datetime
            ) -> tuple[Rep | None, Rule, list[str], Rep | None]:
    by_id = {r.id: r for r in reps}
    lines: list[str] = []
    if exclude:
        lines.append("excluded (already tried): "
                     + ", ".join(by_id[i].email for i in sorted(exclude) if i in by_id))
    owner: Rep | None = None
    if prospect is not None:
        owner_id = domain_owner(session, prospect)
        owner = by_id.get(owner_id) if owner_id is not None else None
        domain = prospect.company_domain or "(no domain)"
        if owner is None:
            lines.append(f"owner: none for {domain}")
        elif not owner.active:
            lines.append(f"owner: {owner.email} owns {domain} but is inactive; routing on")
        elif owner.id in exclude:
            lines.append(f"owner: {owner.email} owns {domain} but was already tried")
        elif owner.away and config.owner_when_away == "route":
            lines.append(f"owner: {owner.email} owns {domain} but is away; routing on")
        else:
            away = " (away, kept: owners keep their accounts)" if owner.away else ""
            lines.append(f"owner: {owner.email} owns {domain}{away}; assigned")
            return owner, "owner", lines, owner

    candidates = [r for r in reps if r.active and r.id not in exclude]
    country = (prospect.country if prospect else "").strip().upper()
    zone = (prospect.timezone if prospect else "").strip()
    if not (country or zone):
        lines.append("territory: prospect has no country or time zone; not applied")
    elif not any(r.territories for r in candidates):
        lines.append("territory: no rep has territories; not applied")
    else:
        where = "/".join(x for x in (country, zone) if x)
        matched = []
        for r in candidates:
            hit = territory_matches(config, r.territories, country=country, timezone=zone)
            if hit:
                matched.append((r, hit))
        if matched:
            candidates = [r for r, _ in matched]
            lines.append(f"territory: {where} matched "
                         + ", ".join(f"{r.email} ({hit})" for r, hit in matched))
        else:
            candidates = [r for r in candidates if not r.territories]
            lines.append(f"territory: no rep covers {where}; generalists: "
                         + (", ".join(r.email for r in candidates) or "none"))

    lang = language_key(prospect.language) if prospect and prospect.language else ""
    if lang and candidates:
        speakers = [r for r in candidates if lang in {language_key(x) for x in r.languages}]
        if speakers:
            candidates = speakers
            lines.append(f"language: {lang} spoken by " + ", ".join(r.email for r in speakers))
        elif config.language_required:
            candidates = []
            lines.append(f"language: nobody left speaks {lang} (required)")
        else:
            lines.append(f"language: nobody left speaks {lang}; not applied")
    elif not lang:
        lines.append("language: prospect language unknown; not applied")

    load = open_load(session, [r.id for r in candidates if r.id is not None])
    available: list[tuple[float, int, int, Rep]] = []
    skipped: list[str] = []
    for r in candidates:
        assert r.id is not None
        n_open, newest = load.get(r.id, (0, 0))
        if r.away:
            skipped.append(f"{r.email} away")
        elif not config.rep_hours(r).contains(now):
            local = now.astimezone(config.rep_hours(r).zone).strftime("%a %H:%M")
            skipped.append(f"{r.email} outside working hours ({local} {r.timezone})")
        elif n_open >= r.capacity:
            skipped.append(f"{r.email} full ({n_open}/{r.capacity})")
        else:
            available.append((n_open / (r.weight or 1.0), newest, r.id, r))
    if skipped:
        lines.append("availability: " + "; ".join(skipped))
    if not available:
        lines.append(f"fallback: nobody available; queue {config.fallback_queue!r}")
        return None, "fallback", lines, owner
    available.sort(key=lambda t: t[:3])
    _score, _, _, chosen = available[0]
    lines.append("round-robin (open/weight): "
                 + ", ".join(f"{r.email} {s:.2f}" for s, _, _, r in available[:5])
                 + f"; chose {chosen.email}")
    return chosen, "round_robin", lines, owner


def _apply(session: Session, handoff: Handoff, prospect: Prospect | None,
           config: RoutingConfig, rep: Rep | None, rule: Rule, lines: list[str],
           owner: Rep | None, now: dt.datetime) -> RoutingDecision:
    hours = config.rep_hours(rep) if rep is not None else config.hours()
    due = add_working_minutes(now, config.sla_minutes, hours)
    if rep is not None and prospect is not None and config.assign_owner \
            and prospect.owner_rep_id is None and rule != "owner":
        prospect.owner_rep_id = rep.id
        session.add(prospect)
        lines.append(f"ownership: {rep.email} now owns {prospect.company_domain or 'the prospect'}")
    cc: tuple[str, ...] = ()
    if config.cc_owner and owner is not None and (rep is None or owner.id != rep.id):
        cc = (owner.email,)
        lines.append(f"cc: account owner {owner.email}")
    reason = "\n".join(lines)
    handoff.rep_id = rep.id if rep is not None else None
    handoff.queue = "rep" if rep is not None else config.fallback_queue
    handoff.route_reason = reason
    handoff.routed_at = now
    handoff.sla_due_at = due
    handoff.escalated_at = None
    session.add(handoff)
    session.flush()
    assert handoff.id is not None
    record_event(session=session, kind="handoff.routed", workspace_id=handoff.workspace_id,
                 subject_type="handoff", subject_id=handoff.id, rule=rule,
                 rep_id=handoff.rep_id, queue=handoff.queue, reason=reason,
                 sla_due_at=due.isoformat(), cc=list(cc))
    log.info("handoff %s routed by %s to %s", handoff.id, rule,
             rep.email if rep is not None else f"queue {handoff.queue}")
    return RoutingDecision(handoff_id=handoff.id, rep_id=handoff.rep_id,
                           rep_email=rep.email if rep is not None else None,
                           queue=handoff.queue, rule=rule, reason=reason, routed_at=now,
                           sla_due_at=due, cc=cc)
