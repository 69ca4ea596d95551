"""The flux page over HTTP: two trial balances compared (summary, structural changes,
accounts by variance risk with readiness), thresholds as typed, the mapping dialog when
a file's columns are unclear, refusals in the page naming the file; zero storage's CSRF
rule (a multipart post without the header is refused)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.test_diagnostics_pages import HTMX, token

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
CURRENT = (FIXTURES / "flux_current_fy2026.csv").read_bytes()
PRIOR = (FIXTURES / "flux_prior_fy2025.csv").read_bytes()


def compare(
    client: TestClient, current: bytes, prior: bytes, *, csrf: bool = True, **fields: str
) -> httpx.Response:
    headers = {**HTMX, **({"X-CSRF-Token": token(client)} if csrf else {})}
    files = {"current": ("fy2026.csv", current), "prior": ("fy2025.csv", prior)}
    return client.post("/diagnostics/flux", files=files, data=fields, headers=headers)


def risks(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="flux-row" data-key="([^"]+)" data-risk="(\w+)"', html))


def test_the_flux_page_has_two_file_inputs_and_its_tab(signed_in: TestClient) -> None:
    page = signed_in.get("/diagnostics/flux")
    assert page.status_code == 200
    assert 'name="current"' in page.text
    assert 'name="prior"' in page.text
    assert '<a href="/diagnostics/flux" aria-current="page">Flux</a>' in page.text


def test_two_periods_are_compared_into_risk_readiness_and_structural_changes(
    signed_in: TestClient,
) -> None:
    response = compare(signed_in, CURRENT, PRIOR)
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert "<html" not in html
    assert 'data-testid="flux-high">19 / 43<' in html
    assert "Term Deposit - Westpac: 50,000.00" in html  # a new account
    assert "Hire Purchase - Forklift: was -18,250.00" in html  # a removed one
    assert "GST Payable: -18,422.00 → 6,145.30" in html  # a sign flip
    assert "Website Development: expense (O) → asset (D)" in html
    found = risks(html)
    assert found["1-1110"] == "high"
    # Most risky first: no "medium" row before the last "high" one.
    order = list(found.values())
    assert order == sorted(order, key=["high", "medium", "low", "none"].index)
    assert "Obtain the bank reconciliation" in html
    assert "-88.0 %" in html  # cash at bank -0.8796 as a percentage


def test_thresholds_as_typed_change_the_risk(signed_in: TestClient) -> None:
    strict = compare(signed_in, CURRENT, PRIOR, **{"thr.high_pct": "95", "thr.medium_pct": "90"})
    assert strict.status_code == 200, strict.text[:500]
    assert risks(strict.text)["1-1110"] != "high"  # -88 % is under 95 %
    assert "≥ 95.0 %" in strict.text
    bad = compare(signed_in, CURRENT, PRIOR, **{"thr.high_pct": "lots"})
    assert bad.status_code == 422
    assert "thresholds.high_pct must be a number" in bad.text
    inverted = compare(signed_in, CURRENT, PRIOR, **{"thr.high_pct": "5", "thr.medium_pct": "50"})
    assert inverted.status_code == 422
    assert "thresholds" in inverted.text


def test_unclear_columns_open_the_mapping_dialog_for_that_file(signed_in: TestClient) -> None:
    unnamed = b"A;B;C\n1000;Cash at bank;500,00\n2000;Bank loan;-500,00\n"
    asked = compare(signed_in, CURRENT, unnamed)
    assert asked.status_code == 422
    assert 'data-testid="mapping-dialog"' in asked.text
    assert "The prior file:" in asked.text
    assert "Cash at bank" in asked.text  # the preview of that file


def test_refusals_name_the_file_and_plain_multipart_is_refused(signed_in: TestClient) -> None:
    empty = compare(signed_in, CURRENT, b"")
    assert empty.status_code == 422
    assert 'data-testid="diag-error"' in empty.text
    assert "prior" in empty.text
    refused = compare(signed_in, CURRENT, PRIOR, csrf=False, csrf_token=token(signed_in))
    assert refused.status_code == 403


def test_zero_storage_two_large_files_through_the_page_spool_nothing(
    signed_in: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    spooled: list[str] = []
    original = tempfile.SpooledTemporaryFile.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        spooled.append("SpooledTemporaryFile")
        original(self, *args, **kwargs)

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "__init__", spy)

    def tb(amount: str) -> bytes:
        lines = [b"Account No,Account Name,Debit,Credit"]
        lines += [
            b"%d,Expense account %d,%s," % (10000 + i, i, amount.encode()) for i in range(36_000)
        ]
        total = 36_000 * int(amount.split(".")[0])
        lines.append(b"99999,Offset,,%d.00" % total)
        return b"\n".join(lines) + b"\n"

    current, prior = tb("2.00"), tb("1.00")
    assert min(len(current), len(prior)) > 1024 * 1024
    response = compare(signed_in, current, prior)
    assert response.status_code == 200, response.text[:300]
    assert spooled == []
