"""The journal-entry testing page over HTTP: a general ledger tested (population, the
tests run or why not, flagged entries by score), options as typed, the mapping dialog
with the ledger's own roles, refusals in the page."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.web.test_diagnostics_pages import HTMX, token

LEDGER = Path(__file__).parents[1] / "fixtures" / "diagnostics" / "general_ledger_fy2025.csv"


def post_journal(client: TestClient, data: bytes, **fields: str) -> httpx.Response:
    headers = {**HTMX, "X-CSRF-Token": token(client)}
    return client.post(
        "/diagnostics/journal", files={"file": ("gl.csv", data)}, data=fields, headers=headers
    )


def test_the_page_and_its_tab(signed_in: TestClient) -> None:
    page = signed_in.get("/diagnostics/journal")
    assert page.status_code == 200
    assert '<a href="/diagnostics/journal" aria-current="page">Journal entries</a>' in page.text


def test_a_ledger_is_tested_into_scored_entries(signed_in: TestClient) -> None:
    response = post_journal(signed_in, LEDGER.read_bytes(), period_end="2025-06-30")
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert "<html" not in html
    assert 'data-testid="je-flagged">14 entries' in html
    scores = [
        int(s)
        for s in re.findall(r'data-testid="je-entry" data-entry="\w+" data-score="(\d+)"', html)
    ]
    assert scores == sorted(scores, reverse=True)
    assert 'data-entry="10835" data-score="50"' in html
    assert "Not run: No threshold was given." in html
    assert "3 numbers missing in the entry sequence: 10495\N{EN DASH}10497." in html
    with_threshold = post_journal(
        signed_in, LEDGER.read_bytes(), period_end="2025-06-30", threshold="10000"
    )
    assert "No threshold was given" not in with_threshold.text


def test_bad_options_and_unclear_columns(signed_in: TestClient) -> None:
    bad = post_journal(signed_in, LEDGER.read_bytes(), period_end="30/06/2025")
    assert bad.status_code == 422
    assert "period_end" in bad.text
    ledger = b"Ref;When;Acct;Value\n1;2025-01-03;1000;10.00\n1;2025-01-03;2000;-10.00\n"
    asked = post_journal(signed_in, ledger)
    assert asked.status_code == 422
    assert 'data-testid="mapping-dialog"' in asked.text
    assert 'name="map.entry"' in asked.text  # the ledger's roles, not a trial balance's
    assert 'name="map.user"' in asked.text
    mapping = {"map.entry": "0", "map.date": "1", "map.account": "2", "map.amount": "3"}
    mapped = post_journal(signed_in, ledger, **mapping, **{"map.header_line": "1"})
    assert mapped.status_code == 200, mapped.text[:300]
    assert '<input type="hidden" name="map.amount" value="3">' in mapped.text
    empty = post_journal(signed_in, b"")
    assert empty.status_code == 422
    assert "The uploaded file is empty." in empty.text
