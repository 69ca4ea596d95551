"""The categories page: the tree, templates, create, edit, delete — over HTTP with cookies."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register
from tests.web.ledger_helpers import (
    api,
    balance,
    category_names,
    expense,
    household,
    post_form,
    walk,
)


def _apply(client: TestClient, key: str = "household") -> None:
    response = post_form(client, "/categories/template", {"key": key})
    assert response.status_code == 303, response.text


def test_an_empty_chart_offers_the_templates(signed_in: TestClient) -> None:
    page = signed_in.get("/categories")
    assert page.status_code == 200
    assert 'href="/categories" aria-current="page"' in page.text
    assert "Start from a template" in page.text
    assert 'name="key" value="household"' in page.text
    assert 'name="key" value="au_sole_trader"' in page.text


def test_applying_a_template_shows_the_tree_indented_with_tax_labels(
    signed_in: TestClient,
) -> None:
    _apply(signed_in)
    page = signed_in.get("/categories").text
    assert "Start from a template" not in page
    assert re.search(r"Added \d+ categories from the", page)
    rows = re.findall(r'<tr id="cat-[^"]+" data-testid="cat-row">.*?</tr>', page, re.S)
    food = next(r for r in rows if ">Food<" in r or "Food</td>" in r)
    groceries = next(r for r in rows if "Groceries</td>" in r)
    assert "cat-depth-0" in food
    assert "cat-depth-1" in groceries
    assert '<code class="tax-label">ind.salary_wages</code>' in page


def test_a_template_on_a_chart_with_categories_is_refused(signed_in: TestClient) -> None:
    _apply(signed_in)
    before = category_names(signed_in)
    response = post_form(signed_in, "/categories/template", {"key": "au_sole_trader"}, hx=True)
    assert response.status_code == 409
    assert "already has categories" in response.text
    assert category_names(signed_in) == before


def test_creating_a_category_under_a_parent(signed_in: TestClient) -> None:
    _apply(signed_in)
    food = category_names(signed_in)["Food"]
    data = {"name": "Coffee", "type": "expense", "parent_id": food, "tax_label": ""}
    response = post_form(signed_in, "/categories", data, hx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="categories">')
    assert "Created the category “Coffee”." in response.text
    assert re.search(
        r'cat-depth-1"><span class="cat-branch"[^>]*>└</span> Coffee</td>', response.text
    )
    tree = signed_in.get("/api/v1/categories", headers=api(signed_in)).json()
    food_node = next(n for n in tree if n["name"] == "Food")
    assert "Coffee" in [c["name"] for c in food_node["children"]]


def test_create_errors_are_shown_beside_the_field(signed_in: TestClient) -> None:
    _apply(signed_in)
    food = category_names(signed_in)["Food"]
    cases = [
        ({"name": " "}, "c-name", "Name is required"),
        ({"name": "Groceries", "parent_id": food}, "c-name", "sibling with this name"),
        ({"name": "X", "type": "income", "parent_id": food}, "c-parent_id", "same type"),
        ({"name": "X", "tax_label": "Not Valid"}, "c-tax_label", "Tax label"),
    ]
    for fields, field, text in cases:
        data = {"type": "expense", **fields}
        response = post_form(signed_in, "/categories", data, hx=True)
        assert response.status_code in (409, 422), fields
        assert f'id="{field}-msg" class="field-error"' in response.text, fields
        assert text in response.text, (fields, response.text[:2000])


def test_editing_a_name_and_tax_label(signed_in: TestClient) -> None:
    _apply(signed_in)
    groceries = category_names(signed_in)["Groceries"]
    data = {"name": "Supermarket", "tax_label": "ind.other"}
    response = post_form(signed_in, f"/categories/{groceries}/rename", data)
    assert response.status_code == 303
    names = category_names(signed_in)
    assert "Supermarket" in names
    assert "Groceries" not in names
    bad = post_form(signed_in, f"/categories/{groceries}/rename", {"name": ""}, hx=True)
    assert bad.status_code == 422
    assert f'id="e-{groceries}-name-msg" class="field-error">Name is required' in bad.text
    assert '<details class="cat-action" open>' in bad.text


def test_deleting_a_category_without_postings(signed_in: TestClient) -> None:
    _apply(signed_in)
    takeaway = category_names(signed_in)["Takeaway"]
    response = post_form(signed_in, f"/categories/{takeaway}/delete", {"reassign_to": ""})
    assert response.status_code == 303
    assert "Takeaway" not in category_names(signed_in)


def test_a_category_with_transactions_is_deleted_only_with_reassignment(
    signed_in: TestClient,
) -> None:
    chart = household(signed_in)
    expense(signed_in, chart, "5.00")
    path = f"/categories/{chart.groceries}/delete"
    refused = post_form(signed_in, path, {"reassign_to": ""}, hx=True)
    assert refused.status_code == 409
    msg = f'id="d-{chart.groceries}-reassign_to-msg" class="field-error">Move its transactions to'
    assert msg in refused.text
    assert "this category has transactions" in refused.text
    assert "Groceries" in category_names(signed_in)
    eating_out = category_names(signed_in)["Eating out"]
    done = post_form(signed_in, path, {"reassign_to": eating_out}, hx=True)
    assert done.status_code == 200
    assert "Deleted the category “Groceries”; 1 posting moved to “Eating out”." in done.text
    assert "Groceries" not in category_names(signed_in)
    assert balance(signed_in, eating_out) == "5.00"


def test_merging_moves_postings_and_sub_categories(signed_in: TestClient) -> None:
    chart = household(signed_in)
    expense(signed_in, chart, "7.00")
    names = category_names(signed_in)
    food, rent, shopping = names["Food"], names["Rent"], names["Eating out"]
    page = signed_in.get("/categories").text
    assert 'id="cat-merge"' in page
    response = post_form(
        signed_in, "/categories/merge", {"source_id": food, "target_id": rent}, hx=True
    )
    assert response.status_code == 200
    assert "Merged “Food” into “Rent”: 0 postings and 3 sub-categories moved." in response.text
    assert "Food" not in category_names(signed_in)
    tree = signed_in.get("/api/v1/categories", headers=api(signed_in)).json()
    rent_node = next(n for n in walk(tree) if n["id"] == rent)
    assert sorted(c["name"] for c in rent_node["children"]) == [
        "Eating out",
        "Groceries",
        "Takeaway",
    ]
    merged = post_form(
        signed_in, "/categories/merge", {"source_id": chart.groceries, "target_id": shopping}
    )
    assert merged.status_code == 303
    page = signed_in.get("/categories").text
    assert "Merged “Groceries” into “Eating out”: 1 posting moved." in page
    assert "Groceries" not in category_names(signed_in)
    assert balance(signed_in, shopping) == "7.00"


def test_merge_errors_name_the_field(signed_in: TestClient) -> None:
    chart = household(signed_in)
    same = {"source_id": chart.groceries, "target_id": chart.groceries}
    response = post_form(signed_in, "/categories/merge", same, hx=True)
    assert response.status_code == 422
    assert 'id="m-target_id-msg" class="field-error">Into must be another category' in response.text
    income = {"source_id": chart.groceries, "target_id": chart.salary}
    response = post_form(signed_in, "/categories/merge", income, hx=True)
    assert "Into must be an expense category" in response.text
    missing = post_form(signed_in, "/categories/merge", {"source_id": chart.groceries}, hx=True)
    assert 'id="m-target_id-msg" class="field-error">Into is required' in missing.text
    assert "Groceries" in category_names(signed_in)


def test_another_tenants_category_is_not_found(signed_in: TestClient, web_app: object) -> None:
    _apply(signed_in)
    groceries = category_names(signed_in)["Groceries"]
    with TestClient(web_app, follow_redirects=False) as other:  # type: ignore[arg-type]
        register(other, new_account())
        for path in (f"/categories/{groceries}/rename", f"/categories/{groceries}/delete"):
            theirs = post_form(other, path, {"name": "Mine now"})
            assert theirs.status_code == 404
            assert "Not Found" in theirs.text
    assert "Groceries" in category_names(signed_in)


def test_changes_need_the_csrf_token(signed_in: TestClient) -> None:
    response = signed_in.post("/categories/template", data={"key": "household"})
    assert response.status_code == 403
    assert category_names(signed_in) == {}
