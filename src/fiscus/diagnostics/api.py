"""JSON routes of /api/v1/diagnostics."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/diagnostics", tags=["diagnostics"])
