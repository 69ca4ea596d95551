"""POST /api/v1/recurring/detect and GET /api/v1/balances/forecast over HTTP (in-process).

Builds one synthetic household (bench_recurring's generator, shifted to end today: three
years, ~2,000 transactions, 12 true series) through the JSON API on a throw-away SQLite
database, then times detection (first run creates the suggestions, later runs refresh
them), confirms every suggestion, and times the forecast for 3, 6 and 12 months.

    .venv/bin/python bench/bench_recurring_api.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("FISCUS_ARGON2_TIME_COST", "1")
os.environ.setdefault("FISCUS_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("FISCUS_LOG_LEVEL", "WARNING")

from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.db.migrate import upgrade
from fiscus.main import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_recurring


def _timed(runs: int, call: Callable[[], object]) -> str:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms ({runs} runs)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp())
    url = f"sqlite:///{var / 'bench.db'}"
    upgrade(url)
    settings = Settings(database_url=url, var_dir=var, env="test", secret_key="x" * 40)
    with TestClient(create_app(settings)) as client:
        body = {"email": "bench@example.com", "password": "a long bench passphrase", "name": "B"}
        token = client.post("/api/v1/auth/register", json=body).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        def post(path: str, payload: dict[str, object]) -> dict[str, object]:
            response = client.post(path, json=payload, headers=headers)
            assert response.status_code in (200, 201), response.text
            result: dict[str, object] = response.json()
            return result

        bank = post("/api/v1/accounts", {"name": "Everyday", "type": "asset"})["id"]
        spend = post("/api/v1/categories", {"name": "Spending", "type": "expense"})["id"]
        pay = post("/api/v1/categories", {"name": "Pay", "type": "income"})["id"]
        today = date.fromisoformat(
            str(client.get("/api/v1/balances/forecast", headers=headers).json()["start"])
        )
        shift = today - bench_recurring.END
        rng = random.Random(11)
        account = uuid.uuid4()
        series, _ = bench_recurring._series(rng, account)
        rows = series + bench_recurring._noise(rng, account)
        began = time.perf_counter()
        for m in rows:
            post(
                "/api/v1/transactions",
                {
                    "date": (m.on + shift).isoformat(),
                    "description": m.payee,
                    "payee": m.payee,
                    "amount": f"{abs(m.amount) / 100:.2f}",
                    "type": "income" if m.amount > 0 else "expense",
                    "account_id": bank,
                    "category_id": pay if m.amount > 0 else spend,
                },
            )
        print(f"seeded {len(rows)} transactions in {time.perf_counter() - began:.0f} s")
        first = time.perf_counter()
        result = post("/api/v1/recurring/detect", {})
        print(f"detect, first run: {(time.perf_counter() - first) * 1000:.0f} ms -> {result}")
        print("detect, again:", _timed(args.runs, lambda: post("/api/v1/recurring/detect", {})))
        items = client.get("/api/v1/recurring", params={"limit": 200}, headers=headers).json()[
            "items"
        ]
        for item in items:
            post(f"/api/v1/recurring/{item['id']}/confirm", {})
        for months in (3, 6, 12):

            def read(m: int = months) -> None:
                response = client.get(
                    "/api/v1/balances/forecast", params={"months": m}, headers=headers
                )
                assert response.status_code == 200, response.text

            print(f"forecast months={months}:", _timed(args.runs, read))


if __name__ == "__main__":
    main()
