"""The demo's story as pure data: a seeded, repeatable list of entries over a date range.

A household in Australia with a salaried job and a consulting side business: salary,
rent, groceries, utilities, subscriptions, a credit card paid off monthly, a car loan
(each repayment a three-leg split of principal and interest), savings with interest, and
business income and expenses on a separate account. Amounts are integer cents; accounts
are named by key (`ACCOUNTS`) and categories by their name in the chart.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

# key: (name, type, subtype, opening balance in cents, natural sign)
ACCOUNTS: dict[str, tuple[str, str, str, int]] = {
    "everyday": ("Everyday account", "asset", "checking", 5_500_00),
    "savings": ("Savings account", "asset", "savings", 12_000_00),
    "visa": ("Visa credit card", "liability", "credit_card", 850_00),
    "car_loan": ("Car loan", "liability", "loan", 18_000_00),
    "business": ("Business account", "asset", "checking", 2_500_00),
}
OPENING_EQUITY = "Opening balances"

# Business categories added beside the household template: (type, name, tax label, parent)
BUSINESS_CATEGORIES: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("income", "Consulting income", "biz.gross_income", None),
    ("expense", "Business expenses", None, None),
    ("expense", "Business software", "biz.other_expenses", "Business expenses"),
    ("expense", "Business phone and internet", "biz.other_expenses", "Business expenses"),
    ("expense", "Business motor vehicle", "biz.motor_vehicle", "Business expenses"),
    ("expense", "Accounting fees", "biz.other_expenses", "Business expenses"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One transaction: simple (`kind` income/expense/transfer) or a journal split."""

    on: date
    description: str
    kind: str
    payee: str | None = None
    cents: int = 0
    account: str = ""  # account key: where the money moves
    counter: str = ""  # category name, or account key of a transfer's destination
    tags: tuple[str, ...] = ()
    # journal legs: (account key or category name, signed cents; debit positive)
    legs: tuple[tuple[str, int], ...] = field(default=())


GROCERS = ("Woolworths", "Coles", "Aldi", "IGA")
RESTAURANTS = ("Thai Orchid", "The Local Pub", "Sushi Train", "Nando's", "Grill'd")
SERVOS = ("Ampol", "BP", "Shell", "7-Eleven")
CLIENTS = ("Harbour Analytics", "Blue Gum Software", "Coastal Councils", "Redfern Health")


