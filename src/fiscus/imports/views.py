"""HTML pages of the imports domain."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from fiscus.imports import views_export
from fiscus.web import csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])
router.include_router(views_export.router)
