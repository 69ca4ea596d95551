"""GET /api/v1/balances/forecast: exact daily balances on a small hand-made case."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from fiscus.recurring.cadence import add_months
from tests.recurring.helpers import Books
from tests.support.builders import register

DAY = timedelta(days=1)


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client, "Alice"))


def _next_day_of_month(today: date, day: int) -> date:
    """The first date after today that falls on `day` of its month (day <= 28)."""
    return today.replace(day=day) if today.day < day else add_months(today.replace(day=1), 1, day)


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _confirm_all(books: Books) -> None:
    books.detect()
    for series in books.series():
        url = f"/api/v1/recurring/{series['id']}/confirm"
        assert books.client.post(url, headers=books.owner.headers).status_code == 200


def _seed(books: Books, today: date) -> tuple[date, date]:
    """Bank 2000.00, a 15.99 subscription on the 5th, a 30.00 card payment on the 12th,
    a 310.00 monthly grocery limit with 10.00 spent today, 100.00 rent due in 5 days."""
    long_ago = today - timedelta(days=200)
    books.opening_balance(long_ago, "2000.00")
    books.opening_balance(long_ago, "-380.00", account=books.card)
    netflix, gym = _next_day_of_month(today, 5), _next_day_of_month(today, 12)
    for k in (3, 2, 1):
        books.spend(add_months(netflix, -k), "15.99", books.subscriptions, "Netflix")
        books.spend(add_months(gym, -k), "30.00", books.subscriptions, "Gym", books.card)
    books.spend(today, "10.00", books.groceries, "Grocer")
    books.spend(today + 5 * DAY, "100.00", books.rent, "Landlord")  # a scheduled item
    goal = books.client.post(
        "/api/v1/goals",
        json={
            "kind": "spending_limit",
            "name": "Groceries",
            "account_id": books.groceries,
            "amount": "310.00",
        },
        headers=books.owner.headers,
    )
    assert goal.status_code == 201, goal.text
    _confirm_all(books)
    return netflix, gym


def _expected_bank(today: date, end: date, netflix: date) -> list[int]:
    """Day by day, by hand: the budget left this month (310.00 - 10.00) and each later
    month's 310.00 spread evenly over the days, day k of n taking a*k//n - a*(k-1)//n."""
    balance = 200000 - 1000 - 3 * 1599
    daily_budget: dict[date, int] = {}
    month_start = today + DAY
    # 10.00 already spent counts in today's month (none of it is left on its last day)
    remaining = 31000 - 1000 if month_start.month == today.month else 31000
    while month_start <= end:
        last = _month_end(month_start)
        n = (last - month_start).days + 1
        for k in range(1, n + 1):
            day = month_start + (k - 1) * DAY
            daily_budget[day] = remaining * k // n - remaining * (k - 1) // n
        month_start, remaining = last + DAY, 31000
    payments = {add_months(netflix, k) for k in range(0, 14)}
    out, day = [balance], today
    while day < end:
        day += DAY
        balance -= daily_budget.get(day, 0)
        balance -= 1599 if day in payments else 0
        balance -= 10000 if day == today + 5 * DAY else 0
        out.append(balance)
    return out


