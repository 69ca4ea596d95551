"""The import wizard pages over HTTP with cookies, like a browser (HTMX requests carry the
HX-Request and CSRF headers): upload, live re-read of the preview, duplicate decisions,
commit, result, undo; and another tenant's import answers as a missing one."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from tests.web.helpers import csrf_of

CSV = (
    b"Date,Description,Amount\n"
    b"01/07/2025,EFTPOS WOOLWORTHS 1234,-45.20\n"
    b"02/07/2025,SALARY ACME PTY LTD,2500.00\n"
    b"15/07/2025,DIRECT DEBIT TELSTRA,-89.99\n"
)


def sign_up(client: TestClient) -> dict[str, str]:
    """A new user signed in by cookies; returns the JSON API headers of the same session."""
    client.cookies.clear()
    client.post(
        "/register",
        data={
            "name": "Page User",
            "email": f"import-{uuid.uuid4().hex[:8]}@example.com",
            "password": "correct horse battery",
            "csrf_token": csrf_of(client, "/register"),
        },
        follow_redirects=False,
    )
    return {"Authorization": f"Bearer {client.cookies['fiscus_access']}"}


def htmx(client: TestClient) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": client.cookies["fiscus_csrf"]}


def account(client: TestClient, headers: dict[str, str], name: str, kind: str = "asset") -> str:
    response = client.post("/api/v1/accounts", json={"name": name, "type": kind}, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def upload(client: TestClient, account_id: str, content: bytes = CSV) -> str:
    response = client.post(
        "/imports",
        data={"account_id": account_id, "csrf_token": client.cookies["fiscus_csrf"]},
        files={"file": ("july.csv", content, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/imports/[0-9a-f-]{36}", location)
    return location


def balance(client: TestClient, headers: dict[str, str], account_id: str) -> str:
    response = client.get(f"/api/v1/accounts/{account_id}/balance", headers=headers)
    return str(response.json()["balance"])


def test_the_wizard_reads_books_and_undoes_a_csv(client: TestClient) -> None:
    headers = sign_up(client)
    bank = account(client, headers, "Everyday")
    salary = account(client, headers, "Salary", "income")
    body = {"date": "2025-07-02", "description": "Salary", "payee": "Salary Acme Pty Ltd"}
    body |= {"amount": "2500.00", "type": "income", "account_id": bank, "category_id": salary}
    assert client.post("/api/v1/transactions", json=body, headers=headers).status_code == 201
    wizard = upload(client, bank)

    page = client.get(wizard).text
    assert re.search(r'<option value="%d/%m/%Y" selected>', page)
    assert re.search(r'for="m-date_format">Date format <span class="confidence[^"]*"', page)
    assert page.count('data-testid="preview-row"') == 3
    assert page.count('data-testid="duplicate"') == 1

    # A changed date format re-reads the file: 15/07 is no month; only the review block.
    reread = client.post(
        wizard + "/mapping", data={"date_format": "%m/%d/%Y"}, headers=htmx(client)
    )
    assert reread.status_code == 200
    assert reread.text.lstrip().startswith('<div id="import-review">')
    assert "Line 4: " in reread.text
    assert reread.text.count('data-testid="preview-row"') == 2
    client.post(wizard + "/mapping", data={"date_format": "%d/%m/%Y"}, headers=htmx(client))

    refused = client.post(wizard + "/commit", data={}, headers=htmx(client))
    assert refused.status_code == 422
    assert "decide each one" in refused.text
    done = client.post(wizard + "/commit", data={"dup-3": "skip"}, headers=htmx(client))
    assert done.status_code == 200, done.text
    result = client.get(wizard + "/progress", headers=htmx(client)).text  # jobs run inline here
    assert re.search(r'data-testid="count-created">2<', result)
    assert re.search(r'data-testid="count-duplicates">1<', result)
    assert balance(client, headers, bank) == "2364.81"

    undone = client.post(wizard + "/undo", data={}, headers=htmx(client))
    assert undone.status_code == 200
    assert "Every transaction this import created has been removed" in undone.text
    assert balance(client, headers, bank) == "2500.00"
    listed = client.get("/imports").text
    assert "july.csv" in listed
    assert "Undone" in listed


def test_an_upload_without_a_file_or_account_names_both(client: TestClient) -> None:
    account(client, sign_up(client), "Everyday")
    response = client.post(
        "/imports", data={"csrf_token": client.cookies["fiscus_csrf"]}, follow_redirects=False
    )
    assert response.status_code == 422
    assert 'id="f-file-msg" class="field-error"' in response.text
    assert 'id="f-account_id-msg" class="field-error"' in response.text


def test_another_tenants_import_is_a_missing_one(client: TestClient) -> None:
    alice = sign_up(client)
    wizard = upload(client, account(client, alice, "Alice's bank"))
    sign_up(client)  # Bob, in his own tenant
    missing = f"/imports/{uuid.uuid4()}"
    for suffix, method in (("", "GET"), ("/progress", "GET"), ("/mapping", "POST")):
        for path in (wizard + suffix, missing + suffix):
            response = client.request(method, path, headers=htmx(client))
            assert response.status_code == 404, (path, response.text)
    for suffix in ("/commit", "/undo"):
        theirs = client.post(wizard + suffix, data={}, headers=htmx(client))
        assert theirs.status_code == 404
    assert "july.csv" not in client.get("/imports").text
