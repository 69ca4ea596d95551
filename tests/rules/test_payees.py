"""Payee clean-up: realistic raw lines of AU, UK and US bank exports, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscus.rules.payees import _clean, clean_payee

CASES = [
    # Australia
    ("EFTPOS WOOLWORTHS 1234 SYDNEY NSW AU 01/07", "Woolworths"),
    ("VISA PURCHASE COLES 0456 MOSMAN NSW", "Coles"),
    ("EFTPOS PURCHASE ALDI STORES PTY LTD PARRAMATTA", "Aldi Stores"),
    ("7-ELEVEN 2345 SYDNEY NSW", "7-Eleven"),
    ("MCDONALD'S 0123 BONDI JUNCTION NSW", "Mcdonald's"),
    ("CARD XX1234 BUNNINGS WAREHOUSE ALEXANDRIA", "Bunnings Warehouse"),
    ("VISA DEBIT PURCHASE CARD 5678 KMART 1053 RICHMOND VIC", "Kmart"),
    ("WOOLWORTHS 1234       SYDNEY       AU", "Woolworths"),
    ("COLES 0456          MOSMAN       NSW", "Coles"),
    ("SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"),
    ("SQ *PRODUCE MARKET FITZROY VIC", "Produce Market"),
    ("TST* BAR ITALIA FORTITUDE VALLEY QLD", "Bar Italia"),
    ("POS 4567 CALTEX WOOLWORTHS BRISBANE QLD 14:32", "Caltex Woolworths"),
    ("DIRECT DEBIT TELSTRA REF 123456789", "Telstra"),
    ("BPAY ORIGIN ENERGY 12345678", "Origin Energy"),
    ("JB HI FI PTY LTD CHATSWOOD NSW AUS", "Jb Hi Fi"),
    ("OFFICEWORKS 0421 HOBART TAS", "Officeworks"),
    ("CHEMIST WAREHOUSE #123 PERTH WA", "Chemist Warehouse"),
    ("UBER *EATS", "Uber Eats"),
    ("UBER *TRIP HELP.UBER.COM", "Uber Trip"),
    ("AMAZON.COM.AU SYDNEY SOUTH AU", "Amazon Sydney South"),
    ("VISA PURCHASE 01JUL BAKERS DELIGHT 4411 GEELONG", "Bakers Delight"),
    ("EFTPOS 123456******1234 IGA CANBERRA ACT", "Iga"),
    ("BANK OF MELBOURNE", "Bank Of Melbourne"),
    # United Kingdom
    ("CARD PAYMENT TO TESCO STORES 3456 ON 01 JUL", "Tesco Stores"),
    ("CARD PAYMENT TO SAINSBURYS S/MKTS ON 02 JUL 2025", "Sainsburys S/Mkts"),
    ("DIRECT DEBIT PAYMENT TO BRITISH GAS REF 8765432", "British Gas"),
    ("CONTACTLESS PAYMENT PRET A MANGER LONDON GB", "Pret A Manger"),
    ("FASTER PAYMENT TO J SMITH REF RENT JULY", "J Smith Ref Rent July"),
    ("STANDING ORDER TO LANDLORD LTD", "Landlord"),
    ("DD THAMES WATER UTILITIES LIMITED", "Thames Water Utilities"),
    ("BOOTS 1234 MANCHESTER GBR", "Boots"),
    ("PAYPAL *EBAY UK 4029357733", "Ebay"),
    ("MARKS & SPENCER PLC EDINBURGH", "Marks & Spencer"),
    # United States
    ("DEBIT CARD PURCHASE - STARBUCKS STORE #12345 SEATTLE WA", "Starbucks"),
    ("PURCHASE AUTHORIZED ON 07/01 SAFEWAY #1234 SAN FRANCISCO CA", "Safeway"),
    ("CHECKCARD 0701 TARGET T-1234 MINNEAPOLIS MN", "Target"),
    ("POS DEBIT WHOLE FOODS MKT 10234 AUSTIN TX", "Whole Foods Mkt"),
    ("AMZN MKTP US*2K3AB1CD0", "Amazon Marketplace"),
    ("PAYPAL *NETFLIX.COM", "Netflix"),
    ("APPLE.COM/BILL 1800 275 2273 AU", "Apple"),
    ("GOOGLE *YOUTUBE PREMIUM", "Youtube Premium"),
    ("RECURRING PAYMENT SPOTIFY USA 877-778-1161 NY", "Spotify"),
    ("ACH DEBIT VERIZON WIRELESS PAYMENTS", "Verizon Wireless Payments"),
    ("TST* JOES PIZZA NEW YORK NY", "Joes Pizza"),
    ("SHELL OIL 57442653700 HOUSTON TX 07/01 2:05 PM", "Shell Oil"),
    ("CVS/PHARMACY #04567 BOSTON MA", "Cvs/Pharmacy"),
    ("XXXX-XXXX-XXXX-1234 COSTCO WHSE #0123 DENVER CO", "Costco Whse"),
    # already clean, and odd ones
    ("Blue Bottle Coffee", "Blue Bottle Coffee"),
    ("POS 1234", "Pos"),
    ("  multiple   spaces   cafe  ", "Multiple Spaces Cafe"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_bank_noise_is_stripped_to_the_merchant(raw: str, expected: str) -> None:
    assert clean_payee(raw) == expected


def test_the_table_is_realistic_and_large() -> None:
    assert len(CASES) >= 40


@given(st.text(alphabet=st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=60))
def test_cleaning_a_cleaned_name_changes_nothing(raw: str) -> None:
    once = clean_payee(raw)
    assert clean_payee(once) == once


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["7-ELEVEN", "3M", "EFTPOS", "NSW", "01/07", "1234", "0", "X9"]),
            st.text(alphabet="ABC0123456789 -/*#", max_size=10),
        ),
        max_size=6,
    )
)
def test_sharing_the_work_between_lines_that_differ_in_numbers_changes_no_answer(
    parts: list[str],
) -> None:
    raw = " ".join(parts)
    assert clean_payee(raw) == _clean(raw)


def test_a_line_of_numbers_only_is_kept() -> None:
    assert clean_payee("1234567") == "1234567"
    assert clean_payee("12/07 0042") == "12/07 0042"


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["POS", "EFTPOS", "NSW", "AU", "PTY", "LTD", "SQ *", "1234", "01/07"]),
            st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*#/-.", min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_a_name_with_letters_never_cleans_to_nothing(parts: list[str]) -> None:
    raw = " ".join(parts)
    cleaned = clean_payee(raw)
    if any(c.isalpha() for c in raw):
        assert cleaned.strip()
    assert clean_payee(cleaned) == cleaned
