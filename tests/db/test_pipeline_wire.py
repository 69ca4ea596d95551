"""A unit of work's statements sent with one flush (`db/pipeline_wire.py`), on the real
PostgreSQL pool: statements prepared once per connection under their parameter types,
a failure raised without losing what is prepared, an interrupted unit's connection
replaced."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
import pytest
from sqlalchemy import Integer, bindparam, literal_column, select, table, text
from sqlalchemy.exc import ProgrammingError

from fiscus.db.pipelined import AsyncReads, Read
from tests.support.databases import MigratedDatabase

TENANT = uuid.uuid4()
PREPARED = Read(text("SELECT name, statement FROM pg_prepared_statements ORDER BY name"), {})
PLUS_ONE = select(bindparam("n", type_=Integer()) + 1)
BROKEN = Read(select(literal_column("x")).select_from(table("no_such_table")), {})


@pytest.fixture
def pool_url(committed: MigratedDatabase) -> str:
    if committed.backend != "postgres":
        pytest.skip("the asyncio pool is PostgreSQL's")
    return committed.app_url


def run(url: str, scenario: Any) -> Any:
    async def with_pool() -> Any:
        reads = AsyncReads(url, size=1)  # one connection: every unit shares it
        await reads.open()
        try:
            return await scenario(reads)
        finally:
            await reads.close()

    return anyio.run(with_pool)


async def read(reads: AsyncReads, *units: Read) -> list[Any]:
    return await reads.read(list(units), tenant_id=TENANT, user_id=None)


def plus_one(n: int | None) -> Read:
    return Read(PLUS_ONE, {"n": n})


def ours(prepared: list[tuple[str, str]]) -> list[str]:
    """The statements this module prepared, by their SQL; none is psycopg's own."""
    assert not [name for name, _ in prepared if name.startswith("_pg3_")]
    return sorted(sql for name, sql in prepared if name.startswith("_fiscus_"))


def test_a_statement_is_prepared_once_per_connection_and_reused(pool_url: str) -> None:
    async def scenario(reads: AsyncReads) -> Any:
        first = await read(reads, plus_one(1), plus_one(2))
        again = await read(reads, plus_one(41))
        return first, again, (await read(reads, PREPARED))[0]

    first, again, prepared = run(pool_url, scenario)
    assert (first, again) == ([[(2,)], [(3,)]], [[(42,)]])
    sums = [sql for sql in ours(prepared) if "AS anon_1" in sql]
    assert len(sums) == 1, prepared  # (besides: the scope, and this read of them)


def test_a_parameter_of_another_type_gets_a_statement_of_its_own(pool_url: str) -> None:
    async def scenario(reads: AsyncReads) -> Any:
        return await read(reads, plus_one(1), plus_one(None), plus_one(2))

    assert run(pool_url, scenario) == [[(2,)], [(None,)], [(3,)]]


def test_a_failed_statement_is_raised_and_what_was_prepared_before_stays(pool_url: str) -> None:
    async def scenario(reads: AsyncReads) -> Any:
        await read(reads, plus_one(1))
        before = ours((await read(reads, PREPARED))[0])
        with pytest.raises(ProgrammingError, match="no_such_table"):
            await read(reads, plus_one(2), BROKEN, plus_one(3))
        after = await read(reads, plus_one(4))  # the pool rolled the failed unit back
        return before, after, ours((await read(reads, PREPARED))[0])

    before, after, prepared = run(pool_url, scenario)
    assert after == [[(5,)]]
    assert prepared == before  # nothing re-prepared, nothing deallocated, the broken one not kept


def test_an_interrupted_unit_leaves_its_connection_to_be_replaced(pool_url: str) -> None:
    slow = Read(text("SELECT pg_sleep(5)"), {})

    async def scenario(reads: AsyncReads) -> Any:
        with anyio.move_on_after(0.3) as scope:
            await read(reads, slow)
        assert scope.cancelled_caught
        return await read(reads, plus_one(9))

    assert run(pool_url, scenario) == [[(10,)]]
