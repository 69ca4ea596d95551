"""The categories page: the category tree, create, rename, delete, templates and merge."""

from __future__ import annotations

from fastapi import APIRouter

from fiscus.ledger.views_common import PAGE_DEPENDENCIES

router = APIRouter(include_in_schema=False, dependencies=PAGE_DEPENDENCIES)
