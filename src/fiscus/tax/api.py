"""JSON routes of /api/v1/tax."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/tax", tags=["tax"])
