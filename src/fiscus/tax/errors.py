"""Domain errors of the tax calculators."""

from __future__ import annotations

from fiscus.core.errors import Conflict, InvalidInput, NotFound


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


class ReturnNotFound(NotFound):
    """The tax return does not exist."""

    code = "tax_return_not_found"


class ReturnExists(Conflict):
    """This person already has a return for this income year; amend it instead."""

    code = "tax_return_exists"


class ReturnLodged(Conflict):
    """A lodged return cannot be changed; amend it to make a new version."""

    code = "tax_return_lodged"


class ReturnStatusConflict(Conflict):
    """The return is not in a status that allows this."""

    code = "tax_return_status"


class RetentionRunning(Conflict):
    """A lodged return is kept until its retention period ends."""

    code = "tax_return_retained"


class NotAmended(Conflict):
    """This version has no earlier version to compare with."""

    code = "tax_return_not_amended"


class NotAMember(InvalidInput):
    """The person's user_id must be a member of this tenant."""

    code = "tax_person_not_member"
