"""What the tax pages share: the posted form as a dict, money as the pages print it, and
rendering a page or one block of it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.tax.rules import YEARS
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import render, shell


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def dollars(amount: str | None) -> str:
    """`"-1234.5"` -> `"-$1,234.50"`; the decimal string stays exact."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def outcome(refund_or_owed: str) -> str:
    """How the result reads: a refund, an amount owed, or nothing either way."""
    value = Decimal(refund_or_owed)
    if value > 0:
        return f"Refund {dollars(refund_or_owed)}"
    if value < 0:
        return f"Owed {dollars(str(-value))}"
    return "Nothing to pay or refund"


def current_year() -> str:
    """The latest income year that is not provisional (the one most people lodge for)."""
    final = [year for year, rules in YEARS.items() if not rules.provisional]
    return final[-1] if final else next(iter(YEARS))


def page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status: int = 200,
) -> Response:
    """The whole page, or `block` of it when HTMX asks for a part."""
    full = {
        "dollars": dollars,
        "outcome": outcome,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
        **context,
    }
    if block is not None and render.wants_fragment(request):
        return render.render(request, template, full, status_code=status, block=block)
    full.update(shell=shell.load(session, ctx), active="tax")
    return render.render(request, template, full, status_code=status)
