"""Every state-changing page request needs the CSRF token; without it nothing changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from fiscus.web import csrf
from tests.web.helpers import csrf_of, new_account, set_cookie


def _tenant_names(client: TestClient) -> list[str]:
    """The signed-in user's tenants, read through the JSON API with the session's token."""
    token = client.cookies["fiscus_access"]
    response = client.get("/api/v1/tenants", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return sorted(t["name"] for t in response.json())


def _tenant_form(token: str | None) -> dict[str, str]:
    form = {
        "name": "Forged Pty Ltd",
        "kind": "business",
        "base_currency": "AUD",
        "timezone": "Australia/Sydney",
        "fiscal_year_start": "07-01",
    }
    if token is not None:
        form["csrf_token"] = token
    return form


@pytest.mark.parametrize("token", [None, "", "x" * 43, "wrong"])
def test_tenant_creation_without_the_right_token_is_refused(
    signed_in: TestClient, token: str | None
) -> None:
    before = _tenant_names(signed_in)
    response = signed_in.post("/tenants/new", data=_tenant_form(token))
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    assert "text/html" in response.headers["content-type"]
    assert _tenant_names(signed_in) == before


def test_the_right_token_in_the_form_or_header_is_accepted(signed_in: TestClient) -> None:
    before = _tenant_names(signed_in)
    token = signed_in.cookies[csrf.COOKIE]
    assert signed_in.post("/tenants/new", data=_tenant_form(token)).status_code == 303
    form = {**_tenant_form(None), "name": "Via HTMX"}
    htmx = signed_in.post(
        "/tenants/new", data=form, headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert htmx.status_code == 200
    assert htmx.headers["HX-Redirect"] == "/"
    assert _tenant_names(signed_in) == sorted([*before, "Forged Pty Ltd", "Via HTMX"])


def test_a_token_from_another_browser_is_refused(signed_in: TestClient) -> None:
    """The token must match this browser's cookie, not merely be a token we issued."""
    own = signed_in.cookies[csrf.COOKIE]
    set_cookie(signed_in, csrf.COOKIE, "A" * 43)
    response = signed_in.post("/tenants/new", data=_tenant_form(own))
    assert response.status_code == 403


def test_registration_without_a_token_creates_no_account(page_client: TestClient) -> None:
    account = new_account()
    csrf_of(page_client, "/register")  # the cookie is there, the field is not
    response = page_client.post("/register", data=account.__dict__)
    assert response.status_code == 403
    assert "fiscus_access" not in page_client.cookies
    login = page_client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert login.status_code == 401


def test_logout_and_switch_without_a_token_change_nothing(signed_in: TestClient) -> None:
    assert signed_in.post("/logout").status_code == 403
    assert signed_in.post("/switch-tenant", data={"tenant_id": "x"}).status_code == 403
    assert signed_in.get("/").status_code == 200  # still signed in


def test_login_rotates_the_token(page_client: TestClient) -> None:
    account = new_account()
    before = csrf_of(page_client, "/register")
    page_client.post("/register", data={**account.__dict__, "csrf_token": before})
    after = page_client.cookies[csrf.COOKIE]
    assert after != before
    assert f'value="{after}"' in page_client.get("/").text


def test_api_routes_do_not_need_a_csrf_token(page_client: TestClient) -> None:
    account = new_account()
    response = page_client.post("/api/v1/auth/register", json=account.__dict__)
    assert response.status_code == 201


def test_an_htmx_request_with_a_bad_header_gets_an_error_toast(signed_in: TestClient) -> None:
    response = signed_in.post(
        "/tenants/new",
        data=_tenant_form(None),
        headers={"HX-Request": "true", "X-CSRF-Token": "forged"},
    )
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#toasts"
    assert response.text.lstrip().startswith('<div class="toast toast-error"')


def test_every_page_route_is_behind_the_csrf_check() -> None:
    """The check is a router dependency, so a new POST route cannot forget it."""
    from fastapi.routing import APIRoute

    from fiscus.web.views import router

    assert any(dep.dependency is csrf.protect for dep in router.dependencies)
    unsafe = {
        r.path
        for r in router.routes
        if isinstance(r, APIRoute) and {"POST", "PUT", "PATCH", "DELETE"} & r.methods
    }
    assert unsafe == {"/login", "/register", "/logout", "/switch-tenant", "/tenants/new"}
