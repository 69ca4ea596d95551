"""Weighted account-name keywords: phrase -> (category, subtype, lead sheet, contra).

A phrase matches whole words of the normalised name (lower case, anything but letters
and digits a space). The weight says how sure the phrase alone makes us: "accumulated
depreciation" (0.95) is a contra asset whatever else the name says, "loan" (0.6) could
be either side. When several phrases match, the heaviest wins, a longer phrase winning
a tie (so "cost of sales" beats "sales").

Lead sheets (see docs.md): A cash, B receivables, C inventories, D prepayments and other
current assets, E investments, F property plant and equipment, G intangibles, H trade and
other payables, I tax balances, J borrowings, K provisions and employee benefits, L other
liabilities, M equity, N revenue and other income, O expenses, Z unclassified/suspense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiscus.diagnostics.analysis.types import Category


@dataclass(frozen=True, slots=True)
class Rule:
    words: tuple[str, ...]
    category: Category
    subtype: str
    lead: str
    weight: float
    contra: bool = False


_TABLE: tuple[tuple[str, Category, str, str, float, bool], ...] = (
    # Cash
    ("cash", "asset", "current", "A", 0.8, False),
    ("bank", "asset", "current", "A", 0.7, False),
    ("cash at bank", "asset", "current", "A", 0.9, False),
    ("petty cash", "asset", "current", "A", 0.95, False),
    ("cheque account", "asset", "current", "A", 0.85, False),
    ("savings account", "asset", "current", "A", 0.85, False),
    ("term deposit", "asset", "current", "A", 0.8, False),
    # Bank products named by their marketing name rather than "bank" or "account"
    ("saver", "asset", "current", "A", 0.8, False),
    ("online saver", "asset", "current", "A", 0.9, False),
    ("at call", "asset", "current", "A", 0.8, False),
    ("undeposited funds", "asset", "current", "A", 0.85, False),
    ("bank overdraft", "liability", "current", "J", 0.9, False),
    ("overdraft", "liability", "current", "J", 0.85, False),
    # Receivables
    ("debtors", "asset", "current", "B", 0.85, False),
    ("trade debtors", "asset", "current", "B", 0.95, False),
    ("receivable", "asset", "current", "B", 0.85, False),
    ("receivables", "asset", "current", "B", 0.85, False),
    ("accounts receivable", "asset", "current", "B", 0.95, False),
    ("allowance for doubtful debts", "asset", "current", "B", 0.97, True),
    ("provision for doubtful debts", "asset", "current", "B", 0.97, True),
    ("allowance for credit losses", "asset", "current", "B", 0.97, True),
    ("doubtful debts", "asset", "current", "B", 0.9, True),
    ("bad debts", "expense", "operating", "O", 0.85, False),
    ("doubtful debts expense", "expense", "operating", "O", 0.95, False),
    # Inventories
    ("inventory", "asset", "current", "C", 0.85, False),
    ("inventories", "asset", "current", "C", 0.85, False),
    ("stock on hand", "asset", "current", "C", 0.9, False),
    ("work in progress", "asset", "current", "C", 0.8, False),
    ("raw materials", "asset", "current", "C", 0.8, False),
    ("finished goods", "asset", "current", "C", 0.85, False),
    ("inventory write down", "expense", "cost_of_sales", "O", 0.9, False),
    ("stock obsolescence provision", "asset", "current", "C", 0.95, True),
    # Other current assets
    ("prepayments", "asset", "current", "D", 0.9, False),
    ("prepaid", "asset", "current", "D", 0.85, False),
    ("deposits paid", "asset", "current", "D", 0.8, False),
    ("accrued income", "asset", "current", "D", 0.85, False),
    # Investments
    ("investment", "asset", "non_current", "E", 0.75, False),
    ("investments", "asset", "non_current", "E", 0.75, False),
    ("shares in", "asset", "non_current", "E", 0.8, False),
    # PPE
    ("plant", "asset", "non_current", "F", 0.75, False),
    ("equipment", "asset", "non_current", "F", 0.75, False),
    ("plant and equipment", "asset", "non_current", "F", 0.9, False),
    ("motor vehicles", "asset", "non_current", "F", 0.85, False),
    ("motor vehicle", "asset", "non_current", "F", 0.8, False),
    ("furniture", "asset", "non_current", "F", 0.8, False),
    ("fixtures", "asset", "non_current", "F", 0.75, False),
    ("buildings", "asset", "non_current", "F", 0.85, False),
    ("land", "asset", "non_current", "F", 0.8, False),
    ("leasehold improvements", "asset", "non_current", "F", 0.9, False),
    ("computer equipment", "asset", "non_current", "F", 0.85, False),
    ("right of use asset", "asset", "non_current", "F", 0.9, False),
    ("accumulated depreciation", "asset", "non_current", "F", 0.97, True),
    ("provision for depreciation", "asset", "non_current", "F", 0.95, True),
    ("less depreciation", "asset", "non_current", "F", 0.9, True),
    # Intangibles
    ("goodwill", "asset", "non_current", "G", 0.9, False),
    ("intangible", "asset", "non_current", "G", 0.85, False),
    ("intangibles", "asset", "non_current", "G", 0.85, False),
    ("patents", "asset", "non_current", "G", 0.8, False),
    ("software", "asset", "non_current", "G", 0.6, False),
    ("accumulated amortisation", "asset", "non_current", "G", 0.97, True),
    ("accumulated amortization", "asset", "non_current", "G", 0.97, True),
    ("accumulated impairment", "asset", "non_current", "G", 0.95, True),
    # Payables
    ("creditors", "liability", "current", "H", 0.85, False),
    ("trade creditors", "liability", "current", "H", 0.95, False),
    ("payable", "liability", "current", "H", 0.8, False),
    ("payables", "liability", "current", "H", 0.8, False),
    ("accounts payable", "liability", "current", "H", 0.95, False),
    ("accrued", "liability", "current", "H", 0.7, False),
    ("accruals", "liability", "current", "H", 0.85, False),
    ("accrued expenses", "liability", "current", "H", 0.9, False),
    ("accrued wages", "liability", "current", "H", 0.9, False),
    ("unearned revenue", "liability", "current", "L", 0.9, False),
    ("deferred revenue", "liability", "current", "L", 0.9, False),
    ("income in advance", "liability", "current", "L", 0.9, False),
    ("customer deposits", "liability", "current", "L", 0.85, False),
    # Tax balances
    ("gst", "liability", "current", "I", 0.8, False),
    ("gst payable", "liability", "current", "I", 0.95, False),
    ("gst collected", "liability", "current", "I", 0.9, False),
    ("gst paid", "asset", "current", "I", 0.85, False),
    ("gst receivable", "asset", "current", "I", 0.9, False),
    ("vat", "liability", "current", "I", 0.75, False),
    ("sales tax payable", "liability", "current", "I", 0.9, False),
    ("payg", "liability", "current", "I", 0.85, False),
    ("payg withholding", "liability", "current", "I", 0.95, False),
    ("income tax payable", "liability", "current", "I", 0.95, False),
    ("provision for income tax", "liability", "current", "I", 0.95, False),
    ("deferred tax asset", "asset", "non_current", "I", 0.95, False),
    ("deferred tax liability", "liability", "non_current", "I", 0.95, False),
    ("income tax expense", "expense", "income_tax", "O", 0.95, False),
    ("tax expense", "expense", "income_tax", "O", 0.85, False),
    # Borrowings
    ("loan", "liability", "current", "J", 0.6, False),
    ("loans", "liability", "current", "J", 0.6, False),
    ("bank loan", "liability", "non_current", "J", 0.85, False),
    ("mortgage", "liability", "non_current", "J", 0.85, False),
    ("borrowings", "liability", "non_current", "J", 0.85, False),
    ("lease liability", "liability", "non_current", "J", 0.9, False),
    ("hire purchase", "liability", "non_current", "J", 0.85, False),
    ("chattel mortgage", "liability", "non_current", "J", 0.9, False),
    # "X loan" is a borrowing whatever X is: it must outweigh the asset the loan bought
    ("equipment loan", "liability", "non_current", "J", 0.9, False),
    ("vehicle loan", "liability", "non_current", "J", 0.9, False),
    ("car loan", "liability", "non_current", "J", 0.9, False),
    ("motor vehicle loan", "liability", "non_current", "J", 0.92, False),
    ("credit card", "liability", "current", "J", 0.8, False),
    ("notes payable", "liability", "non_current", "J", 0.9, False),
    ("unexpired interest", "liability", "non_current", "J", 0.9, True),
    ("loan to", "asset", "current", "B", 0.8, False),
    ("loan receivable", "asset", "current", "B", 0.9, False),
    # Provisions
    ("provision", "liability", "current", "K", 0.65, False),
    ("provision for annual leave", "liability", "current", "K", 0.95, False),
    ("annual leave", "liability", "current", "K", 0.85, False),
    ("long service leave", "liability", "non_current", "K", 0.9, False),
    ("superannuation payable", "liability", "current", "K", 0.9, False),
    ("employee entitlements", "liability", "current", "K", 0.9, False),
    ("warranty provision", "liability", "current", "K", 0.9, False),
    # Equity
    ("share capital", "equity", "capital", "M", 0.95, False),
    ("issued capital", "equity", "capital", "M", 0.95, False),
    ("paid up capital", "equity", "capital", "M", 0.95, False),
    ("common stock", "equity", "capital", "M", 0.95, False),
    ("capital", "equity", "capital", "M", 0.7, False),
    ("owner s capital", "equity", "capital", "M", 0.9, False),
    ("owners equity", "equity", "capital", "M", 0.9, False),
    ("funds introduced", "equity", "capital", "M", 0.9, False),
    ("capital contributed", "equity", "capital", "M", 0.9, False),
    ("additional paid in capital", "equity", "capital", "M", 0.95, False),
    ("retained earnings", "equity", "retained_earnings", "M", 0.97, False),
    ("retained profits", "equity", "retained_earnings", "M", 0.97, False),
    ("accumulated losses", "equity", "retained_earnings", "M", 0.9, False),
    ("reserve", "equity", "reserves", "M", 0.75, False),
    ("reserves", "equity", "reserves", "M", 0.75, False),
    ("drawings", "equity", "distributions", "M", 0.95, True),
    ("dividends", "equity", "distributions", "M", 0.9, True),
    ("dividends paid", "equity", "distributions", "M", 0.95, True),
    ("dividend paid", "equity", "distributions", "M", 0.95, True),
    ("dividends payable", "liability", "current", "H", 0.95, False),
    ("dividend income", "revenue", "other_income", "N", 0.95, False),
    ("dividends received", "revenue", "other_income", "N", 0.95, False),
    ("treasury stock", "equity", "capital", "M", 0.97, True),
    ("treasury shares", "equity", "capital", "M", 0.97, True),
    ("share buyback", "equity", "capital", "M", 0.9, True),
    # Revenue
    ("sales", "revenue", "operating", "N", 0.8, False),
    ("revenue", "revenue", "operating", "N", 0.85, False),
    ("income", "revenue", "operating", "N", 0.6, False),
    ("fees received", "revenue", "operating", "N", 0.85, False),
    ("fee income", "revenue", "operating", "N", 0.85, False),
    ("turnover", "revenue", "operating", "N", 0.75, False),
    ("sales returns", "revenue", "operating", "N", 0.97, True),
    ("returns and allowances", "revenue", "operating", "N", 0.95, True),
    ("sales discounts", "revenue", "operating", "N", 0.95, True),
    ("discounts allowed", "revenue", "operating", "N", 0.95, True),
    ("interest income", "revenue", "other_income", "N", 0.95, False),
    ("interest received", "revenue", "other_income", "N", 0.95, False),
    ("other income", "revenue", "other_income", "N", 0.9, False),
    ("rental income", "revenue", "other_income", "N", 0.9, False),
    ("gain on sale", "revenue", "other_income", "N", 0.9, False),
    ("sundry income", "revenue", "other_income", "N", 0.9, False),
    ("government grants", "revenue", "other_income", "N", 0.85, False),
    # Expenses
    ("cost of sales", "expense", "cost_of_sales", "O", 0.95, False),
    ("cost of goods sold", "expense", "cost_of_sales", "O", 0.97, False),
    ("cogs", "expense", "cost_of_sales", "O", 0.95, False),
    ("purchases", "expense", "cost_of_sales", "O", 0.8, False),
    ("direct wages", "expense", "cost_of_sales", "O", 0.9, False),
    ("direct labour", "expense", "cost_of_sales", "O", 0.9, False),
    ("direct costs", "expense", "cost_of_sales", "O", 0.9, False),
    ("freight in", "expense", "cost_of_sales", "O", 0.85, False),
    ("subcontractors", "expense", "cost_of_sales", "O", 0.8, False),
    ("purchase returns", "expense", "cost_of_sales", "O", 0.95, True),
    ("discounts received", "expense", "cost_of_sales", "O", 0.9, True),
    ("expense", "expense", "operating", "O", 0.7, False),
    ("expenses", "expense", "operating", "O", 0.7, False),
    ("wages", "expense", "operating", "O", 0.8, False),
    ("salaries", "expense", "operating", "O", 0.8, False),
    ("superannuation", "expense", "operating", "O", 0.75, False),
    ("rent", "expense", "operating", "O", 0.75, False),
    ("electricity", "expense", "operating", "O", 0.85, False),
    ("insurance", "expense", "operating", "O", 0.8, False),
    ("depreciation", "expense", "operating", "O", 0.8, False),
    ("amortisation", "expense", "operating", "O", 0.8, False),
    # the period's charge on a lease asset, not the asset (its accumulated balance is)
    ("amortisation right of use", "expense", "operating", "O", 0.93, False),
    ("depreciation right of use", "expense", "operating", "O", 0.93, False),
    ("amortization", "expense", "operating", "O", 0.8, False),
    ("advertising", "expense", "operating", "O", 0.85, False),
    ("accounting fees", "expense", "operating", "O", 0.9, False),
    ("legal fees", "expense", "operating", "O", 0.9, False),
    ("bank fees", "expense", "operating", "O", 0.9, False),
    ("bank charges", "expense", "operating", "O", 0.9, False),
    ("telephone", "expense", "operating", "O", 0.85, False),
    ("office supplies", "expense", "operating", "O", 0.85, False),
    ("repairs", "expense", "operating", "O", 0.8, False),
    ("travel", "expense", "operating", "O", 0.8, False),
    ("fuel", "expense", "operating", "O", 0.8, False),
    ("sundry expenses", "expense", "operating", "O", 0.9, False),
    ("motor vehicle expenses", "expense", "operating", "O", 0.9, False),
    ("vehicle expenses", "expense", "operating", "O", 0.9, False),
    ("equipment hire", "expense", "operating", "O", 0.9, False),
    ("computer expenses", "expense", "operating", "O", 0.9, False),
    ("software subscriptions", "expense", "operating", "O", 0.9, False),
    ("subscriptions", "expense", "operating", "O", 0.8, False),
    ("interest expense", "expense", "finance_cost", "O", 0.95, False),
    ("interest paid", "expense", "finance_cost", "O", 0.95, False),
    ("finance costs", "expense", "finance_cost", "O", 0.9, False),
    ("borrowing costs", "expense", "finance_cost", "O", 0.9, False),
    # Suspense and clearing: known to be unresolved (lead Z)
    ("suspense", "unknown", "suspense", "Z", 0.9, False),
    ("clearing", "unknown", "suspense", "Z", 0.75, False),
    ("unallocated", "unknown", "suspense", "Z", 0.85, False),
    ("unreconciled", "unknown", "suspense", "Z", 0.85, False),
    ("uncategorised", "unknown", "suspense", "Z", 0.85, False),
    ("uncategorized", "unknown", "suspense", "Z", 0.85, False),
    ("ask my accountant", "unknown", "suspense", "Z", 0.95, False),
)


def _index() -> dict[str, tuple[Rule, ...]]:
    by_first: dict[str, list[Rule]] = {}
    for phrase, category, subtype, lead, weight, contra in _TABLE:
        words = tuple(phrase.split())
        rule = Rule(words, category, subtype, lead, weight, contra)
        by_first.setdefault(words[0], []).append(rule)
    return {k: tuple(sorted(v, key=lambda r: -len(r.words))) for k, v in by_first.items()}


RULES_BY_FIRST_WORD = _index()


_WORD = re.compile(r"[^\W_]+")


def words_of(name: str) -> list[str]:
    """The name's words: lower case, split on anything not a letter or digit."""
    return _WORD.findall(name.lower())


PHRASE_WORDS = frozenset(w for phrase, *_ in _TABLE for w in phrase.split())
_BEST: dict[tuple[str, ...], Rule | None] = {}


def best_rule(words: list[str]) -> Rule | None:
    """The heaviest phrase found in the words (a longer one winning a tie).

    Memoised on the words with those no phrase uses blanked (adjacency kept), so
    "Sales 101" and "Sales 102" cost one lookup; the memo is bounded."""
    key = tuple(w if w in PHRASE_WORDS else "" for w in words)
    if key in _BEST:
        return _BEST[key]
    found = _search(list(key))
    if len(_BEST) < 100_000:
        _BEST[key] = found
    return found


def _search(words: list[str]) -> Rule | None:
    best: Rule | None = None
    for i, word in enumerate(words):
        for rule in RULES_BY_FIRST_WORD.get(word, ()):
            n = len(rule.words)
            if tuple(words[i : i + n]) != rule.words:
                continue
            if best is None or (rule.weight, n) > (best.weight, len(best.words)):
                best = rule
    return best
