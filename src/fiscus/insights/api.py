"""JSON routes of /api/v1/insights."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/insights", tags=["insights"])