class _Story:
    def __init__(self, start: date, end: date, seed: int) -> None:
        self.start, self.end = start, end
        self.rng = random.Random(seed)  # noqa: S311 — repeatable demo data, not secrets
        self.visa_owing = ACCOUNTS["visa"][3]
        self.loan_owing = ACCOUNTS["car_loan"][3]
        self.savings = ACCOUNTS["savings"][3]

    def cents(self, low: float, high: float) -> int:
        return self.rng.randint(int(low * 100), int(high * 100))

    def spend(self, on: date, what: str, payee: str, category: str, cents: int, **kw: str) -> Entry:
        account = kw.get("account", "visa")
        if account == "visa":
            self.visa_owing += cents
        tags = tuple(t for t in kw.get("tags", "").split(",") if t)
        return Entry(on, what, "expense", payee, cents, account, category, tags)

    def day(self, on: date) -> Iterator[Entry]:
        for part in (self._income, self._spending, self._bills, self._finance, self._business):
            yield from part(on)

    def _income(self, on: date) -> Iterator[Entry]:
        d, wd = on.day, on.weekday()
        years_in = (on - self.start).days // 365
        if wd == 3 and (on - self.start).days % 14 < 7:
            pay = round(3_245_60 * (1.03**years_in))
            yield Entry(
                on,
                "Salary",
                "income",
                "Acme Logistics Pty Ltd",
                pay,
                "everyday",
                "Salary and wages",
            )
        if d == 1:
            yield self.spend(on, "Rent", "Ray White Property", "Rent", 2_150_00, account="everyday")
        if d == 2:
            self.savings += 1_800_00
            yield Entry(on, "Monthly saving", "transfer", None, 1_800_00, "everyday", "savings")

    def _spending(self, on: date) -> Iterator[Entry]:
        rng, wd = self.rng, on.weekday()
        if wd in (1, 5) or rng.random() < 0.05:
            yield self.spend(
                on, "Groceries", rng.choice(GROCERS), "Groceries", self.cents(45, 230), tags="food"
            )
        if wd == 4 and rng.random() < 0.8:
            yield self.spend(
                on,
                "Dinner out",
                rng.choice(RESTAURANTS),
                "Eating out",
                self.cents(28, 95),
                tags="food",
            )
        if rng.random() < 0.06:
            yield self.spend(on, "Takeaway", "Uber Eats", "Takeaway", self.cents(22, 48))
        if (on - self.start).days % 9 == 0:
            yield self.spend(on, "Fuel", rng.choice(SERVOS), "Fuel", self.cents(55, 98))
        if wd == 0 and (on - self.start).days % 14 < 7:
            yield self.spend(on, "Gym", "Anytime Fitness", "Fitness", 32_00)
        if rng.random() < 0.04:
            yield self.spend(on, "Clothes", "Uniqlo", "Clothing", self.cents(40, 260))
        if rng.random() < 0.03:
            yield self.spend(
                on, "GP visit", "City Medical Centre", "Doctor and dentist", self.cents(45, 120)
            )
        if on.month == 12 and on.day == 20:
            yield self.spend(
                on, "Summer holiday", "Qantas", "Holidays", self.cents(2_500, 4_500), tags="holiday"
            )

    def _bills(self, on: date) -> Iterator[Entry]:
        d = on.day
        if d == 12:
            yield self.spend(on, "Netflix", "Netflix", "Subscriptions", 18_99, tags="subscription")
        if d == 20:
            yield self.spend(on, "Spotify", "Spotify", "Subscriptions", 13_99, tags="subscription")
        if d == 18:
            yield self.spend(on, "Mobile plan", "Telstra", "Mobile phone", 45_00)
        if d == 5:
            yield self.spend(
                on, "Internet", "Aussie Broadband", "Internet", 79_00, account="everyday"
            )
            yield self.spend(
                on, "Health insurance", "Bupa", "Health insurance", 182_40, account="everyday"
            )
        if d == 22 and on.month % 3 == 0:
            yield self.spend(
                on, "Electricity", "AGL", "Electricity", self.cents(280, 460), account="everyday"
            )
            yield self.spend(
                on, "Gas", "Origin Energy", "Gas", self.cents(90, 260), account="everyday"
            )
        if d == 8 and on.month % 3 == 1:
            yield self.spend(
                on, "Water", "Sydney Water", "Water", self.cents(180, 260), account="everyday"
            )
        if on.month == 7 and d == 14:
            yield self.spend(
                on,
                "Car registration",
                "Service NSW",
                "Car registration",
                812_00,
                account="everyday",
            )

    def _finance(self, on: date) -> Iterator[Entry]:
        d = on.day
        if d == 15:
            yield self._loan_repayment(on)
        if d == 25 and self.visa_owing > 0:
            payment, self.visa_owing = self.visa_owing, 0
            yield Entry(on, "Visa payment", "transfer", None, payment, "everyday", "visa")
        if (on + timedelta(days=1)).day == 1:
            interest = self.savings * 45 // 12_000  # 4.5 % a year, paid monthly
            self.savings += interest
            yield Entry(on, "Interest", "income", "Bank", interest, "savings", "Interest")

    def _loan_repayment(self, on: date) -> Entry:
        interest = self.loan_owing * 75 // 12_000  # 7.5 % a year
        principal = min(520_00 - interest, self.loan_owing)
        self.loan_owing -= principal
        legs = (
            ("car_loan", principal),
            ("Interest paid", interest),
            ("everyday", -(principal + interest)),
        )
        return Entry(on, "Car loan repayment", "journal", "Capital Finance", legs=legs)

    def _business(self, on: date) -> Iterator[Entry]:
        rng, d = self.rng, on.day
        if d in (10, 26) and rng.random() < 0.85:
            yield Entry(
                on,
                "Invoice paid",
                "income",
                rng.choice(CLIENTS),
                self.cents(700, 2_600),
                "business",
                "Consulting income",
                ("business",),
            )
        if d == 3:
            yield self.spend(
                on,
                "Xero subscription",
                "Xero",
                "Business software",
                55_00,
                account="business",
                tags="business",
            )
            yield self.spend(
                on,
                "Business mobile",
                "Optus",
                "Business phone and internet",
                35_00,
                account="business",
                tags="business",
            )
        if rng.random() < 0.02:
            yield self.spend(
                on,
                "Client visit fuel",
                rng.choice(SERVOS),
                "Business motor vehicle",
                self.cents(40, 90),
                account="business",
                tags="business",
            )
        if on.month == 9 and d == 15:
            yield self.spend(
                on,
                "Tax return and BAS",
                "Parker & Co Accountants",
                "Accounting fees",
                440_00,
                account="business",
                tags="business",
            )
        if d == 28:
            yield Entry(on, "Owner drawings", "transfer", None, 2_000_00, "business", "everyday")


def entries(start: date, end: date, seed: int = 42) -> list[Entry]:
    """Every entry of the story from `start` to `end` inclusive, in date order."""
    story = _Story(start, end, seed)
    out: list[Entry] = []
    on = start
    while on <= end:
        out.extend(story.day(on))
        on += timedelta(days=1)
    return out
