"""JSON routes of /api/v1/imports."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
