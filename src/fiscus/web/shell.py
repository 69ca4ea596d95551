"""What the layout around every signed-in page needs: the user, their tenants, the current one.

Loaded through the users and tenancy services, once per page, so the navigation (tenant
switcher, user menu) always reflects current memberships and roles, not the token's.
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.tenancy import service as tenancy_service
from fiscus.users import service as users_service
from fiscus.users.models import User
from fiscus.web.page_auth import LoginRequired

TENANT_KINDS = {
    "personal": "Personal",
    "business": "Business",
    "practice": "Accounting practice",
}
COMMON_CURRENCIES = ("AUD", "NZD", "USD", "EUR", "GBP", "CAD", "SGD", "HKD", "JPY", "CHF")


@dataclass(frozen=True, slots=True)
class Shell:
    user: User
    tenants: list[tenancy_service.Access]
    current: tenancy_service.Access

    @property
    def initials(self) -> str:
        letters = [part[0] for part in self.user.name.split() if part][:2]
        return "".join(letters).upper() or self.user.email[:1].upper()


def load(session: Session, ctx: TenantContext) -> Shell:
    if ctx.user_id is None:
        raise LoginRequired()
    user = users_service.get_user(session, ctx.user_id)
    tenants = tenancy_service.tenants_of(session, ctx.user_id)
    current = next((a for a in tenants if a.tenant.id == ctx.tenant_id), None)
    if current is None:  # membership removed since the token was issued
        raise LoginRequired()
    return Shell(user=user, tenants=tenants, current=current)


@lru_cache(maxsize=1)
def timezones() -> tuple[str, ...]:
    """IANA zones offered by the tenant form (the schema accepts exactly these)."""
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z))


def fiscal_year_label(mm_dd: str) -> str:
    """'07-01' as '1 July', the way people say it."""
    month, day = (int(part) for part in mm_dd.split("-"))
    return f"{day} {calendar.month_name[month]}"
