"""The lead's routes: the team's plans awaiting a decision, the decision, the team's audit chains."""

from __future__ import annotations

from fastapi import APIRouter, Request

from fieldapp import protocol
from fieldapp.server.api.auth import Token, lead
from fieldapp.server.api.errors import ERROR_RESPONSES
from fieldapp.server.api.state import server_state
from fieldapp.server.db import utcnow
from fieldapp.server.services import audit_chains
from fieldapp.server.services import plans as server_plans

router = APIRouter(responses=ERROR_RESPONSES)


@router.get(protocol.PATH_TEAM_PLANS, response_model=protocol.PlanList)
def team_plans(request: Request, token: Token, status: str = "pending_approval") -> protocol.PlanList:
    with server_state(request).transaction() as session:
        plans = server_plans.team_plans(session, lead(session, request, token), status or None)
    return protocol.PlanList(plans=plans, server_time=utcnow())


@router.post(protocol.PATH_TEAM_PLAN_DECISION, response_model=protocol.PlanSummary)
def decide_plan(request: Request, token: Token, plan_id: str, body: protocol.PlanDecision) -> protocol.PlanSummary:
    with server_state(request).transaction() as session:
        return server_plans.decide(session, lead(session, request, token), plan_id, body.decision, body.comment)


@router.get(protocol.PATH_TEAM_AUDIT, response_model=protocol.AuditChainList)
def team_audit_chains(request: Request, token: Token) -> protocol.AuditChainList:
    with server_state(request).transaction() as session:
        user = lead(session, request, token)
        chains = audit_chains.chain_statuses(session, team_id=user.team_id, all_teams=user.role == "admin")
    return protocol.AuditChainList(chains=chains, server_time=utcnow())
