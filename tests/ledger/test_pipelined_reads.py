"""The balance at a date read in one round trip (`db/pipelined.py`), on a real engine.

The `client` fixture binds the app to one rolled-back connection, where pipelined reads
fall back to an ordinary unit of work; these tests use an app on its own engine and
committed data, so on PostgreSQL the one-round-trip path is what answers.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, literal, literal_column, select, table
from sqlalchemy.exc import OperationalError, ProgrammingError

from fiscus.config import Settings
from fiscus.db.pipelined import AsyncReads, Read, pipelined_read
from fiscus.db.session import make_engine, make_session_factory
from fiscus.main import create_app
from tests.support.builders import Account, add_member, register
from tests.support.databases import MigratedDatabase


def statements_seen(engine: Engine) -> list[str]:
    """Every query SQLAlchemy executes on `engine` from now on (the pipeline's are sent
    on the driver directly and are not among them)."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("SELECT"):
            seen.append(statement)

    return seen


def served_on_the_loop(client: TestClient) -> int:
    """Units of work the app's asyncio pool served (PostgreSQL; SQLite has none: 0)."""
    reads: AsyncReads | None = client.app.state.async_reads  # type: ignore[attr-defined]
    return 0 if reads is None else reads.served()


class RoundTrips:
    """What the requests made from now on cost: on PostgreSQL no statement through
    SQLAlchemy and one unit of work of the asyncio pool each; on SQLite the same reads
    one statement at a time, and no pool."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
        self.seen = statements_seen(self.engine)
        self.before = served_on_the_loop(client)

    def check(self, *, units: int, sqlite_statements: int) -> None:
        postgres = self.engine.dialect.name == "postgresql"
        assert len(self.seen) == (0 if postgres else sqlite_statements), self.seen
        assert served_on_the_loop(self.client) == self.before + (units if postgres else 0)


def books(client: TestClient, owner: Account) -> dict[str, str]:
    def create(body: dict[str, str]) -> str:
        response = client.post("/api/v1/accounts", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    ids = {
        "bank": create({"name": "Everyday", "type": "asset", "subtype": "checking"}),
        "card": create({"name": "Visa", "type": "liability", "subtype": "credit_card"}),
        "food": create({"name": "Food", "type": "expense"}),
        "pay": create({"name": "Salary", "type": "income"}),
    }
    entries = [
        ("2025-01-10", "expense", "12.34", "bank", "food"),
        ("2025-01-31", "expense", "40.00", "card", "food"),
        ("2025-02-01", "income", "100.00", "bank", "pay"),
    ]
    for day, kind, amount, account, category in entries:
        body = {
            "date": day,
            "description": f"{kind} {amount}",
            "amount": amount,
            "type": kind,
            "account_id": ids[account],
            "category_id": ids[category],
        }
        response = client.post("/api/v1/transactions", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
    return ids


def balance(client: TestClient, who: Account, account_id: str, day: str) -> Any:
    return client.get(f"/api/v1/accounts/{account_id}/balance?date={day}", headers=who.headers)


@pytest.mark.parametrize(
    ("account", "day", "expected"),
    [
        ("bank", "2025-01-09", "0.00"),
        ("bank", "2025-01-10", "-12.34"),
        ("bank", "2025-02-01", "87.66"),
        ("card", "2025-01-31", "40.00"),  # a card's debt is positive (natural sign)
        ("food", "2025-12-31", "52.34"),
        ("pay", "2025-02-28", "100.00"),
    ],
)
def test_balance_at_a_date_in_one_round_trip(
    live: TestClient, account: str, day: str, expected: str
) -> None:
    owner = register(live)
    ids = books(live, owner)
    trips = RoundTrips(live)
    response = balance(live, owner, ids[account], day)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "account_id": ids[account],
        "date": day,
        "balance": expected,
        "currency": "AUD",
    }
    trips.check(units=1, sqlite_statements=2)  # SQLite: auth + balance


def test_another_tenants_account_is_not_found_like_a_made_up_one(live: TestClient) -> None:
    owner, stranger = register(live), register(live)
    ids = books(live, owner)
    theirs = balance(live, stranger, ids["bank"], "2025-03-01")
    made_up = balance(live, stranger, str(uuid.uuid4()), "2025-03-01")
    assert theirs.status_code == made_up.status_code == 404
    assert theirs.json()["code"] == made_up.json()["code"] == "account_not_found"


def test_a_revoked_session_or_a_removed_member_is_refused(live: TestClient) -> None:
    owner, member = register(live), register(live)
    ids = books(live, owner)
    add_member(live, owner, owner.tenant_id, member, "viewer")
    switched = live.post(
        "/api/v1/auth/switch-tenant",
        json={"tenant_id": str(owner.tenant_id)},
        headers=member.headers,
    )
    assert switched.status_code == 200, switched.text
    member.adopt(switched.json())
    assert balance(live, member, ids["bank"], "2025-02-01").json()["balance"] == "87.66"

    removed = live.delete(
        f"/api/v1/tenants/{owner.tenant_id}/members/{member.user_id}", headers=owner.headers
    )
    assert removed.status_code == 204
    assert balance(live, member, ids["bank"], "2025-02-01").status_code == 401

    assert live.post("/api/v1/auth/logout", headers=owner.headers).status_code == 204
    assert balance(live, owner, ids["bank"], "2025-02-01").status_code == 401


def test_a_bad_token_is_refused_before_any_read(live: TestClient) -> None:
    owner = register(live)
    ids = books(live, owner)
    engine = live.app.state.engine  # type: ignore[attr-defined]
    seen = statements_seen(engine)
    forged = {"Authorization": f"Bearer {owner.access_token[:-4]}AAAA"}
    for headers in (forged, {}):
        url = f"/api/v1/accounts/{ids['bank']}/balance?date=2025-02-01"
        assert live.get(url, headers=headers).status_code == 401
    assert seen == []


def test_a_failed_read_ends_its_transaction_and_the_connection_serves_the_next(
    committed: MigratedDatabase,
) -> None:
    engine = make_engine(committed.app_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    tenant = uuid.uuid4()
    good = Read(select(literal(41) + 1), {})
    broken = Read(select(literal_column("x")).select_from(table("no_such_table")), {})
    try:
        with pytest.raises(
            ProgrammingError if engine.dialect.name == "postgresql" else OperationalError
        ):
            pipelined_read(factory, [good, broken], tenant_id=tenant, user_id=None)
        assert pipelined_read(factory, [good], tenant_id=tenant, user_id=None) == [[(42,)]]
    finally:
        engine.dispose()


def test_the_account_list_in_one_round_trip_equals_each_account_read(live: TestClient) -> None:
    owner = register(live)
    ids = books(live, owner)
    archived = live.patch(
        f"/api/v1/accounts/{ids['pay']}", json={"is_archived": True}, headers=owner.headers
    )
    assert archived.status_code == 200, archived.text
    trips = RoundTrips(live)
    listed = live.get("/api/v1/accounts", headers=owner.headers).json()
    trips.check(units=1, sqlite_statements=2)  # SQLite: auth + the accounts
    one_by_one = [
        live.get(f"/api/v1/accounts/{account['id']}", headers=owner.headers).json()
        for account in listed
    ]
    assert listed == one_by_one
    assert ids["pay"] not in {a["id"] for a in listed}  # archived: left out by default

    filtered = live.get(
        "/api/v1/accounts?type=liability&type=asset&include_archived=true", headers=owner.headers
    ).json()
    assert {a["id"] for a in filtered} == {ids["bank"], ids["card"]}
    everything = live.get("/api/v1/accounts?include_archived=true", headers=owner.headers).json()
    assert ids["pay"] in {a["id"] for a in everything}
    stranger = register(live)
    theirs = live.get("/api/v1/accounts?include_archived=true", headers=stranger.headers).json()
    assert not {a["id"] for a in theirs} & set(ids.values())


def test_a_generic_read_plans_its_unit_generically_and_the_pool_runs_no_jit(
    committed: MigratedDatabase,
) -> None:
    """`Read.generic` sets `plan_cache_mode` for its unit only; `Read.binary` reads the
    same values; the pool's connections have JIT and parallel workers off (a generic
    plan is costed for any range)."""
    if committed.backend != "postgres":
        pytest.skip("the asyncio pool is PostgreSQL's")
    names = ("plan_cache_mode", "jit", "max_parallel_workers_per_gather")
    settings = select(*(func.current_setting(name) for name in names))
    values = select(
        literal(uuid.UUID(int=7)), func.now().op("AT TIME ZONE")("UTC"), literal(Decimal("1.5"))
    )
    tenant = uuid.uuid4()

    async def scenario() -> list[Any]:
        reads = AsyncReads(committed.app_url, size=1)
        await reads.open()
        try:
            generic = Read(settings, {}, generic=True)
            plain = Read(settings, {})
            text_rows, binary_rows = Read(values, {}), Read(values, {}, binary=True)
            return [
                await reads.read([generic], tenant_id=tenant, user_id=None),
                await reads.read([plain], tenant_id=tenant, user_id=None),
                await reads.read([text_rows, binary_rows], tenant_id=tenant, user_id=None),
            ]
        finally:
            await reads.close()

    generic, plain, (text_rows, binary_rows) = anyio.run(scenario)
    assert generic == [[("force_generic_plan", "off", "0")]]
    assert plain == [[("auto", "off", "0")]]
    assert text_rows == binary_rows


def test_a_failed_read_on_the_loop_leaves_a_pool_that_serves_the_next(
    committed: MigratedDatabase,
) -> None:
    if committed.backend != "postgres":
        pytest.skip("the asyncio pool is PostgreSQL's")
    good = Read(select(literal(41) + 1), {})
    broken = Read(select(literal_column("x")).select_from(table("no_such_table")), {})
    tenant = uuid.uuid4()

    async def scenario() -> list[Any]:
        reads = AsyncReads(committed.app_url, size=1)
        await reads.open()
        try:
            with pytest.raises(ProgrammingError):
                await reads.read([good, broken], tenant_id=tenant, user_id=None)
            return await reads.read([good, good], tenant_id=tenant, user_id=None)
        finally:
            await reads.close()

    assert anyio.run(scenario) == [[(42,)], [(42,)]]


def register_page(client: TestClient, who: Account, query: str) -> Any:
    response = client.get(f"/api/v1/transactions?{query}", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "&date_from=2025-01-10&date_to=2025-01-31",
        "&date_from=2025-01-11",
        "&date_to=2025-01-31&sort=amount",
        "&limit=1&sort=date",
        "&limit=1&page=2&sort=-amount",
        "&limit=1&page=3&sort=description",
    ],
)
def test_an_account_register_page_in_one_round_trip_equals_the_general_list(
    live: TestClient, query: str
) -> None:
    owner = register(live)
    ids = books(live, owner)
    trips = RoundTrips(live)
    page = register_page(live, owner, f"account_id={ids['bank']}{query}")
    trips.check(units=1, sqlite_statements=3)  # SQLite: auth, page, count
    # An amount bound that every entry meets sends the list down the general path.
    general = register_page(live, owner, f"account_id={ids['bank']}{query}&amount_min=0")
    assert page["items"] == general["items"]
    assert page["has_more"] == general["has_more"]
    assert page["total"] == general["total"] or general["total"] is None
    for item in page["items"]:
        one = live.get(f"/api/v1/transactions/{item['id']}", headers=owner.headers)
        assert item == one.json()


def test_a_register_page_read_in_one_round_trip_keeps_every_field(live: TestClient) -> None:
    """The pool reads the register's rows in PostgreSQL's binary format: an entry with
    every field set (payee, notes, tags, status, memos, a leg in another currency with a
    rate) and a deleted one read back exactly as the single-entry read renders them."""
    owner = register(live)
    ids = books(live, owner)

    def create(body: dict[str, Any]) -> str:
        response = live.post("/api/v1/transactions", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    usd = create_account(live, owner, {"name": "US", "type": "asset", "currency": "USD"})
    usd_fx = create_account(live, owner, {"name": "FX USD", "type": "equity", "currency": "USD"})
    aud_fx = create_account(live, owner, {"name": "FX AUD", "type": "equity"})
    create(
        {
            "date": "2025-01-20",
            "description": "Move AUD to USD",
            "postings": [
                {"account_id": usd, "amount": "65.00", "currency": "USD", "rate": "1.5384615"},
                {"account_id": usd_fx, "amount": "-65.00", "rate": "1.5384615", "memo": "fx"},
                {"account_id": aud_fx, "amount": "100.00", "memo": "ünïcode ✓"},
                {"account_id": ids["bank"], "amount": "-100.00"},
            ],
        }
    )
    gone = create(
        {
            "date": "2025-01-21",
            "description": "Café",
            "payee": "Le Café",
            "notes": "with friends",
            "tags": ["out", "weekend"],
            "status": "cleared",
            "amount": "18.50",
            "type": "expense",
            "account_id": ids["bank"],
            "category_id": ids["food"],
        }
    )
    trips = RoundTrips(live)
    page = register_page(live, owner, f"account_id={ids['bank']}")
    trips.check(units=1, sqlite_statements=3)
    assert len(page["items"]) == 4
    for item in page["items"]:
        one = live.get(f"/api/v1/transactions/{item['id']}", headers=owner.headers)
        assert item == one.json()
    assert live.delete(f"/api/v1/transactions/{gone}", headers=owner.headers).status_code in (
        200,
        204,
    )
    deleted = register_page(live, owner, f"account_id={ids['bank']}&deleted=true")
    for item in deleted["items"]:
        one = live.get(f"/api/v1/transactions/{item['id']}", headers=owner.headers)
        assert item == one.json()


def create_account(client: TestClient, owner: Account, body: dict[str, str]) -> str:
    response = client.post("/api/v1/accounts", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_an_account_register_counts_and_pages_its_own_entries(live: TestClient) -> None:
    owner = register(live)
    ids = books(live, owner)
    first = register_page(live, owner, f"account_id={ids['bank']}&limit=1&sort=date")
    assert [i["description"] for i in first["items"]] == ["expense 12.34"]
    assert (first["total"], first["total_pages"], first["has_more"]) == (2, 2, True)
    last = register_page(live, owner, f"account_id={ids['bank']}&limit=1&page=2&sort=date")
    assert [i["description"] for i in last["items"]] == ["income 100.00"]
    assert last["has_more"] is False
    january = register_page(
        live, owner, f"account_id={ids['card']}&date_from=2025-01-01&date_to=2025-01-31"
    )
    assert [i["simple"]["amount"] for i in january["items"]] == ["40.00"]
    assert january["total"] == 1

    stranger = register(live)
    theirs = register_page(live, stranger, f"account_id={ids['bank']}")
    assert (theirs["items"], theirs["total"], theirs["has_more"]) == ([], 0, False)
    member = register(live)
    add_member(live, owner, owner.tenant_id, member, "viewer")
    assert live.post("/api/v1/auth/logout", headers=owner.headers).status_code == 204
    refused = live.get(f"/api/v1/transactions?account_id={ids['bank']}", headers=owner.headers)
    assert refused.status_code == 401


def test_timestamps_read_in_one_round_trip_are_utc_whatever_the_server_zone(
    committed: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if committed.backend != "postgres":
        pytest.skip("the asyncio pool is PostgreSQL's")
    url = f"{committed.app_url}?options=-c%20TimeZone%3DAustralia%2FSydney"
    settings = Settings(database_url=url, var_dir=tmp_path_factory.mktemp("var"), env="test")
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            owner = register(client)
            ids = books(client, owner)
            before = served_on_the_loop(client)
            listed = client.get("/api/v1/accounts", headers=owner.headers).json()
            page = register_page(client, owner, f"account_id={ids['bank']}")
            assert served_on_the_loop(client) == before + 2
            assert all(a["created_at"].endswith("Z") for a in listed), listed
            one = client.get(f"/api/v1/accounts/{ids['bank']}", headers=owner.headers).json()
            assert [a for a in listed if a["id"] == ids["bank"]] == [one]
            for item in page["items"]:
                single = client.get(f"/api/v1/transactions/{item['id']}", headers=owner.headers)
                assert item == single.json()
    finally:
        app.state.engine.dispose()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_the_balance_of_today_is_of_the_tenants_today_in_one_round_trip(
    live: TestClient, zone: str
) -> None:
    owner = register(live)
    moved = live.patch(
        f"/api/v1/tenants/{owner.tenant_id}", json={"timezone": zone}, headers=owner.headers
    )
    assert moved.status_code == 200, moved.text
    ids = books(live, owner)
    today = datetime.now(ZoneInfo(zone)).date()
    for day, amount in ((today, "5.00"), (today + timedelta(days=1), "7.00")):
        body = {
            "date": day.isoformat(),
            "description": f"on {day}",
            "amount": amount,
            "type": "expense",
            "account_id": ids["bank"],
            "category_id": ids["food"],
        }
        created = live.post("/api/v1/transactions", json=body, headers=owner.headers)
        assert created.status_code == 201, created.text
    trips = RoundTrips(live)
    response = live.get(f"/api/v1/accounts/{ids['bank']}/balance", headers=owner.headers)
    assert response.status_code == 200, response.text
    expected = balance(live, owner, ids["bank"], today.isoformat()).json()
    assert response.json() == expected
    assert expected["date"] == today.isoformat()
    assert expected["balance"] == "82.66"  # 87.66 booked in 2025, 5.00 spent today
    # SQLite: auth, the time zone and three balances; then auth and the dated balance
    trips.check(units=2, sqlite_statements=7)
    stranger = register(live)
    theirs = live.get(f"/api/v1/accounts/{ids['bank']}/balance", headers=stranger.headers)
    assert theirs.status_code == 404
