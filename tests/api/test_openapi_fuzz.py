"""Every operation of the API, fed requests generated from its own OpenAPI document
(schemathesis: parameters and bodies that fit the schema, and ones that do not), answers
without a server error: bad input gets a 4xx naming the problem, never a 500.

The requests go through the real app over HTTP (`client`), signed in as the owner of a
tenant that has an account, a category, a transaction, a goal, a rule, an import and
more (`tests/support/fuzz_ids.py`), whose ids the operations with such a path parameter
are given (random ids would only ever reach the 404), on both databases. Generation is
derandomised, so a run is repeatable; a failure lists each operation's first failing
request.
"""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from tests.support.builders import register
from tests.support.fuzz_ids import known_ids

# Signing out, or changing the password, would end the session the run goes on with.
_SKIPPED = {"/api/v1/auth/logout", "/api/v1/auth/logout-all", "/api/v1/auth/change-password"}


def test_no_request_answers_a_server_error(client: TestClient) -> None:
    owner = register(client)
    known = known_ids(client, owner.headers, str(owner.tenant_id), str(owner.user_id))
    # the app's own document, not fetched through schemathesis's client: that would run
    # the app's lifespan a second time, whose end shuts the job pool the app goes on with
    schema = schemathesis.openapi.from_dict(client.app.openapi())
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100  # the whole API, not an empty document
    for operation in operations:
        if operation.path in _SKIPPED:
            continue
        ids = {name: value for name, value in known.items() if f"{{{name}}}" in operation.path}
        cases = st.one_of(
            operation.as_strategy(mode, path_parameters=ids or None) for mode in GenerationMode
        )
        failure = _first_failure(client, owner.headers, cases)
        if failure is not None:
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n".join(failures)


def _for_httpx(kwargs: dict[str, Any]) -> dict[str, Any]:
    """schemathesis builds `requests` arguments; the test client is httpx's, which takes
    raw bytes as `content` and a file part's content only as bytes."""
    kwargs.pop("cookies", None)
    if isinstance(kwargs.get("data"), bytes | str) and not kwargs.get("files"):
        kwargs["content"] = kwargs.pop("data")
    if kwargs.get("files"):
        kwargs["files"] = [(name, _part(value)) for name, value in _items(kwargs["files"])]
    return kwargs


def _items(files: Any) -> list[tuple[str, Any]]:
    return list(files.items()) if isinstance(files, dict) else list(files)


def _part(value: Any) -> Any:
    if isinstance(value, tuple):
        return (value[0], _bytes(value[1]), *value[2:])
    return _bytes(value)


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.read() if hasattr(value, "read") else str(value).encode()


def _first_failure(client: TestClient, headers: dict[str, str], cases: Any) -> str | None:
    found: list[str] = []

    @settings(
        max_examples=8,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases)
    def run(case: Any) -> None:
        kwargs = _for_httpx(case.as_transport_kwargs(base_url="http://testserver"))
        kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
        response = client.request(**kwargs)
        if response.status_code >= 500 and not found:
            # the request without its headers (the bearer token among them)
            shown = {k: v for k, v in kwargs.items() if k != "headers"}
            found.append(f"{response.status_code} for {shown}")

    run()
    return found[0] if found else None
