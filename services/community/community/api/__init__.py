"""community's HTTP routers, in the order their sections appear in the OpenAPI document."""

from fastapi import APIRouter

from community.api import (
    concerns,
    councils,
    districts,
    programs,
    resources,
    watch_grid,
    watch_visits,
)

ROUTERS: list[APIRouter] = [
    districts.router,
    watch_grid.router,  # before the /{校区}/{month} routes
    watch_visits.router,
    councils.router,
    concerns.router,
    resources.router,
    programs.router,
]
