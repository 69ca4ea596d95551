"""HTML pages of the recurring domain."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from fiscus.web import csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])
