"""Fuzz the whole API of a real server with schemathesis's CLI: the broad run.

`tests/api/test_openapi_fuzz.py` runs a small, derandomised fuzz of every operation in
the test suite. This is the larger look: a throw-away migrated database (PostgreSQL by
default), `fiscus serve` on it, a user whose tenant has an account, a category, an
entry, a goal, a rule, an anchor, an exchange rate, a tax return and an uploaded import
(`tests/support/fuzz_ids.py`: their ids are given to the operations with such a path
parameter, so requests reach the routes' logic rather than a 404), then schemathesis's
coverage and fuzzing phases on every operation with N examples each, failing on any 5xx.

Left out: the operations that would end the run's own session (signing out, changing
the password, removing or demoting a member — the fuzzer may pick the caller — and the
tenant itself), which would turn every later request into a 401 and test nothing. The
run checks at the end that its session is still valid and says so if not.

    PYTHONPATH=. .venv/bin/python scripts/fuzz_api.py [--backend sqlite] [--examples 60]

Exit status: schemathesis's (0: no server error), or 3 if the session was lost.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from bench.wrk_support import Server
from tests.support.databases import create_database, drop_database
from tests.support.fuzz_ids import known_ids

EXCLUDED = (
    r"(/auth/(logout|logout-all|change-password)"
    r"|^/api/v1/tenants/\{tenant_id\}"
    r"|/members/\{user_id\})$"
)
PASSWORD = "a fuzzing passphrase, long enough"  # noqa: S105 (a throw-away database)


def _known_ids(base: str) -> tuple[str, dict[str, str]]:
    """A new user's access token, and the ids the path parameters are given."""
    client = httpx.Client(base_url=base, timeout=30)
    body = {"email": "fuzz@example.com", "password": PASSWORD, "name": "Fuzz"}
    registered = client.post("/api/v1/auth/register", json=body)
    registered.raise_for_status()
    made = registered.json()
    token = made["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    return token, known_ids(client, headers, str(made["tenant"]["id"]), str(made["user"]["id"]))


def _config(directory: Path, ids: dict[str, str]) -> Path:
    lines = ["[parameters]", *(f'"path.{name}" = "{value}"' for name, value in ids.items())]
    path = directory / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--examples", type=int, default=40, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="fiscus-fuzz-"))
    database = create_database(args.backend, directory)
    try:
        server = Server(database.admin_url, database.app_url, workers=1)
        server.env["FISCUS_ACCESS_TOKEN_TTL_SECONDS"] = "3600"  # noqa: S105 (the longest allowed)
        with server:
            token, ids = _known_ids(server.base)
            command = [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(_config(directory, ids)),
                "run",
                f"{server.base}/openapi.json",
                "-H",
                f"Authorization: Bearer {token}",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                str(args.examples),
                "--phases",
                "coverage,fuzzing",
                "--exclude-path-regex",
                EXCLUDED,
                "--seed",
                str(args.seed),
            ]
            status = subprocess.run(command, check=False, cwd=directory).returncode  # noqa: S603
            still = httpx.get(
                f"{server.base}/api/v1/accounts", headers={"Authorization": f"Bearer {token}"}
            )
            if still.status_code != 200:
                print(f"the run's session ended ({still.status_code}): later requests got 401s")
                return status or 3
            return status
    finally:
        drop_database(database)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
