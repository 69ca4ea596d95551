"""The practice pages over HTTP: the client portfolio (statistics, new-client form), a
client's page (trend charts and history), the history of analyses, clearing history,
deleting a client, a client chosen on the upload page (its history, its saved mapping);
a viewer sees no write form and is refused; another tenant's client is a 404."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register
from tests.web.ledger_helpers import api, post_form
from tests.web.test_diagnostics_pages import COMPANY, analyse, embedded_analysis

UNNAMED = b"A;B;C\n1000;Cash at bank;500,00\n2000;Bank loan;-500,00\n"


def add_client(client: TestClient, name: str, **fields: str) -> str:
    response = post_form(
        client, "/diagnostics/clients", {"name": name, "fiscal_year_end": "06-30", **fields}
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/diagnostics/clients/([0-9a-f-]{36})", response.headers["location"])
    assert match
    return match.group(1)


def test_a_client_is_added_and_its_analyses_are_charted_and_listed(
    signed_in: TestClient,
) -> None:
    empty = signed_in.get("/diagnostics/clients")
    assert empty.status_code == 200
    assert 'data-testid="no-clients"' in empty.text
    client_id = add_client(signed_in, "Harbour Bakery Pty Ltd", industry="Food")
    page = signed_in.get(f"/diagnostics/clients/{client_id}")
    assert "Client Harbour Bakery Pty Ltd added." in page.text
    assert 'data-testid="no-trends"' in page.text
    upload = signed_in.get(f"/diagnostics?client_id={client_id}").text
    assert f'<option value="{client_id}" selected>Harbour Bakery Pty Ltd</option>' in upload
    for amount in ("50000", "1000"):
        fields = {"client_id": client_id, "mat.mode": "amount", "mat.amount": amount}
        assert analyse(signed_in, "company.csv", COMPANY, **fields).status_code == 200
    page = signed_in.get(f"/diagnostics/clients/{client_id}").text
    assert page.count('data-testid="history-row"') == 2
    assert page.count("<svg") == 4  # risk, category totals, liquidity, margins
    assert "Risk score" in page
    assert "Category totals" in page
    assert "1,186,980.33" in page  # the totals, kept as aggregate figures
    portfolio = signed_in.get("/diagnostics/clients").text
    assert re.search(
        r"Harbour Bakery Pty Ltd</a></td>\s*<td>Food</td>\s*<td>06-30</td>\s*<td class=\"num\">2<",
        portfolio,
    )
    history = signed_in.get("/diagnostics/history").text
    assert "2 analyses, newest first" in history
    assert history.count("<td>Harbour Bakery Pty Ltd</td>") == 2


def test_the_new_client_form_names_bad_fields(signed_in: TestClient) -> None:
    blank = post_form(signed_in, "/diagnostics/clients", {"name": "  ", "fiscal_year_end": "06-30"})
    assert blank.status_code == 422
    assert "Name is required" in blank.text
    bad = post_form(signed_in, "/diagnostics/clients", {"name": "X", "fiscal_year_end": "13-45"})
    assert bad.status_code == 422
    assert 'id="f-fiscal_year_end"' in bad.text
    assert "field-error" in bad.text
    add_client(signed_in, "Twice Ltd")
    again = post_form(
        signed_in, "/diagnostics/clients", {"name": "twice ltd", "fiscal_year_end": "06-30"}
    )
    assert again.status_code == 409


def test_clearing_history_and_deleting_a_client(signed_in: TestClient) -> None:
    client_id = add_client(signed_in, "Clearwater Co")
    analyse(signed_in, "company.csv", COMPANY, client_id=client_id)
    analyse(signed_in, "company.csv", COMPANY)  # no client
    cleared = post_form(signed_in, "/diagnostics/history/clear", {"client_id": client_id})
    assert cleared.status_code == 303
    assert cleared.headers["location"] == f"/diagnostics/clients/{client_id}"
    page = signed_in.get(cleared.headers["location"]).text
    assert "History cleared: 1 analysis deleted." in page
    assert 'data-testid="no-history"' in page
    assert "1 analysis, newest first" in signed_in.get("/diagnostics/history").text
    bad = post_form(signed_in, "/diagnostics/history/clear", {"client_id": "nope"})
    assert bad.status_code == 422
    deleted = post_form(signed_in, f"/diagnostics/clients/{client_id}/delete", {})
    assert deleted.status_code == 303
    assert signed_in.get(f"/diagnostics/clients/{client_id}").status_code == 404
    everything = post_form(signed_in, "/diagnostics/history/clear", {})
    assert everything.headers["location"] == "/diagnostics/history"
    assert 'data-testid="no-history"' in signed_in.get("/diagnostics/history").text


def test_a_mapping_saved_for_a_client_is_used_next_time(signed_in: TestClient) -> None:
    client_id = add_client(signed_in, "Unnamed Columns Pty Ltd")
    asked = analyse(signed_in, "tb.csv", UNNAMED, client_id=client_id)
    assert asked.status_code == 422
    assert 'data-testid="save-mapping"' in asked.text
    mapping = {"map.number": "0", "map.name": "1", "map.net": "2", "map.header_line": "1"}
    saved = analyse(signed_in, "tb.csv", UNNAMED, client_id=client_id, save_mapping="1", **mapping)
    assert saved.status_code == 200, saved.text
    again = analyse(signed_in, "tb.csv", UNNAMED, client_id=client_id)
    assert again.status_code == 200, again.text
    assert embedded_analysis(again.text)["mapping_source"] == "client"
    assert "columns from the client's saved mapping" in again.text
    assert "saved column mapping" in signed_in.get(f"/diagnostics/clients/{client_id}").text


def test_a_viewer_sees_no_forms_and_is_refused_and_another_tenant_gets_404(
    signed_in: TestClient,
) -> None:
    client_id = add_client(signed_in, "Owner's Client")
    viewer_account = new_account()
    viewer = TestClient(signed_in.app, follow_redirects=False)
    register(viewer, viewer_account)
    (tenant,) = signed_in.get("/api/v1/tenants", headers=api(signed_in)).json()
    invited = signed_in.post(
        f"/api/v1/tenants/{tenant['id']}/members",
        json={"email": viewer_account.email, "role": "viewer"},
        headers=api(signed_in),
    )
    assert invited.status_code == 201, invited.text
    assert post_form(viewer, "/switch-tenant", {"tenant_id": tenant["id"]}).status_code == 303
    portfolio = viewer.get("/diagnostics/clients").text
    assert "Owner&#39;s Client" in portfolio
    assert 'data-testid="client-form"' not in portfolio
    assert 'data-testid="delete-client"' not in viewer.get(f"/diagnostics/clients/{client_id}").text
    assert post_form(viewer, "/diagnostics/clients", {"name": "V"}).status_code == 403
    assert post_form(viewer, "/diagnostics/history/clear", {}).status_code == 403
    assert post_form(viewer, f"/diagnostics/clients/{client_id}/delete", {}).status_code == 403
    # A viewer may still analyse (data.read): nothing is written but the history row.
    assert analyse(viewer, "company.csv", COMPANY).status_code == 200
    stranger = TestClient(signed_in.app, follow_redirects=False)
    register(stranger, new_account())
    assert stranger.get(f"/diagnostics/clients/{client_id}").status_code == 404
    assert stranger.get(f"/diagnostics/clients/{uuid.uuid4()}").status_code == 404
    refused = analyse(stranger, "company.csv", COMPANY, client_id=client_id)
    assert refused.status_code == 404
    assert "client" in refused.text.lower()


def test_a_clients_materiality_applies_and_the_page_says_so(signed_in: TestClient) -> None:
    created = signed_in.post(
        "/api/v1/clients",
        json={"name": "Set Materiality Ltd", "materiality": {"amount": "12345"}},
        headers=api(signed_in),
    )
    assert created.status_code == 201, created.text
    page = analyse(signed_in, "company.csv", COMPANY, client_id=created.json()["id"])
    assert page.status_code == 200, page.text[:300]
    assert 'data-testid="materiality-overall">12,345.00<' in page.text
    assert "Taken: basis from the client&#39;s settings." in page.text
    typed = analyse(
        signed_in,
        "company.csv",
        COMPANY,
        client_id=created.json()["id"],
        **{"mat.mode": "amount", "mat.amount": "500"},
    )
    assert 'data-testid="materiality-overall">500.00<' in typed.text  # the request wins
    assert "Taken: basis" not in typed.text
