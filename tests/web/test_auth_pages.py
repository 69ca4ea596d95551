"""Register, log in and log out through the HTML pages, and where they send people."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import Account, csrf_of, new_account, register, set_cookie


def _login(client: TestClient, email: str, password: str, next_url: str = "/") -> httpx.Response:
    token = csrf_of(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "next": next_url, "csrf_token": token},
    )


def test_register_signs_in_with_httponly_cookies_and_greets(page_client: TestClient) -> None:
    account = new_account()
    register(page_client, account)
    cookies = page_client.cookies
    assert cookies.get("fiscus_access")
    assert cookies.get("fiscus_refresh")

    dashboard = page_client.get("/")
    assert dashboard.status_code == 200
    assert f"Welcome to Fiscus, {account.name}." in dashboard.text  # the flash message
    assert account.name in dashboard.text  # personal tenant named after the user
    assert "owner" in dashboard.text
    assert "Welcome to Fiscus" not in page_client.get("/").text  # shown once only


def test_session_cookies_are_httponly_and_samesite(page_client: TestClient) -> None:
    token = csrf_of(page_client, "/register")
    account = new_account()
    response = page_client.post(
        "/register",
        data={**account.__dict__, "csrf_token": token},
    )
    set_cookie = response.headers.get_list("set-cookie")
    for name in ("fiscus_access", "fiscus_refresh"):
        header = next(h for h in set_cookie if h.startswith(f"{name}="))
        assert "HttpOnly" in header
        assert "SameSite=lax" in header
    csrf_header = next(h for h in set_cookie if h.startswith("fiscus_csrf="))
    assert "HttpOnly" not in csrf_header


def test_register_errors_are_shown_per_field_and_keep_input(page_client: TestClient) -> None:
    token = csrf_of(page_client, "/register")
    response = page_client.post(
        "/register",
        data={"name": "Ada", "email": "not-an-email", "password": "short", "csrf_token": token},
    )
    assert response.status_code == 422
    assert 'value="Ada"' in response.text
    assert 'value="not-an-email"' in response.text
    assert "E-mail is not a valid e-mail address" in response.text
    assert 'value="short"' not in response.text  # passwords are never echoed back

    weak = page_client.post(
        "/register",
        data={"name": "Ada", "email": "ada@example.com", "password": "short", "csrf_token": token},
    )
    assert weak.status_code == 422
    assert "Password must be at least 8 characters" in weak.text
    assert 'id="f-password" name="password" type="password" aria-invalid="true"' in weak.text


def test_register_with_a_taken_email_names_the_email_field(
    page_client: TestClient, account: Account
) -> None:
    register(page_client, account)
    page_client.post("/logout", data={"csrf_token": page_client.cookies["fiscus_csrf"]})
    token = csrf_of(page_client, "/register")
    response = page_client.post(
        "/register",
        data={**account.__dict__, "name": "Someone Else", "csrf_token": token},
    )
    assert response.status_code == 409
    assert "An account with this e-mail address already exists." in response.text
    assert 'value="Someone Else"' in response.text


def test_wrong_password_is_refused_and_keeps_the_email(
    page_client: TestClient, account: Account
) -> None:
    register(page_client, account)
    page_client.cookies.clear()
    response = _login(page_client, account.email, "wrong password!")
    assert response.status_code == 401
    assert "The e-mail address or password is not correct." in response.text
    assert f'value="{account.email}"' in response.text
    assert page_client.get("/").status_code == 303


def test_repeated_failures_are_throttled_on_the_form(
    page_client: TestClient, account: Account
) -> None:
    register(page_client, account)
    page_client.cookies.clear()
    statuses = [
        _login(page_client, account.email, "wrong password!").status_code for _ in range(10)
    ]
    assert set(statuses) == {401}
    throttled = _login(page_client, account.email, account.password)
    assert throttled.status_code == 429
    assert "Too many failed logins" in throttled.text
    assert f'value="{account.email}"' in throttled.text


def test_login_goes_to_the_page_asked_for(page_client: TestClient, account: Account) -> None:
    register(page_client, account)
    page_client.cookies.clear()
    asked = page_client.get("/tenants/new")
    assert asked.status_code == 303
    assert asked.headers["location"] == "/login?next=/tenants/new"

    response = _login(page_client, account.email, account.password, next_url="/tenants/new")
    assert response.headers["location"] == "/tenants/new"
    assert page_client.get("/tenants/new").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/phish",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\r\nLocation: https://evil.example",
    ],
)
def test_open_redirects_are_refused(page_client: TestClient, account: Account, target: str) -> None:
    register(page_client, account)
    page_client.cookies.clear()
    response = _login(page_client, account.email, account.password, next_url=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/"

    already_signed_in = page_client.get("/login", params={"next": target})
    assert already_signed_in.status_code == 303
    assert already_signed_in.headers["location"] == "/"


def test_a_next_with_a_nul_is_refused_before_anything_happens(
    page_client: TestClient, account: Account
) -> None:
    register(page_client, account)
    page_client.cookies.clear()
    response = _login(page_client, account.email, account.password, next_url="/ok\x00")
    assert response.status_code == 422  # no U+0000 in any field (web/text_input.py)
    assert "location" not in response.headers
    assert page_client.get("/login", params={"next": "/ok\x00"}).status_code == 422


def test_absolute_next_falls_back_to_the_dashboard(
    page_client: TestClient, account: Account
) -> None:
    register(page_client, account)
    response = page_client.get("/login", params={"next": "https://evil.example/"})
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_logout_ends_the_session_server_side(signed_in: TestClient) -> None:
    access = signed_in.cookies["fiscus_access"]
    refresh = signed_in.cookies["fiscus_refresh"]
    response = signed_in.post("/logout", data={"csrf_token": signed_in.cookies["fiscus_csrf"]})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "fiscus_access" not in signed_in.cookies
    assert "You have been logged out." in signed_in.get("/login").text

    # Replaying the old cookies does not bring the session back.
    set_cookie(signed_in, "fiscus_access", access)
    set_cookie(signed_in, "fiscus_refresh", refresh)
    assert signed_in.get("/").status_code == 303
    api = signed_in.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {access}"})
    assert api.status_code == 401


def test_unauthenticated_pages_redirect_to_login(page_client: TestClient) -> None:
    response = page_client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    htmx = page_client.get("/tenants/new", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/login?next=/tenants/new"


def test_expired_access_token_is_refreshed_transparently(signed_in: TestClient) -> None:
    old_refresh = signed_in.cookies["fiscus_refresh"]
    set_cookie(signed_in, "fiscus_access", "expired-or-garbage")
    response = signed_in.get("/")
    assert response.status_code == 200
    assert signed_in.cookies["fiscus_refresh"] != old_refresh
    assert signed_in.cookies["fiscus_access"] != "expired-or-garbage"
    # and the new pair keeps working
    set_cookie(signed_in, "fiscus_access", "garbage-again")
    assert signed_in.get("/").status_code == 200


def test_replayed_refresh_token_logs_the_browser_out(signed_in: TestClient) -> None:
    stolen = signed_in.cookies["fiscus_refresh"]
    set_cookie(signed_in, "fiscus_access", "garbage")
    assert signed_in.get("/").status_code == 200  # rotates the refresh token
    set_cookie(signed_in, "fiscus_access", "garbage")
    set_cookie(signed_in, "fiscus_refresh", stolen)
    response = signed_in.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "fiscus_refresh" not in signed_in.cookies