def test_daily_balances_to_the_cent(books: Books) -> None:
    today = books.today()
    netflix, gym = _seed(books, today)
    response = books.client.get(
        "/api/v1/balances/forecast", params={"months": 3}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    end = add_months(today, 3)
    assert (body["start"], body["end"], body["months"]) == (today.isoformat(), end.isoformat(), 3)
    assert (body["series_used"], body["budgets_used"]) == (2, 1)
    accounts = {a["name"]: a for a in body["accounts"]}
    bank = [_cents(p["balance"]) for p in accounts["Everyday"]["points"]]
    assert [p["date"] for p in accounts["Everyday"]["points"]][-1] == end.isoformat()
    assert bank == _expected_bank(today, end, netflix)
    # A whole later month costs exactly the limit plus the subscription (two months on,
    # clear of the scheduled rent).
    month = add_months(today.replace(day=1), 2)
    before, after = month - DAY, _month_end(month)
    by_date = dict(zip([p["date"] for p in accounts["Everyday"]["points"]], bank, strict=True))
    assert by_date[before.isoformat()] - by_date[after.isoformat()] == 31000 + 1599
    card = [_cents(p["balance"]) for p in accounts["Visa"]["points"]]
    assert card[0] == 38000 + 3 * 3000  # owed, in natural sign
    assert card[-1] == 47000 + 3000 * sum(1 for k in range(4) if add_months(gym, k) <= end)
    total = [_cents(p["balance"]) for p in body["total"]["points"]]
    assert total == [b - c for b, c in zip(bank, card, strict=True)]
    over = add_months(gym, 1)  # 470.00 -> 500.00 on `gym`, 530.00 a month later
    assert [(w["kind"], w["account_name"], w["date"]) for w in body["warnings"]] == [
        ("over_credit_limit", "Visa", over.isoformat())
    ]


def test_the_band_contains_the_projection_and_widens(books: Books) -> None:
    today = books.today()
    _seed(books, today)
    for months in (3, 6, 12):
        body = books.client.get(
            "/api/v1/balances/forecast", params={"months": months}, headers=books.owner.headers
        ).json()
        assert body["end"] == add_months(today, months).isoformat()
        points = body["total"]["points"]
        widths = [_cents(p["high"]) - _cents(p["low"]) for p in points]
        assert widths[0] == 0  # today is known
        assert widths[-1] > 0  # 10.00 of grocery spending today makes the days uncertain
        assert widths == sorted(widths)
        for p in points:
            assert _cents(p["low"]) <= _cents(p["balance"]) <= _cents(p["high"])


def test_an_overdraft_is_warned_with_its_date(books: Books) -> None:
    today = books.today()
    books.opening_balance(today - timedelta(days=100), "50.00")
    books.spend(today + 10 * DAY, "80.00", books.rent, "Landlord")
    body = books.client.get("/api/v1/balances/forecast", headers=books.owner.headers).json()
    assert [(w["kind"], w["date"], w["balance"]) for w in body["warnings"]] == [
        ("overdraft", (today + 10 * DAY).isoformat(), "-30.00")
    ]


def test_an_empty_tenant_has_an_empty_forecast(books: Books) -> None:
    body = books.client.get("/api/v1/balances/forecast", headers=books.owner.headers).json()
    assert body["warnings"] == []
    assert {p["balance"] for p in body["total"]["points"]} == {"0.00"}
    assert (
        len(body["total"]["points"]) == (date.fromisoformat(body["end"]) - books.today()).days + 1
    )


@pytest.mark.parametrize("months", ["0", "1", "4", "24", "-3", "abc", "3.5"])
def test_months_other_than_3_6_12_are_refused(books: Books, months: str) -> None:
    response = books.client.get(
        "/api/v1/balances/forecast", params={"months": months}, headers=books.owner.headers
    )
    assert response.status_code == 422
    assert "months" in response.text


def test_the_forecast_needs_a_login(client: TestClient) -> None:
    assert client.get("/api/v1/balances/forecast").status_code == 401


def test_a_payment_already_booked_ahead_is_not_counted_twice(books: Books) -> None:
    today = books.today()
    books.opening_balance(today - timedelta(days=200), "1000.00")
    netflix = _next_day_of_month(today, 5)
    for k in (3, 2, 1):
        books.spend(add_months(netflix, -k), "15.99", books.subscriptions, "Netflix")
    _confirm_all(books)
    # Booked after detection, dated on the next expected payment (a day late).
    books.spend(netflix + DAY, "15.99", books.subscriptions, "NETFLIX 0423")
    body = books.client.get(
        "/api/v1/balances/forecast", params={"months": 3}, headers=books.owner.headers
    ).json()
    points = {p["date"]: _cents(p["balance"]) for p in body["accounts"][0]["points"]}
    start = 100000 - 3 * 1599
    assert points[(netflix - DAY).isoformat()] == start
    assert points[(netflix + DAY).isoformat()] == start - 1599  # once, not twice
    second = add_months(netflix, 1)
    assert points[second.isoformat()] == start - 2 * 1599
