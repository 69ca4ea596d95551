"""Domain errors of the tax calculators."""

from __future__ import annotations

from fiscus.core.errors import InvalidInput


class IncomeMissing(InvalidInput):
    """Send either taxable_income or itemised income (with deductions), not both or neither."""

    code = "tax_income_missing"


class MethodNotAvailable(InvalidInput):
    """That work-from-home method is not available for this period."""

    code = "tax_wfh_method_not_available"


class PeriodOutsideYear(InvalidInput):
    """The period must lie within the income year, start before it ends."""

    code = "tax_period_outside_year"


class AmountRequired(InvalidInput):
    """This method needs this amount."""

    code = "tax_amount_required"
