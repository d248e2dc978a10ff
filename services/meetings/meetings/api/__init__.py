"""meetings' HTTP API, one router per concept (the agency always comes from the token)."""

from fastapi import APIRouter

from meetings.api import (
    agenda,
    calendar,
    case_plans,
    decisions,
    escalations,
    gaps,
    meetings,
    members,
    minutes,
    my_agenda,
    pack,
    plans,
    summary,
)

ROUTERS: tuple[APIRouter, ...] = (
    calendar.router,
    meetings.router,
    members.router,
    agenda.router,
    my_agenda.router,
    decisions.router,
    plans.router,
    case_plans.router,
    pack.router,
    minutes.router,
    gaps.router,
    escalations.router,
    summary.router,
)
