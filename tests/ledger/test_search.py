"""The search syntax: the pure parser (with properties), then GET /transactions/search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from fiscus.ledger.search import AmountBound, BadQuery, minor_bound, parse, tokenize
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

# The parser


def test_terms_and_free_words() -> None:
    query = parse('payee:Woolworths amount>50 date:2025-07 milk "oat milk" tag:Food')
    assert query.payee == ["woolworths"]
    assert query.amounts == [AmountBound(">", Decimal("50"))]
    assert (query.date_from, query.date_to) == (date(2025, 7, 1), date(2025, 7, 31))
    assert query.words == ["milk", "oat milk"]
    assert query.tags == ["food"]


def test_quoted_values_keep_their_spaces_and_escaped_quotes() -> None:
    query = parse(r'account:"Everyday account" description:"the \"big\" shop"')
    assert query.accounts == ["everyday account"]
    assert query.description == ['the "big" shop']
    assert parse('"payee:x"').words == ["payee:x"]  # a quoted term is just text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("date:2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("date:2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("date:2025-07-14", date(2025, 7, 14), date(2025, 7, 14)),
        ("date>=2025-01-01", date(2025, 1, 1), None),
        ("date>2025-01-01", date(2025, 1, 2), None),
        ("date<=2025-01-31", None, date(2025, 1, 31)),
        ("date<2025-02-01", None, date(2025, 1, 31)),
        ("date:2025 date>=2025-03-01 date<2025-04-01", date(2025, 3, 1), date(2025, 3, 31)),
    ],
)
def test_dates(text: str, start: date | None, end: date | None) -> None:
    query = parse(text)
    assert (query.date_from, query.date_to) == (start, end)


def test_amounts_status_and_type() -> None:
    query = parse("amount:12.50 amount>=1 amount<100 amount<=99 status:Cleared type:expense")
    assert [(b.op, str(b.value)) for b in query.amounts] == [
        ("=", "12.50"),
        (">=", "1"),
        ("<", "100"),
        ("<=", "99"),
    ]
    assert (query.statuses, query.kinds) == ({"cleared"}, {"expense"})
    assert parse("status:cleared status:pending").statuses == set()  # both: nothing


@pytest.mark.parametrize(
    "token",
    [
        "amount>fifty",
        "amount:-5",
        "amount:1e3",
        "date:2025-13",
        "date:25-07",
        "date>2025",
        "status:done",
        "type:refund",
        "colour:red",
        "payee:",
        "payee>x",
        "status>cleared",
    ],
)
def test_an_unreadable_term_names_itself(token: str) -> None:
    with pytest.raises(BadQuery) as error:
        parse(f"milk {token} bread")
    assert token in error.value.detail
    assert error.value.field == "q"


def test_an_unclosed_quote_is_refused() -> None:
    with pytest.raises(BadQuery, match="Unclosed quote"):
        parse('payee:"Woolworths')


words = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters='"\\'),
    min_size=1,
    max_size=12,
).filter(lambda w: w.strip() == w and not any(c.isspace() for c in w))


@given(st.lists(words, max_size=8))
def test_tokenize_splits_plain_words_on_spaces(items: list[str]) -> None:
    assert [t.value for t in tokenize("  ".join(items))] == items


@given(st.lists(st.text(max_size=10).map(lambda s: s.replace('"', "")), max_size=5))
def test_any_quoted_phrase_comes_back_whole(phrases: list[str]) -> None:
    text = " ".join('"' + p.replace("\\", "\\\\") + '"' for p in phrases)
    assert [t.value for t in tokenize(text)] == phrases


@given(
    st.sampled_from([">", ">=", "<", "<=", "="]),
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False),
    st.sampled_from([0, 2, 3]),
    st.integers(min_value=0, max_value=10**11),
)
def test_a_bound_in_minor_units_admits_exactly_the_amounts_meeting_it(
    op: str, value: Decimal, exponent: int, minor: int
) -> None:
    amount = Decimal(minor).scaleb(-exponent)
    truth = {
        ">": amount > value,
        ">=": amount >= value,
        "<": amount < value,
        "<=": amount <= value,
        "=": amount == value,
    }[op]
    bound = minor_bound(AmountBound(op, value), exponent)
    if bound is None:
        assert not truth
        return
    kind, n = bound
    assert truth == {">=": minor >= n, "<=": minor <= n, "=": minor == n}[kind]


terms = st.builds(
    lambda key, op, value: key + op + value,
    st.sampled_from(["amount", "date", "status", "type", "payee", "tag", "x", "AMOUNT"]),
    st.sampled_from([":", ">", ">=", "<", "<="]),
    st.one_of(st.text(max_size=12), st.from_regex(r"[0-9]{1,6}(-[0-9]{1,2}){0,2}", fullmatch=True)),
)


@given(st.lists(st.one_of(terms, st.text(max_size=15)), max_size=5))
def test_the_parser_reads_a_query_or_names_the_problem_and_nothing_else(
    parts: list[str],
) -> None:
    problem: BadQuery | None = None
    try:
        parse(" ".join(parts))
    except BadQuery as error:  # anything else (ValueError, OverflowError...) fails the test
        problem = error
    assert problem is None or (problem.field, bool(problem.detail)) == ("q", True)


# Over HTTP


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def found(books: Books, q: str, **params: Any) -> list[str]:
    response = books.client.get(
        "/api/v1/transactions/search", params={"q": q, **params}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    return [t["description"] for t in response.json()["items"]]


def seed(books: Books) -> dict[str, str]:
    food = books.account("Food", "expense")
    groceries = books.account("Groceries", "expense", parent_id=food)
    rows = [
        ("Weekly shop", "Woolworths", "84.20", "2025-07-14", groceries, ["food"], "cleared"),
        ("Top-up", "Woolworths Metro", "12.50", "2025-07-02", groceries, [], "pending"),
        ("Farmers market", None, "51.00", "2025-06-30", food, ["food", "local"], "cleared"),
        ("Cinema", "Hoyts", "30.00", "2024-12-24", books.groceries, [], "reconciled"),
    ]
    for description, payee, amount, day, category, tags, status in rows:
        response = books.post(
            {
                "date": day,
                "description": description,
                "payee": payee,
                "amount": amount,
                "type": "expense",
                "account_id": books.bank,
                "category_id": category,
                "tags": tags,
                "status": status,
            }
        )
        assert response.status_code == 201, response.text
    pay = books.post(
        {
            "date": "2025-07-15",
            "description": "Pay",
            "notes": "July salary",
            "amount": "3000.00",
            "type": "income",
            "account_id": books.savings,
            "category_id": books.salary,
        }
    )
    assert pay.status_code == 201
    return {"food": food, "groceries": groceries}


def test_search_terms_over_http(books: Books) -> None:
    seed(books)
    assert found(books, "payee:woolworths amount>50 date:2025-07") == ["Weekly shop"]
    assert found(books, "payee:woolworths") == ["Weekly shop", "Top-up"]
    assert found(books, "amount:12.50") == ["Top-up"]
    assert found(books, "amount>=51 amount<100") == ["Weekly shop", "Farmers market"]
    assert found(books, "date:2024") == ["Cinema"]
    assert found(books, "date:2025-07-14") == ["Weekly shop"]
    assert found(books, "date>=2025-07-01 date<2025-07-15") == ["Weekly shop", "Top-up"]
    assert found(books, "status:cleared") == ["Weekly shop", "Farmers market"]
    assert found(books, "type:income") == ["Pay"]
    assert found(books, "tag:local") == ["Farmers market"]
    assert found(books, "tag:food tag:local") == ["Farmers market"]
    assert found(books, "salary") == ["Pay"]  # free text reaches the notes
    assert found(books, "description:shop") == ["Weekly shop"]
    assert found(books, "description:shop metro") == []  # every word must match


def test_search_by_account_and_category_names(books: Books) -> None:
    seed(books)
    savings = books.client.patch(
        f"/api/v1/accounts/{books.savings}",
        json={"name": "Rainy day fund"},
        headers=books.owner.headers,
    )
    assert savings.status_code == 200
    assert found(books, 'account:"rainy day fund"') == ["Pay"]
    assert found(books, "category:Food") == ["Weekly shop", "Top-up", "Farmers market"]
    assert found(books, "category:groceries") == ["Weekly shop", "Top-up", "Cinema"]
    assert found(books, "category:groceries category:food") == ["Weekly shop", "Top-up"]
    assert found(books, "category:Nowhere") == []
    assert found(books, "category:Everyday") == []  # an asset is no category


def test_search_pages_sorts_and_reads_the_bin(books: Books) -> None:
    seed(books)
    body = books.client.get(
        "/api/v1/transactions/search",
        params={"q": "payee:woolworths", "sort": "amount", "limit": 1, "page": 2},
        headers=books.owner.headers,
    ).json()
    assert ([t["description"] for t in body["items"]], body["total"]) == (["Weekly shop"], 2)
    assert body["total_pages"] == 2
    [top_up] = books.client.get(
        "/api/v1/transactions/search", params={"q": "Top-up"}, headers=books.owner.headers
    ).json()["items"]
    books.client.delete(f"/api/v1/transactions/{top_up['id']}", headers=books.owner.headers)
    assert found(books, "payee:woolworths") == ["Weekly shop"]
    assert found(books, "payee:woolworths", deleted=True) == ["Top-up"]


@pytest.mark.parametrize("q", ["amount>lots", "date:July", 'payee:"open', "colour:red"])
def test_an_unreadable_query_is_422_naming_the_token(books: Books, q: str) -> None:
    response = books.client.get(
        "/api/v1/transactions/search", params={"q": f"milk {q}"}, headers=books.owner.headers
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "q"
    assert q in error["message"]
    assert response.json()["code"] == "bad_query"
