"""The tax pages: the quick calculator and the list of returns by year.

The calculator page posts its fields as they change and gets the result block back
(HTMX); it calls the same service as `POST /api/v1/tax/calculate`. The return form and
the prefill review are in `views_return.py` and `views_prefill.py`, included here so
that `main.py` registers one router for the domain's pages.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.tax import returns_service, service
from fiscus.tax.returns_schemas import ReturnCreate
from fiscus.tax.rules import YEARS
from fiscus.tax.schemas import CalculateRequest
from fiscus.tax.views_common import FormData, current_year, page
from fiscus.tax.views_forms import RESIDENCIES, clean_amount, plain_errors
from fiscus.tax.views_prefill import router as prefill_pages
from fiscus.tax.views_return import router as return_pages
from fiscus.tenancy.permissions import Permission
from fiscus.web import csrf, flash, forms, render
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])
router.include_router(return_pages)
router.include_router(prefill_pages)

_AMOUNTS = ("taxable_income", "salary", "deductions", "spouse_taxable_income")
_MORE = ("business_income", "franking_credits", "tax_withheld", "help_balance")
# The request's error locations, as the calculator form names its inputs.
_FIELD_OF = {"family.spouse_taxable_income": "spouse_taxable_income", "income": "salary"}


def calculator_request(form: dict[str, str]) -> CalculateRequest:
    """The calculator's inputs as the API's request (errors keyed by the form's names)."""
    text = {k: clean_amount(form.get(k, "")) for k in (*_AMOUNTS, *_MORE)}
    if text["taxable_income"] and text["salary"]:
        raise forms.FormInvalid({"taxable_income": "enter either taxable income or a salary"})
    body: dict[str, Any] = {
        "year": form.get("year", ""),
        "residency": form.get("residency", ""),
        "months_resident": form.get("months_resident", "").strip() or "12",
        "private_hospital_cover": form.get("private_hospital_cover") == "1",
        "sapto_eligible": form.get("sapto_eligible") == "1",
        "business_income": text["business_income"] or "0",
        "franking_credits": text["franking_credits"] or "0",
        "tax_withheld": text["tax_withheld"] or "0",
    }
    if form.get("help_debt") == "1":
        body["help_debt"] = text["help_balance"] or True
    if form.get("spouse") == "1" or form.get("dependants", "").strip() not in ("", "0"):
        body["family"] = {
            "spouse": form.get("spouse") == "1",
            "spouse_taxable_income": text["spouse_taxable_income"] or "0",
            "dependants": form.get("dependants", "").strip() or "0",
        }
    if text["salary"]:
        body["income"] = [{"label": "Salary or wages", "amount": text["salary"]}]
        if text["deductions"]:
            body["deductions"] = [{"label": "Deductions", "amount": text["deductions"]}]
    else:
        body["taxable_income"] = text["taxable_income"] or None
    try:
        return CalculateRequest.model_validate(body)
    except ValidationError as exc:
        found = plain_errors(exc)
        errors = {_FIELD_OF.get(k, k.split(".")[0]): v for k, v in found.items()}
        raise forms.FormInvalid(errors) from exc


def _calculator(
    request: Request, session: Session, ctx: TenantContext, values: dict[str, str], block: str
) -> Response:
    result, errors = None, {}
    if values.get("taxable_income") or values.get("salary"):
        try:
            result = service.calculate_tax(calculator_request(values))
        except forms.FormInvalid as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = {exc.field or forms.FORM_LEVEL: exc.detail}
    context = {
        "values": values,
        "errors": errors,
        "result": result,
        "years": service.years(),
        "residencies": RESIDENCIES,
    }
    status = 422 if errors else 200
    return page(request, session, ctx, "tax_calculator.html", context, block=block, status=status)


@router.get("/tax")
def calculator_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    values = {"year": current_year(), "residency": "resident", "months_resident": "12"}
    return _calculator(request, session, ctx, values, "result")


@router.post("/tax/calculate")
def calculate(request: Request, session: DbSession, ctx: PageUser, form: FormData) -> Response:
    ensure(ctx, Permission.DATA_READ)  # a calculation reads and stores nothing
    return _calculator(request, session, ctx, form, "result")


def _returns(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    year = request.query_params.get("year") or None
    if year not in YEARS:
        year = None
    listed, _ = returns_service.list_returns(
        session, ctx, year=year, person=None, offset=0, limit=500
    )
    by_year: dict[str, list[Any]] = {}
    for item in listed:
        by_year.setdefault(item.year, []).append(item)
    context = {
        "by_year": by_year,
        "years": service.years(),
        "values": values or {"year": current_year()},
        "errors": errors or {},
        "year_filter": year or "",
    }
    return page(request, session, ctx, "tax_returns.html", context, block="returns", status=status)


@router.get("/tax/returns")
def returns_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _returns(request, session, ctx)


@router.post("/tax/returns")
def create_return(request: Request, session: DbSession, ctx: PageUser, form: FormData) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    values = {"person": form.get("person", ""), "year": form.get("year", "")}
    try:
        body = forms.parse(
            ReturnCreate, {"year": values["year"], "person": {"name": values["person"]}}
        )
        with forms.domain_errors_as_form(), session.begin_nested():
            row = returns_service.create_return(session, ctx, body)
    except forms.FormInvalid as exc:
        errors = {("person" if k.startswith("person") else k): v for k, v in exc.errors.items()}
        return _returns(request, session, ctx, values=values, errors=errors, status=exc.status)
    flash.push(request, "success", f"Started the {row.year} return of {row.person_name}.")
    return render.redirect(request, f"/tax/returns/{row.id}")
