"""Category templates a new tenant can start from (pure data).

Each entry is (type, name, tax label or None, children). Tax labels are stable keys that
the tax domain maps onto return labels (`ind.*` for an individual's return items and
deductions, `biz.*` for the business and professional items schedule).
"""

from __future__ import annotations

from dataclasses import dataclass

Node = tuple[str, str, str | None, tuple["Node", ...]]


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    description: str
    nodes: tuple[Node, ...]

    def count(self) -> int:
        def size(node: Node) -> int:
            return 1 + sum(size(child) for child in node[3])

        return sum(size(node) for node in self.nodes)


def _leaves(type_: str, *names: str | tuple[str, str]) -> tuple[Node, ...]:
    return tuple(
        (type_, n, None, ()) if isinstance(n, str) else (type_, n[0], n[1], ()) for n in names
    )


HOUSEHOLD = Template(
    key="household",
    name="Personal household",
    description="Everyday income and spending for a person or a family in Australia.",
    nodes=(
        ("income", "Salary and wages", "ind.salary_wages", ()),
        ("income", "Interest", "ind.interest", ()),
        ("income", "Dividends", "ind.dividends", ()),
        ("income", "Government payments", "ind.government_payments", ()),
        ("income", "Other income", None, ()),
        (
            "expense",
            "Housing",
            None,
            _leaves(
                "expense", "Rent", "Mortgage interest", "Rates", "Strata", "Repairs and maintenance"
            ),
        ),
        ("expense", "Food", None, _leaves("expense", "Groceries", "Eating out", "Takeaway")),
        (
            "expense",
            "Utilities",
            None,
            _leaves("expense", "Electricity", "Gas", "Water", "Internet", "Mobile phone"),
        ),
        (
            "expense",
            "Transport",
            None,
            _leaves(
                "expense",
                "Fuel",
                "Public transport",
                "Car registration",
                "Car insurance",
                "Car servicing",
                "Parking and tolls",
            ),
        ),
        (
            "expense",
            "Health",
            None,
            _leaves("expense", "Health insurance", "Doctor and dentist", "Pharmacy"),
        ),
        ("expense", "Personal", None, _leaves("expense", "Clothing", "Hair and beauty", "Fitness")),
        (
            "expense",
            "Entertainment",
            None,
            _leaves("expense", "Subscriptions", "Events", "Hobbies", "Holidays"),
        ),
        ("expense", "Children", None, _leaves("expense", "Childcare", "School fees", "Activities")),
        (
            "expense",
            "Financial",
            None,
            _leaves("expense", "Bank fees", "Interest paid", "Insurance"),
        ),
        (
            "expense",
            "Work-related",
            None,
            _leaves(
                "expense",
                ("Work car expenses", "ind.d1_car"),
                ("Work travel", "ind.d2_travel"),
                ("Work clothing and laundry", "ind.d3_clothing"),
                ("Self-education", "ind.d4_self_education"),
                ("Other work expenses", "ind.d5_other_work"),
            ),
        ),
        ("expense", "Gifts and donations", "ind.d9_gifts", ()),
        ("expense", "Cost of managing tax affairs", "ind.d10_tax_affairs", ()),
    ),
)

SOLE_TRADER = Template(
    key="au_sole_trader",
    name="Australian sole trader / small business",
    description="Business income and expenses laid out like the ATO business schedule.",
    nodes=(
        (
            "income",
            "Sales and services",
            "biz.gross_income",
            _leaves("income", "Sales", "Services", "Other business income"),
        ),
        ("income", "Interest received", "biz.interest", ()),
        ("income", "Government grants", "biz.assessable_government", ()),
        (
            "expense",
            "Cost of sales",
            "biz.cost_of_sales",
            _leaves("expense", "Purchases", "Freight in"),
        ),
        ("expense", "Contractors and subcontractors", "biz.contractors", ()),
        (
            "expense",
            "Wages and super",
            None,
            _leaves("expense", ("Wages", "biz.wages"), ("Superannuation", "biz.super")),
        ),
        ("expense", "Rent", "biz.rent", ()),
        (
            "expense",
            "Motor vehicle",
            "biz.motor_vehicle",
            _leaves("expense", "Fuel", "Registration and insurance", "Repairs"),
        ),
        ("expense", "Depreciation", "biz.depreciation", ()),
        ("expense", "Repairs and maintenance", "biz.repairs", ()),
        ("expense", "Interest expenses", "biz.interest_expenses", ()),
        ("expense", "Bank and merchant fees", "biz.other_expenses", ()),
        (
            "expense",
            "Office and software",
            "biz.other_expenses",
            _leaves("expense", "Software subscriptions", "Stationery", "Phone and internet"),
        ),
        ("expense", "Advertising", "biz.other_expenses", ()),
        ("expense", "Insurance", "biz.other_expenses", ()),
        ("expense", "Accounting and legal", "biz.other_expenses", ()),
    ),
)

TEMPLATES: dict[str, Template] = {t.key: t for t in (HOUSEHOLD, SOLE_TRADER)}
