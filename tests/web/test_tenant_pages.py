"""Creating a tenant with the form, switching tenants, and the error page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.helpers import csrf_of, new_account, register

VALID = {
    "name": "Acme Pty Ltd",
    "kind": "business",
    "base_currency": "aud",
    "timezone": "Australia/Perth",
    "fiscal_year_start": "07-01",
}


def _create(client: TestClient, **fields: str) -> tuple[int, str]:
    token = client.cookies["fiscus_csrf"]
    response = client.post("/tenants/new", data={**VALID, **fields, "csrf_token": token})
    return response.status_code, response.text


def _tenant_id(page: str, name: str) -> str:
    match = re.search(r'name="tenant_id" value="([0-9a-f-]{36})"[^>]*>\s*<span[^>]*>' + name, page)
    assert match, f"{name} not in the tenant switcher"
    return match.group(1)


def test_the_form_offers_sensible_defaults(signed_in: TestClient) -> None:
    page = signed_in.get("/tenants/new").text
    assert 'value="AUD"' in page
    assert 'value="Australia/Sydney"' in page
    assert 'value="07-01"' in page
    assert '<option value="business" selected>' in page


def test_invalid_fields_are_reported_beside_each_field(signed_in: TestClient) -> None:
    status, page = _create(
        signed_in,
        name="   ",
        base_currency="dollars",
        timezone="Mars/Olympus",
        fiscal_year_start="02-30",
    )
    assert status == 422
    assert "Name is required" in page
    assert "Base currency must be a three-letter ISO 4217 code such as AUD" in page
    assert "Time zone must be an IANA time zone such as Australia/Sydney" in page
    assert "Financial year starts must be MM-DD with a day that exists in every year" in page
    assert page.count('aria-invalid="true"') == 4
    # what the user typed is kept
    assert 'value="DOLLARS"' in page
    assert 'value="Mars/Olympus"' in page
    assert 'value="02-30"' in page


def test_an_unknown_kind_is_refused(signed_in: TestClient) -> None:
    status, page = _create(signed_in, kind="cooperative")
    assert status == 422
    assert "Kind must be one of the options shown" in page


def test_htmx_gets_only_the_form_back(signed_in: TestClient) -> None:
    token = signed_in.cookies["fiscus_csrf"]
    response = signed_in.post(
        "/tenants/new",
        data={**VALID, "name": ""},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<form id="tenant-form"')
    assert "<nav" not in response.text
    assert "Name is required" in response.text


def test_creating_then_switching_tenant(signed_in: TestClient) -> None:
    status, _ = _create(signed_in, name="Acme Pty Ltd")
    assert status == 303
    dashboard = signed_in.get("/").text
    assert "Created Acme Pty Ltd." in dashboard
    assert 'id="tenant-title">Test User' in dashboard  # still in the personal tenant

    tenant_id = _tenant_id(dashboard, "Acme Pty Ltd")
    response = signed_in.post(
        "/switch-tenant",
        data={"tenant_id": tenant_id, "csrf_token": signed_in.cookies["fiscus_csrf"]},
    )
    assert response.status_code == 303
    page = signed_in.get("/").text
    assert "Switched to Acme Pty Ltd." in page
    assert 'id="tenant-title">Acme Pty Ltd<' in page
    assert 'data-testid="tenant-currency">AUD<' in page
    assert 'data-testid="tenant-kind">Business<' in page
    assert 'data-testid="tenant-role">owner<' in page


def test_switching_to_someone_elses_tenant_is_not_found(
    signed_in: TestClient, page_client: TestClient
) -> None:
    with TestClient(page_client.app, follow_redirects=False) as other:
        register(other, new_account())
        foreign = re.search(r'name="tenant_id" value="([0-9a-f-]{36})"', other.get("/").text)
        assert foreign
    response = signed_in.post(
        "/switch-tenant",
        data={"tenant_id": foreign.group(1), "csrf_token": signed_in.cookies["fiscus_csrf"]},
    )
    assert response.status_code == 404
    assert "The tenant does not exist." in response.text
    assert "Request id:" in response.text


def test_unknown_pages_render_the_error_page(page_client: TestClient) -> None:
    csrf_of(page_client)
    response = page_client.get("/no/such/page", headers={"X-Request-ID": "req-12345678"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "req-12345678" in response.text
    assert "Traceback" not in response.text
    api = page_client.get("/api/v1/no-such-thing")
    assert api.headers["content-type"] == "application/problem+json"


def test_pages_carry_security_headers(page_client: TestClient) -> None:
    response = page_client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_static_assets_are_served(page_client: TestClient) -> None:
    assert page_client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    assert page_client.get("/static/vendor/pico/pico.min.css").status_code == 200
    assert page_client.get("/static/app.css").status_code == 200
