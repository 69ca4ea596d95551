"""The upload's parse kept for the commit job (`staged.py`), and the booking overlapped
with the Python that follows it (`overlap.py`): same result, still one unit."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from fiscus.db.session import bind_scope
from fiscus.imports import commit as commit_module
from fiscus.imports import overlap, reading, staged
from fiscus.imports.models import BankImport, ImportLine
from fiscus.imports.parsers import Mapping
from fiscus.ledger import service as ledger_service
from tests.imports.helpers import balance, bank_account, commit, csv_file, entries, upload
from tests.support.builders import Account, register

# A bank reference with what COPY's text format must escape, a row in error, a repeat.
ROWS = [
    ("01/07/2025", "Coffee shop", "-4.50", "R\\1"),
    ("02/07/2025", "Salary ACME", "1000.00", "R2"),
    ("03/07/2025", "Broken", "not money", "R3"),
    ("13/07/2025", "Rent", "-400.00", ""),
    ("13/07/2025", "Rent", "-400.00", ""),
]
DATA = csv_file(ROWS)


def _stored(factory: sessionmaker[Session], owner: Account, import_id: str) -> BankImport:
    with factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
        found = session.scalars(
            select(BankImport).where(
                BankImport.tenant_id == owner.tenant_id, BankImport.id == uuid.UUID(import_id)
            )
        ).one()
        assert found.parsed is not None or found.content is None
        session.expunge(found)
        return found


def _fresh(found: BankImport) -> staged.Staged:
    assert found.content is not None
    mapping = Mapping.from_json(json.loads(found.mapping))
    return staged.of_reading(reading.read(found.content, found.filename, mapping, "AUD"))


def _key(found: BankImport) -> str:
    return staged.key(found.content_sha256, Mapping.from_json(json.loads(found.mapping)), "AUD")


def test_the_stored_parse_equals_a_fresh_parse_of_the_file(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = _stored(session_factory, alice, upload(client, alice, account, DATA)["id"])
    kept = staged.decode(found.parsed, _key(found))
    assert kept is not None
    assert kept == _fresh(found)
    assert [line.bank_ref for line in kept.lines] == ["R\\1", "R2", None, None]
    assert [e.line_no for e in kept.errors] == [4]
    # Another mapping, file or currency is not this parse's: not used.
    assert staged.decode(found.parsed, staged.key("0" * 64, Mapping(), "AUD")) is None
    other = staged.key(found.content_sha256, Mapping.from_json(json.loads(found.mapping)), "EUR")
    assert staged.decode(found.parsed, other) is None


def test_a_new_mapping_stores_the_parse_of_that_mapping(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    import_id = upload(client, alice, account, DATA)["id"]
    response = client.put(
        f"/api/v1/imports/{import_id}/mapping",
        json={"invert_sign": True},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    found = _stored(session_factory, alice, import_id)
    kept = staged.decode(found.parsed, _key(found))
    assert kept is not None
    assert kept == _fresh(found)
    assert kept.lines[0].amount == 450  # the inverted sign


def test_the_commit_books_from_the_stored_parse_without_reading_the_file(
    client: TestClient, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    import_id = upload(client, alice, account, DATA)["id"]

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the commit read the file again")

    monkeypatch.setattr(reading, "read", no_reading)
    done = commit(client, alice, import_id)
    assert done["counts"] == {"lines": 5, "created": 4, "duplicates": 0, "skipped": 0, "errors": 1}
    assert balance(client, alice, account) == "195.50"
    found = _stored(session_factory, alice, import_id)
    assert found.content is None  # cleared with the file
    assert found.parsed is None
    with session_factory() as session:
        bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
        refs = session.scalars(
            select(ImportLine.bank_ref)
            .where(ImportLine.tenant_id == alice.tenant_id)
            .order_by(ImportLine.line_no)
        ).all()
    assert refs == ["R\\1", "R2", None, None, None]  # the COPY text kept them exactly


def test_an_import_without_a_stored_parse_reads_its_file_again(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    import_id = upload(client, alice, account, DATA)["id"]
    with session_factory() as session:  # as uploaded before migration 0022
        bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
        session.execute(
            update(BankImport).where(BankImport.id == uuid.UUID(import_id)).values(parsed=None)
        )
        session.commit()
    done = commit(client, alice, import_id)
    assert done["counts"]["created"] == 4
    assert balance(client, alice, account) == "195.50"


def test_a_failure_while_the_booking_runs_alongside_leaves_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = upload(client, alice, account, csv_file([("01/07/2025", "Coffee", "-4.50", "R1")]))
    real_prepare = commit_module._prepare

    def failing_prepare(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("half-way")

    monkeypatch.setattr(commit_module, "_prepare", failing_prepare)
    failed = commit(client, alice, found["id"], expect_job="failed")
    assert failed["status"] == "failed"
    assert entries(client, alice, account) == []
    assert balance(client, alice, account) == "0.00"
    monkeypatch.setattr(commit_module, "_prepare", real_prepare)
    real_post = ledger_service.bulk_post

    def failing_post(*args: Any, **kwargs: Any) -> Any:
        real_post(*args, **kwargs)
        raise RuntimeError("after booking")

    def failing_before_staging(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("before staging")  # `staged` never called: nothing waits on it

    for failing in (failing_post, failing_before_staging):
        monkeypatch.setattr(ledger_service, "bulk_post", failing)
        failed = commit(client, alice, found["id"], expect_job="failed")
        assert entries(client, alice, account) == []
        assert balance(client, alice, account) == "0.00"
    monkeypatch.setattr(ledger_service, "bulk_post", real_post)
    done = commit(client, alice, found["id"])
    assert done["counts"]["created"] == 1
    assert balance(client, alice, account) == "-4.50"


class _Bind:
    class dialect:  # noqa: N801 (the shape of an engine's dialect)
        name = "postgresql"


class _FakeSession:
    def get_bind(self) -> type[_Bind]:
        return _Bind


def test_alongside_returns_both_results_and_raises_the_statements_error_first() -> None:
    session: Any = _FakeSession()
    assert overlap.alongside(session, lambda: 1, lambda: 2) == (1, 2)

    def statements() -> int:
        raise ValueError("statement")

    def python() -> int:
        raise KeyError("python")

    with pytest.raises(ValueError, match="statement"):
        overlap.alongside(session, statements, python)
    with pytest.raises(KeyError):
        overlap.alongside(session, lambda: 1, python)
    with pytest.raises(ValueError, match="statement"):
        overlap.alongside(session, statements, lambda: 2)


def test_alongside_with_ready_runs_the_python_once_the_work_sets_it() -> None:
    session: Any = _FakeSession()  # PostgreSQL's shape: the work runs in a thread
    ready = threading.Event()
    order: list[str] = []

    def statements() -> int:
        time.sleep(0.2)  # staging rows: without `ready` the Python would start meanwhile
        order.append("staged")
        ready.set()
        return 1

    def python() -> int:
        order.append("python")
        return 2

    assert overlap.alongside(session, statements, python, ready=ready) == (1, 2)
    assert order[0] == "staged"


def test_alongside_with_ready_goes_on_when_the_work_fails_before_setting_it() -> None:
    session: Any = _FakeSession()

    def statements() -> int:
        raise ValueError("before staging")

    with pytest.raises(ValueError, match="before staging"):
        overlap.alongside(session, statements, lambda: 2, ready=threading.Event())


def test_behind_runs_its_work_once_and_raises_its_error_first() -> None:
    session: Any = _FakeSession()
    ran: list[int] = []
    with overlap.Behind(session, lambda: ran.append(1)) as work:
        work.start()
        work.start()
    assert ran == [1]
    with overlap.Behind(session, lambda: ran.append(2)):
        pass  # never started: run when the block ends
    assert ran == [1, 2]

    def statements() -> None:
        raise ValueError("statement")

    def block() -> None:
        with overlap.Behind(session, statements) as work:
            work.start()
            raise KeyError("the block's own, once the transaction is aborted")

    with pytest.raises(ValueError, match="statement"):
        block()
