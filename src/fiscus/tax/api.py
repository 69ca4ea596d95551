"""JSON routes of /api/v1/tax: calculators only, nothing of the tenant is read or stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from fiscus.core.context import TenantContext
from fiscus.tax import schemas as s
from fiscus.tax import service
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/tax", tags=["tax"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]


@router.post("/calculate")
def calculate(body: s.CalculateRequest, ctx: Reader) -> s.CalculateResponse:
    return service.calculate_tax(body)


@router.get("/years")
def years(ctx: Reader, paging: Paging) -> Page[s.YearOut]:
    items = service.years()
    start = (paging.page - 1) * paging.limit
    return Page.of(items[start : start + paging.limit], len(items), paging)


class BracketsQuery(s.YearField):
    residency: s.ResidencyName = "resident"


@router.get("/brackets")
def brackets(ctx: Reader, query: Annotated[BracketsQuery, Query()]) -> s.BracketsResponse:
    return service.brackets(query.year, query.residency)


@router.post("/work-from-home")
def work_from_home(body: s.WorkFromHomeRequest, ctx: Reader) -> s.WorkFromHomeResponse:
    return service.work_from_home(body)


@router.post("/estimate")
def estimate(body: s.EstimateRequest, ctx: Reader) -> s.EstimateResponse:
    return service.estimate(body)
