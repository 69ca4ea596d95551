"""Classification: keywords, number ranges, the type column, overrides, contra."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fiscus.diagnostics.analysis import ClassificationOverride, analyse
from fiscus.diagnostics.analysis.classify import LOW_CONFIDENCE
from tests.diagnostics.analysis.builders import small_company, tb


def _cls(*spec: str | None):  # type: ignore[no-untyped-def]
    result = analyse(tb(spec))  # type: ignore[arg-type]
    return result.accounts[0]


def test_contra_accounts_have_the_opposite_normal_balance() -> None:
    for name, category in [
        ("Accumulated Depreciation - Plant", "asset"),
        ("Allowance for Doubtful Debts", "asset"),
        ("Drawings", "equity"),
        ("Treasury Stock", "equity"),
        ("Sales Returns", "revenue"),
    ]:
        a = _cls(None, name, "-1")
        assert (a.classification.category, a.classification.contra) == (category, True), name
        expected = "credit" if category == "asset" else "debit"
        assert a.classification.normal_balance == expected


def test_the_file_type_column_decides_the_category_and_says_so() -> None:
    a = _cls("9-100", "Widgets", "10", "Liability")
    assert (a.classification.category, a.classification.source) == ("liability", "file")


def test_a_balance_sheet_hint_narrows_to_balance_sheet_categories() -> None:
    a = _cls("4-100", "Loan", "-10", "BS")
    assert a.classification.category == "liability"


def test_number_ranges_alone_classify_with_moderate_confidence() -> None:
    for number, category in [
        ("1050", "asset"),
        ("2050", "liability"),
        ("3050", "equity"),
        ("4050", "revenue"),
        ("5050", "expense"),
        ("8050", "revenue"),
    ]:
        a = _cls(number, "Zqx", "1")
        assert a.classification.category == category
        assert a.classification.source == "heuristic"
        assert a.classification.confidence == 0.55


def test_keyword_and_number_that_agree_are_more_confident_than_either() -> None:
    both = _cls("1-1100", "Trade Debtors", "1").classification.confidence
    name_only = _cls(None, "Trade Debtors", "1").classification.confidence
    assert both > name_only > LOW_CONFIDENCE


def test_a_weak_keyword_against_the_number_is_low_confidence_with_alternatives() -> None:
    a = _cls("4-100", "Loan", "-1")
    assert a.classification.category == "revenue"
    assert a.classification.confidence < LOW_CONFIDENCE
    assert [alt.category for alt in a.classification.alternatives] == ["liability"]


def test_nothing_known_is_unknown_on_lead_sheet_z() -> None:
    a = _cls(None, "Zqx", "1")
    assert (a.classification.category, a.lead_sheet, a.classification.confidence) == (
        "unknown",
        "Z",
        0.0,
    )


def test_cost_of_sales_keeps_its_subtype_under_a_generic_expense_type() -> None:
    a = _cls("5-100", "Cost of Sales - Materials", "1", "Expense")
    assert (a.classification.subtype, a.classification.source) == ("cost_of_sales", "file")


def test_lead_sheets_of_a_small_company() -> None:
    leads = {a.name: a.lead_sheet for a in analyse(small_company()).accounts}
    assert leads["Cash at Bank"] == "A"
    assert leads["Trade Debtors"] == leads["Allowance for Doubtful Debts"] == "B"
    assert leads["Inventory"] == "C"
    assert leads["Accumulated Depreciation"] == "F"
    assert leads["Trade Creditors"] == "H"
    assert leads["GST Payable"] == "I"
    assert leads["Bank Loan"] == "J"
    assert leads["Retained Earnings"] == "M"
    assert leads["Sales"] == "N"
    assert leads["Wages"] == "O"


names = st.sampled_from(["Cash at Bank", "Sales", "Zqx", "Drawings", "Suspense", "Loan", "Rent"])
numbers = st.sampled_from([None, "1-1000", "2-2000", "4000", "610", "9999"])
hints = st.sampled_from([None, "Asset", "Expense", "BS", "PL", "Equity"])
categories = st.sampled_from(["asset", "liability", "equity", "revenue", "expense", "unknown"])


@given(names, numbers, hints, categories, st.booleans())
def test_an_override_always_wins(
    name: str, number: str | None, hint: str | None, category: str, contra: bool
) -> None:
    key = number or name
    override = ClassificationOverride.model_validate({"category": category, "contra": contra})
    result = analyse(tb((number, name, "5", hint)), overrides={key: override})
    c = result.accounts[0].classification
    assert (c.category, c.source, c.contra, c.confidence) == (category, "override", contra, 1.0)


@given(st.lists(st.tuples(names, numbers, st.decimals(-(10**9), 10**9, places=2)), max_size=30))
def test_totals_equal_the_sums_of_the_rows(rows: list[tuple[str, str | None, Decimal]]) -> None:
    result = analyse(tb(*((n, name, str(v)) for name, n, v in rows)))
    assert result.total_debits == sum((a.debit for a in result.accounts), Decimal(0))
    assert result.total_credits == sum((a.credit for a in result.accounts), Decimal(0))
    assert result.difference == result.total_debits - result.total_credits
    assert result.balanced == (result.difference == 0)
    assert result.row_count == len(rows)
    assert sum(result.totals.by_category.values(), Decimal(0)) == result.difference
    assert 0 <= result.risk_score <= 100


def test_a_xero_chart_is_recognised_and_its_ranges_used() -> None:
    result = analyse(
        tb(
            ("090", "Business Bank Account", "100"),
            ("200", "Sales", "-500"),
            ("310", "Cost of Goods Sold", "200"),
            ("404", "Bank Fees", "10"),
            ("610", "Accounts Receivable", "150"),
            ("800", "Accounts Payable", "-60"),
            ("960", "Retained Earnings", "-100"),
            ("205", "Zqx", "-300"),
            ("720", "Zqy", "500"),
        )
    )
    assert result.chart_scheme == "xero"
    by_number = {a.number: a.classification for a in result.accounts}
    assert by_number["205"].category == "revenue"
    assert (by_number["720"].category, by_number["720"].subtype) == ("asset", "non_current")


def test_a_leading_digit_chart_stays_leading_digit() -> None:
    assert analyse(small_company()).chart_scheme == "leading_digit"


def test_a_suspense_account_typed_by_the_file_stays_on_lead_sheet_z() -> None:
    a = _cls("1-9999", "Suspense Account", "1500", "Asset")
    assert (a.classification.category, a.classification.source, a.lead_sheet) == (
        "asset",
        "file",
        "Z",
    )


def test_names_whose_first_noun_misleads_are_classified_by_the_whole_phrase() -> None:
    for name, category, lead in [
        ("Equipment Loan - Westpac", "liability", "J"),
        ("Motor Vehicle Loan", "liability", "J"),
        ("Online Saver - ANZ", "asset", "A"),
        ("Amortisation - Right-of-use Asset", "expense", "O"),
        ("Accumulated Amortisation - Right-of-use Asset", "asset", "G"),
        ("Right-of-use Asset - Warehouse", "asset", "F"),
    ]:
        a = _cls(None, name, "10")
        assert (a.classification.category, a.lead_sheet) == (category, lead), name
